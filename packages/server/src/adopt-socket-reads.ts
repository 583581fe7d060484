import * as net from "node:net";

/** Node's socket options with the two it takes but does not declare: the handle to wrap, and `onread`. */
interface AdoptOptions extends net.SocketConstructorOpts {
  handle: object;
  onread: net.OnReadOpts;
}

/** The handle under `socket` (Node's undocumented `_handle`), if it has one. */
function handleOf(socket: net.Socket): { readStop?: () => number; reading?: boolean } | undefined {
  return (
    (socket as unknown as { _handle?: { readStop?: () => number; reading?: boolean } | null })._handle ??
    undefined
  );
}

/**
 * Stops the reads of `socket`'s handle at once, also from inside one of its 'data' events (where `pause()` only
 * stops the events): nothing more is read, and no end or read error can come, until a socket reads again.
 */
export function stopSocketReads(socket: net.Socket): void {
  const handle = handleOf(socket);
  handle?.readStop?.();
  if (handle !== undefined) handle.reading = false;
}

/**
 * Moves the connection under `socket` (accepted by a `net.Server`, paused, its 'data' listeners removed; not
 * inside one of its 'data' events, whose end would stop the handle's reads again) to a new socket that reads into
 * `buffer`, one reused buffer, handing each read to `onBytes` as a view valid during the call, or, when `inPlace`
 * offers a target before a read, into that (then `inPlace.filled(n)`). Data `socket` had
 * read but not emitted goes to `onBytes` first. Returns the new socket (`socket` is then destroyed without
 * closing the connection), or undefined when `socket` has no handle to move (the caller reads with 'data' events
 * then).
 *
 * Why: an accepted socket reads into fresh 64 KiB of memory per read and, for a short read, copies it again into
 * memory of the exact size (Node's `BackingStore::Reallocate`), so a 6 MB frame costs ~100 allocations, a copy
 * and, as the C library hands out fresh pages, ~1,500 page faults: most of the proxy's system time
 * (docs/live-streaming.md). `net.createServer` takes no `onread`; a socket built on an existing handle does. The
 * handle is `net.Socket`'s `_handle`, which Node has not documented; without it the proxy still works, slower.
 */
export function adoptSocketReads(
  socket: net.Socket,
  buffer: Uint8Array,
  onBytes: (bytes: Uint8Array) => void,
  inPlace?: { target(): Uint8Array | undefined; filled(n: number): void },
): net.Socket | undefined {
  const handle = handleOf(socket);
  if (handle === undefined || socket.destroyed) return undefined;
  const unread: Uint8Array[] = [];
  for (let chunk: unknown; (chunk = socket.read()) !== null;) unread.push(chunk as Uint8Array);
  // Stopped, and marked so: the new socket starts reading only if the handle says it is not reading.
  stopSocketReads(socket);
  (socket as unknown as { _handle: unknown })._handle = null;
  for (const chunk of unread) onBytes(chunk);
  const options: AdoptOptions = {
    handle,
    onread: {
      // Asked before every read: `inPlace`'s target when it has one (the memory where the bytes belong), else
      // the reused buffer.
      buffer: () => inPlace?.target() ?? buffer,
      callback: (n, bytes) => {
        if (bytes === buffer) onBytes(bytes.subarray(0, n));
        else inPlace!.filled(n);
        return true;
      },
    },
  };
  const adopted = new net.Socket(options);
  socket.destroy(); // without a handle: the server counts the connection closed, and it stays open
  return adopted;
}
