import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { resolve } from "node:path";
import { SdkError } from "../sdk-error.ts";

/** Paths locked by this process (a second FileSink here is refused without touching the file system). */
const heldHere = new Set<string>();

/**
 * An exclusive lock on a file being written, held as a sibling lock file `<path>.lock` created with `O_EXCL`
 * (`open(…, "wx")`), which is atomic on local file systems: of two writers, in this process or in two processes,
 * exactly one creates it. The lock file holds `pid@hostname`. A lock left by a process that died without
 * releasing it (SIGKILL, power loss) is taken over when that pid no longer runs on this host; a lock from
 * another host is never taken over (remove the `.lock` file by hand).
 */
export class FileLock {
  readonly lockPath: string;
  private held = true;

  private constructor(
    readonly path: string,
    lockPath: string,
  ) {
    this.lockPath = lockPath;
  }

  /** Takes the lock on `path` or throws `SdkError` "file-locked" naming the holder. */
  static acquire(path: string): FileLock {
    const absolute = resolve(path);
    const lockPath = `${absolute}.lock`;
    if (heldHere.has(absolute)) {
      throw new SdkError(
        "file-locked",
        `${path} is already being written by another FileSink in this process (pid ${process.pid}); close it first`,
      );
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(lockPath, "wx");
        try {
          writeSync(fd, `${process.pid}@${hostname()}\n`);
        } finally {
          closeSync(fd);
        }
        heldHere.add(absolute);
        return new FileLock(absolute, lockPath);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const holder = readHolder(lockPath);
      if (holder === undefined || isAlive(holder)) {
        throw new SdkError(
          "file-locked",
          `${path} is already being written by ${holder ? `pid ${holder.pid} on ${holder.host}` : "another writer"} ` +
            `(lock file ${lockPath}); two writers would interleave and lose the recording`,
        );
      }
      // The holder died without releasing the lock: move its lock file aside (atomic: one taker wins), retry.
      try {
        renameSync(lockPath, `${lockPath}.stale-${process.pid}`);
        unlinkSync(`${lockPath}.stale-${process.pid}`);
      } catch {
        // Another process took it over first; the next attempt sees its lock.
      }
    }
    throw new SdkError("file-locked", `${path}: could not take the lock file ${lockPath}`);
  }

  /** Removes the lock file (idempotent). */
  release(): void {
    if (!this.held) return;
    this.held = false;
    heldHere.delete(this.path);
    try {
      unlinkSync(this.lockPath);
    } catch {
      // Already gone (removed by hand): nothing to release.
    }
  }
}

interface Holder {
  pid: number;
  host: string;
}

function readHolder(lockPath: string): Holder | undefined {
  try {
    const match = /^(\d+)@(.*)$/m.exec(readFileSync(lockPath, "utf8"));
    return match ? { pid: Number(match[1]), host: match[2]! } : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(holder: Holder): boolean {
  if (holder.host !== hostname()) return true;
  // Our own pid but not held here (checked before): left by an earlier process that had the same pid.
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
