import { fromBinary } from "@bufbuild/protobuf";
import { type GrpcFrame, GrpcFrameDecoder, sdkCommsPb } from "@iris/rrd";
import { GrpcWebError } from "./grpc-web-error.ts";

const READ_MESSAGES_PATH = "/rerun.sdk_comms.v1alpha1.MessageProxyService/ReadMessages";

/** The request body: the gRPC frame of an empty `ReadMessagesRequest` (flags 0, length 0). */
const EMPTY_REQUEST_FRAME = new Uint8Array(5);

/**
 * Default limit of one message: 1 GiB, above anything `iris serve` forwards (512 MiB by default) and what a
 * browser tab can hold without trouble (Rerun's client accepts any length a frame header can state).
 */
export const DEFAULT_READ_MAX_MESSAGE_BYTES = 1024 ** 3;

export interface ReadMessagesOptions {
  /** Ends the call (the returned promise then rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Largest message accepted; default `DEFAULT_READ_MAX_MESSAGE_BYTES`. */
  maxMessageBytes?: number;
  /** The fetch to use; default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /**
   * Called with the error of a message that does not decode as a `ReadMessagesResponse`, which is then skipped
   * (the stream goes on); without it, such a message ends the call with that error. A proxy that holds such a
   * message in its history would otherwise end every reconnect at the same place.
   */
  onInvalidMessage?: (error: GrpcWebError) => void;
}

/**
 * Calls the message proxy's `ReadMessages` at `baseUrl` (`http://host:port`) over gRPC-web and hands each
 * `ReadMessagesResponse` to `onMessage`, synchronously, as soon as its last byte arrived. Each message is copied
 * once, from the fetched chunks into a buffer of its own (`GrpcFrameDecoder`), and its ArrowMsg payload stays a
 * view of that buffer. Resolves when the server ends the stream with status 0; rejects with a `GrpcWebError`
 * otherwise (or with the abort reason).
 */
