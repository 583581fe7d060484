/** Where a command writes; injected so commands are testable without a process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Thrown for bad command-line usage; `main` prints it with the usage text and exits with 2. */
export class UsageError extends Error {}
