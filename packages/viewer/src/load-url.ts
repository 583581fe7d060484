import type { Recording } from "./recording.ts";

/**
 * Streams an `.rrd` from a URL into a recording, piece by piece, so images appear while it loads.
 * Resolves when the whole body has been read.
 */
export async function loadUrl(url: string, recording: Recording, signal?: AbortSignal): Promise<void> {
  const response = await fetch(url, signal ? { signal } : {});
  await loadResponse(url, response, recording);
}

/** `loadUrl` for a response already received (e.g. a server that answered a Range request with the whole file). */
export async function loadResponse(url: string, response: Response, recording: Recording): Promise<void> {
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${response.statusText}`);
  const length = response.headers.get("content-length");
  if (length !== null) recording.totalBytes = Number(length);
  const body = response.body;
  if (!body) {
    recording.push(new Uint8Array(await response.arrayBuffer()));
    recording.finish();
    return;
  }
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    recording.push(value);
    // Let the page paint between pieces of a large download.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  recording.finish();
}

/** Reads a dropped or picked File in pieces. */
export async function loadFile(file: Blob, recording: Recording): Promise<void> {
  recording.totalBytes = file.size;
  const pieceBytes = 4 * 1024 * 1024;
  for (let offset = 0; offset < file.size; offset += pieceBytes) {
    const piece = new Uint8Array(await file.slice(offset, offset + pieceBytes).arrayBuffer());
    recording.push(piece);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  recording.finish();
}
