import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from "playwright-core";
import { HarnessError } from "./harness-error.ts";

export const chromiumPath = "/usr/bin/chromium";

/**
 * Flags from ecosystem.md §7. WebGL2 runs on SwiftShader even with --disable-gpu; --enable-unsafe-swiftshader
 * keeps the software fallback from being deprecated away. The rest keep the run quiet and offline.
 */
export const chromiumArgs: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--enable-unsafe-swiftshader",
];

export interface ConsoleLine {
  readonly type: string;
  readonly text: string;
  /** Milliseconds since the collector started. */
  readonly atMs: number;
}

/** Console noise that is not a problem: performance hints, the missing favicon, DEBUG/INFO logs. */
const noisePatterns: readonly RegExp[] = [
  /GPU stall due to ReadPixels/i,
  /favicon\.ico/i,
  /Software rasterizer/i,
  /Automatic fallback to software WebGL/i,
  /Unhandled egui viewport command: RequestUserAttention/i,
];

export function isNoise(line: ConsoleLine): boolean {
  return noisePatterns.some((pattern) => pattern.test(line.text));
}

/** Collects a page's console output and uncaught page errors. */
export class ConsoleCollector {
  readonly #lines: ConsoleLine[] = [];
  readonly #startMs = Date.now();

  constructor(page: Page) {
    page.on("console", (message: ConsoleMessage) => this.#push(message.type(), message.text()));
    page.on("pageerror", (error: Error) => this.#push("pageerror", `${error.name}: ${error.message}`));
    page.on("crash", () => this.#push("crash", "the page crashed"));
  }

  #push(type: string, text: string): void {
    this.#lines.push({ type, text, atMs: Date.now() - this.#startMs });
  }

  /** Everything seen so far (from index `from`). */
  all(from = 0): readonly ConsoleLine[] {
    return this.#lines.slice(from);
  }

  /** Number of lines seen so far; use as a mark for `problems(mark)`. */
  get mark(): number {
    return this.#lines.length;
  }

  /**
   * Warnings and errors (console warn/error, uncaught errors, crashes, and Rerun log lines tagged WARN/ERROR
   * whatever console method carried them), without known noise.
   */
  problems(from = 0): readonly ConsoleLine[] {
    return this.#lines
      .slice(from)
      .filter(
        (line) =>
          line.type === "warning" ||
          line.type === "error" ||
          line.type === "pageerror" ||
          line.type === "crash" ||
          /^\s*(WARN|ERROR)\b/.test(line.text),
      )
      .filter((line) => !isNoise(line));
  }
}

export interface ChromiumSession {
  readonly context: BrowserContext;
  newPage(): Promise<{ page: Page; console: ConsoleCollector }>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  readonly width?: number;
  readonly height?: number;
}

/** Launches headless Debian Chromium with a fresh temporary profile. */
export async function launchChromium(options: LaunchOptions = {}): Promise<ChromiumSession> {
  const profileDir = await mkdtemp(path.join(os.tmpdir(), "iris-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless: true,
      args: [...chromiumArgs],
      viewport: { width: options.width ?? 1280, height: options.height ?? 720 },
      deviceScaleFactor: 1,
      colorScheme: "dark",
    });
  } catch (cause) {
    await rm(profileDir, { recursive: true, force: true });
    throw new HarnessError("browser-launch-failed", `could not launch ${chromiumPath}`, { cause });
  }
  const claimed = new Set<Page>();
  return {
    context,
    async newPage() {
      // Reuse the blank tab a persistent context opens with: a second tab can count as hidden, and a hidden
      // tab gets no animation frames, which stalls both the viewer and page.screenshot().
      const blank = context.pages().find((p) => p.url() === "about:blank" && !claimed.has(p));
      const page = blank ?? (await context.newPage());
      claimed.add(page);
      await page.bringToFront();
      return { page, console: new ConsoleCollector(page) };
    },
    async close() {
      try {
        await context.close();
      } finally {
        await rm(profileDir, { recursive: true, force: true });
      }
    },
  };
}