export async function readMessages(
  baseUrl: string,
  onMessage: (response: sdkCommsPb.ReadMessagesResponse) => void,
  options: ReadMessagesOptions = {},
): Promise<void> {
  const url = `${baseUrl.replace(/\/+$/, "")}${READ_MESSAGES_PATH}`;
  const fetchFn = options.fetch ?? globalThis.fetch;
  const response = await fetchFn(url, {
    method: "POST",
    headers: { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" },
    body: EMPTY_REQUEST_FRAME,
    redirect: "error",
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const body = response.body;
  try {
    checkHttpStatus(url, response);
    if (response.headers.has("grpc-status")) {
      // Trailers-only: the status came with the headers, and there is no body (gRPC over HTTP/2 §Responses).
      if (body && !(await bodyIsEmpty(body))) {
        throw new GrpcWebError(
          "protocol",
          `${url}: a trailers-only response (grpc-status in the headers) has a body`,
        );
      }
      checkStatus(url, response.headers.get("grpc-status"), response.headers.get("grpc-message"));
      return;
    }
    checkContentType(url, response);
    if (!body) {
      throw new GrpcWebError("protocol", `${url}: the response has no body (expected gRPC-web frames)`);
    }
    await readBody(
      url,
      body,
      onMessage,
      options.maxMessageBytes ?? DEFAULT_READ_MAX_MESSAGE_BYTES,
      options.signal,
      options.onInvalidMessage,
    );
    options.signal?.throwIfAborted();
  } catch (error) {
    options.signal?.throwIfAborted();
    throw error;
  } finally {
    // Releases the connection when the call ended early (an error, abort, or a trailers-only response).
    if (body && !body.locked) body.cancel().catch(() => undefined);
  }
}

/** True if `body` is empty. */
async function bodyIsEmpty(body: ReadableStream<Uint8Array>): Promise<boolean> {
  const reader = body.getReader();
  try {
    return (await reader.read()).done;
  } finally {
    reader.releaseLock();
  }
}

function checkHttpStatus(url: string, response: Response): void {
  if (response.status !== 200) {
    const grpcMessage = response.headers.get("grpc-message");
    throw new GrpcWebError(
      "http-status",
      `${url}: HTTP status ${response.status}${response.statusText ? ` ${response.statusText}` : ""} (expected 200)` +
        (grpcMessage !== null ? `: ${percentDecode(grpcMessage)}` : ""),
    );
  }
}

function checkContentType(url: string, response: Response): void {
  const contentType = response.headers.get("content-type") ?? "";
  if (!/^application\/grpc-web(\+proto)?\s*(;|$)/i.test(contentType)) {
    throw new GrpcWebError(
      "protocol",
      `${url}: content-type ${JSON.stringify(contentType)} (expected application/grpc-web+proto)`,
    );
  }
}

async function readBody(
  url: string,
  body: ReadableStream<Uint8Array>,
  onMessage: (response: sdkCommsPb.ReadMessagesResponse) => void,
  maxMessageBytes: number,
  signal: AbortSignal | undefined,
  onInvalidMessage: ((error: GrpcWebError) => void) | undefined,
): Promise<void> {
  const decoder = new GrpcFrameDecoder(
    maxMessageBytes,
    (bytes) =>
      new GrpcWebError(
        "too-large",
        `${url}: a message of ${bytes} bytes is over the limit of ${maxMessageBytes} bytes`,
      ),
  );
  const reader = body.getReader();
  // An abort ends a pending or later read itself: Node's fetch does not error the body when the signal fires while
  // no read is pending (e.g. from onMessage) and no more data comes (a live stream waiting for messages).
  const onAbort = (): void => void reader.cancel(signal?.reason).catch(() => undefined);
  signal?.addEventListener("abort", onAbort, { once: true });
  const frames: GrpcFrame[] = [];
  let trailers: Headers | undefined;
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.length;
      let failure: unknown;
      try {
        decoder.push(value, frames);
      } catch (error) {
        failure = error; // after the messages that the chunk completed before the one that failed
      }
      for (const frame of frames) {
        if (trailers !== undefined) {
          throw new GrpcWebError(
            "protocol",
            `${url}: a frame after the trailers (expected the end of the body)`,
          );
        }
        if (frame.trailers) trailers = parseTrailers(url, frame.bytes);
        else {
          const message = decodeMessage(url, frame, onInvalidMessage !== undefined);
          if (message instanceof GrpcWebError) onInvalidMessage!(message);
          else onMessage(message);
        }
      }
      frames.length = 0;
      if (failure !== undefined) throw failure;
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    reader.releaseLock();
  }
  if (!decoder.atBoundary) {
    throw new GrpcWebError(
      "protocol",
      `${url}: the body ended inside a frame after ${received} bytes (expected a complete gRPC-web frame)`,
    );
  }
  if (trailers === undefined) {
    throw new GrpcWebError("protocol", `${url}: the body ended without trailers (expected a grpc-status)`);
  }
  checkStatus(url, trailers.get("grpc-status"), trailers.get("grpc-message"));
}

/** The message in `frame`; an undecodable one is thrown, or returned as its error when `skippable`. */
function decodeMessage(
  url: string,
  frame: GrpcFrame,
  skippable: boolean,
): sdkCommsPb.ReadMessagesResponse | GrpcWebError {
  if (frame.compressed) {
    throw new GrpcWebError(
      "compressed",
      `${url}: a compressed message (flags 0x01) although no grpc-accept-encoding was sent (expected flags 0x00)`,
    );
  }
  try {
    return fromBinary(sdkCommsPb.ReadMessagesResponseSchema, frame.bytes);
  } catch (error) {
    const invalid = new GrpcWebError(
      "protocol",
      `${url}: a ReadMessagesResponse of ${frame.bytes.length} bytes does not decode: ${(error as Error).message}`,
      undefined,
      { cause: error },
    );
    if (skippable) return invalid;
    throw invalid;
  }
}

/** A gRPC-web trailers frame: HTTP/1-style `name: value` lines separated by CRLF. */
function parseTrailers(url: string, bytes: Uint8Array): Headers {
  const trailers = new Headers();
  for (const line of new TextDecoder().decode(bytes).split("\r\n")) {
    if (line === "") continue;
    const colon = line.indexOf(":");
    if (colon <= 0)
      throw new GrpcWebError(
        "protocol",
        `${url}: malformed trailer line ${JSON.stringify(line)} (expected name: value)`,
      );
    trailers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return trailers;
}

function checkStatus(url: string, status: string | null, message: string | null): void {
  if (status === null) throw new GrpcWebError("protocol", `${url}: trailers without grpc-status`);
  const code = /^\d+$/.test(status.trim()) ? Number(status.trim()) : NaN;
  if (!Number.isInteger(code)) {
    throw new GrpcWebError("protocol", `${url}: grpc-status ${JSON.stringify(status)} (expected a number)`);
  }
  if (code === 0) return;
  const name = GRPC_STATUS_NAMES[code] ?? "unknown code";
  throw new GrpcWebError(
    "grpc-status",
    `${url}: grpc-status ${code} (${name})${message ? `: ${percentDecode(message)}` : ""}`,
    code,
  );
}

/** `grpc-message` is percent-encoded (UTF-8); a malformed escape is kept as it is. */
function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const GRPC_STATUS_NAMES: readonly string[] = [
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
];
