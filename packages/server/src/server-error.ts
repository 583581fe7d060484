import { IrisError } from "@iris/types";

export class ServerError extends IrisError<"bad-url" | "listen-failed" | "viewer-build-failed"> {}
