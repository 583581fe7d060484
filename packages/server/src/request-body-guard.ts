import type * as http from "node:http";
import type * as http2 from "node:http2";
import { Code, ConnectError } from "@connectrpc/connect";
import type { PartialMessageBudget } from "./partial-message-budget.ts";

/** Content types whose body is a sequence of 5-byte-enveloped messages (flags, u32 BE length, message). */
const ENVELOPED =
  /^application\/(grpc|grpc\+proto|grpc-web|grpc-web\+proto|connect\+proto|connect\+json)\s*(;|$)/i;

/** Time a message may take per MiB it declares, on top of `bodyTimeoutMs` (a 1 MiB/s floor on the rate). */
const MS_PER_MIB = 1_000;

export interface RequestBodyGuardOptions {
  /** Unfinished messages of every connection together (`--memory-limit`, shared with the HTTP/2 gRPC path). */
  budget: PartialMessageBudget;
  /** Largest message accepted; a larger declared length is not charged (connect-node refuses it at once). */
  readMaxBytes: number;
  /**
   * A message whose first byte arrived must be complete within this time, plus 1 s per MiB it declares (default
   * in `ConnectionLimits.bodyTimeoutMs`): a body trickled byte by byte (slowloris) cannot hold its connection and
   * its reservation for ever.
   */
  bodyTimeoutMs: number;
}

/**
 * Counts a request body that connect-node reads (gRPC-web and Connect on HTTP/1.1, and anything else it serves)
 * against the partial-message budget, as `GrpcFrameDecoder` does for gRPC on HTTP/2: the body is watched as the
 * HTTP parser hands it over (`push`, before anyone buffers it); each message is charged its declared length when
 * its 5-byte envelope header arrives and credited when its last byte has arrived or the request closes. A body
 * without envelopes (unary Connect) is charged as its bytes arrive, until it ends. A message over `readMaxBytes`
 * is left to connect-node (it answers ResourceExhausted from the header); a message over the budget, or one
 * not complete in time, destroys the request with a `ConnectError` (`ResourceExhausted` / `DeadlineExceeded`),
 * which also closes an HTTP/1.1 connection.
 */
export function guardRequestBody(
  req: http.IncomingMessage | http2.Http2ServerRequest,
  options: RequestBodyGuardOptions,
): void {
  const contentType = req.headers["content-type"];
  const enveloped = typeof contentType === "string" && ENVELOPED.test(contentType);
  const { budget } = options;
  const header = new Uint8Array(5);
  let headerFill = 0;
  let remaining = 0;
  let reserved = 0;
  let timer: NodeJS.Timeout | undefined;
  let done = false;

  const finish = (): void => {
    if (done) return;
    done = true;
    budget.release(reserved);
    reserved = 0;
    clearTimeout(timer);
  };
  const refuse = (error: ConnectError): void => {
    finish();
    req.destroy(error);
  };
  const startMessage = (declaredBytes: number): void => {
    clearTimeout(timer);
    const ms = options.bodyTimeoutMs + Math.ceil((declaredBytes / 2 ** 20) * MS_PER_MIB);
    timer = setTimeout(
      () =>
        refuse(
          new ConnectError(
            `a request message was not complete within ${ms} ms (${declaredBytes} bytes declared)`,
            Code.DeadlineExceeded,
          ),
        ),
      ms,
    );
    timer.unref();
  };
  const charge = (bytes: number): boolean => {
    try {
      budget.reserve(bytes);
    } catch (error) {
      refuse(ConnectError.from(error));
      return false;
    }
    reserved += bytes;
    return true;
  };
  const messageComplete = (): void => {
    budget.release(reserved);
    reserved = 0;
    clearTimeout(timer);
  };

  /** Follows the envelopes in `chunk`; false when the request was refused. */
  const observe = (chunk: Uint8Array): boolean => {
    if (!enveloped) {
      if (reserved === 0) startMessage(Number(req.headers["content-length"] ?? options.readMaxBytes) || 0);
      if (reserved + chunk.length > options.readMaxBytes) {
        finish(); // connect-node refuses a body over readMaxBytes with a proper status
        return true;
      }
      return charge(chunk.length);
    }
    let i = 0;
    while (i < chunk.length) {
      if (remaining > 0) {
        const n = Math.min(remaining, chunk.length - i);
        remaining -= n;
        i += n;
        if (remaining === 0) messageComplete();
        continue;
      }
      if (headerFill === 0) startMessage(0);
      header[headerFill++] = chunk[i++]!;
      if (headerFill < 5) continue;
      headerFill = 0;
      const length = new DataView(header.buffer).getUint32(1, false);
      if (length > options.readMaxBytes) {
        // connect-node refuses it from this header with a proper status (nothing of it is buffered).
        finish();
        return true;
      }
      if (length === 0) {
        clearTimeout(timer);
        continue;
      }
      if (!charge(length)) return false;
      remaining = length;
      startMessage(length);
    }
    return true;
  };

  const push = req.push.bind(req);
  req.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
    if (!done && chunk instanceof Uint8Array && chunk.length > 0 && !observe(chunk)) return false;
    if (chunk === null && !enveloped) finish(); // a body without envelopes is complete at its end
    return push(chunk, encoding);
  };
  req.once("close", finish);
}
