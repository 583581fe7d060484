import { cpus, loadavg, totalmem, type as osType, release } from "node:os";

/** One line describing the machine a benchmark ran on. */
export function describeMachine(): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const gib = (totalmem() / 2 ** 30).toFixed(0);
  return `${cpus().length} × ${cpu}, ${gib} GiB RAM, ${osType()} ${release()}, Node ${process.version}`;
}

/** The load average (1, 5, 15 min) against the number of CPUs: how busy the machine was around a run. */
export function describeLoad(): string {
  const [one, five, fifteen] = loadavg().map((n) => n.toFixed(2));
  return `load average ${one} / ${five} / ${fifteen} (1 / 5 / 15 min) on ${cpus().length} CPUs`;
}
