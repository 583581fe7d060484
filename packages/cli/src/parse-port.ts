import { UsageError } from "./io.ts";

/** `--port`: an integer 0…65535 (0 picks a free port), or undefined when not given. */
export function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535))
    throw new UsageError(`--port needs a number from 0 to 65535, got ${text}`);
  return port;
}
