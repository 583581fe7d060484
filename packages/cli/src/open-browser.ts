import { spawn } from "node:child_process";

/** Opens `url` in the desktop's browser, if there is an opener; otherwise does nothing (the URL is printed). */
export function openBrowser(url: string): void {
  const opener = process.platform === "darwin" ? "open" : process.platform === "win32" ? "start" : "xdg-open";
  try {
    const child = spawn(opener, [url], { stdio: "ignore", detached: true });
    child.on("error", () => undefined);
    child.unref();
  } catch {
    // No browser opener on this machine: the URL is printed.
  }
}
