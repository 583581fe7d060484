import { cpus, totalmem, type as osType, release } from "node:os";

/** One line describing the machine a benchmark ran on. */
export function describeMachine(): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const gib = (totalmem() / 2 ** 30).toFixed(0);
  return `${cpus().length} × ${cpu}, ${gib} GiB RAM, ${osType()} ${release()}, Node ${process.version}`;
}
