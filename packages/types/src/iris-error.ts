/**
 * Base class of every typed error Iris throws. `kind` is a stable, machine-readable tag; the message says what
 * was wrong, with the expected and actual values where there are any.
 */
export class IrisError<K extends string = string> extends Error {
  readonly kind: K;

  constructor(kind: K, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
    this.name = new.target.name;
  }
}
