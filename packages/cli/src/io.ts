/** Where a command writes; injected so commands are testable without a process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Thrown for bad command-line usage; `main` prints it with a pointer to the help and exits with 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * A failure a user can act on (a file that cannot be opened or is not a recording, an unknown timeline), with a
 * message written for people; `main` prints it and exits with 1.
 */
export class CliError extends Error {
  override readonly name = "CliError";
}
