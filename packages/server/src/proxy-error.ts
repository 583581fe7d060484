import { IrisError } from "@iris/types";

/** Errors of the gRPC message proxy (`iris serve`). */
export type ProxyErrorKind = "listen-failed" | "invalid-message" | "invalid-option" | "closed";

export class ProxyError extends IrisError<ProxyErrorKind> {}
