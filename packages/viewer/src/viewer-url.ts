/** The viewer page URL that opens the given recordings (`?url=…&url=…`). */
export function buildViewerUrl(pageUrl: string, recordingUrls: readonly string[]): string {
  const url = new URL(pageUrl);
  for (const r of recordingUrls) url.searchParams.append("url", r);
  return url.toString();
}
