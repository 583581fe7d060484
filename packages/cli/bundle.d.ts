/** See bundle.js. */
export function bundleCli(outfile: string, trailer?: (inputs: string[]) => string): Promise<void>;
export function freshDevBundle(): Promise<string>;
