// A bare byte relay for the live benchmark's third baseline: the loopback TCP path with a process in the middle,
// as `iris serve` is, but with no protocol at all. For each connection it accepts on `--listen PORT` it opens one to
// 127.0.0.1:`--upstream PORT` and writes every byte it reads there to the accepted connection. Each read lands in
// fresh 1 MiB of memory (`onread` with a buffer per read), which is written on as it is, not copied. Of the byte
// relays tried in Node on the bench machine, the fastest: `data` events (Node's fresh 64 KiB buffers, forwarded)
// reached ~0.33 of the single-socket baseline, one reused buffer with a copy of each read ~0.31 (256 KiB) to ~0.42
// (4 MiB), a fresh buffer per read without a copy ~0.47–0.50 (1 MiB and 4 MiB). Prints "ready" once it listens.
import { type Socket, connect, createServer } from "node:net";

const READ_BUFFER_BYTES = 1024 * 1024;

function arg(name: string): number {
  const at = process.argv.indexOf(name);
  const value = Number(process.argv[at + 1]);
  if (at < 0 || !Number.isInteger(value)) throw new Error(`tcp-relay: ${name} PORT is required`);
  return value;
}

function relay(down: Socket, upstreamPort: number): void {
  let buffer = Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
  const up: Socket = connect({
    port: upstreamPort,
    host: "127.0.0.1",
    onread: {
      buffer: () => buffer,
      callback: (n) => {
        const ok = down.write(buffer.subarray(0, n));
        buffer = Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
        if (!ok) {
          up.pause();
          down.once("drain", () => up.resume());
        }
        return true;
      },
    },
  });
  const close = (): void => {
    up.destroy();
    down.destroy();
  };
  up.once("close", close).once("error", close).once("end", close);
  down.once("close", close).once("error", close);
}

const upstreamPort = arg("--upstream");
const server = createServer((down) => relay(down, upstreamPort));
server.listen(arg("--listen"), "127.0.0.1", () => process.stdout.write("ready\n"));
