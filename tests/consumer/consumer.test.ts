/**
 * Iris as an outside user gets it: every package is built and packed, the tarballs are installed into a scratch
 * project in os.tmpdir() (no workspace links, no tsx), and that project uses them with plain `node`, with `tsc`
 * under a default strict NodeNext tsconfig, in a Vite-bundled page in headless Chromium, and through the
 * installed `iris` command and `spawn()`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, lstatSync, readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../browser/chromium.ts";
import { decodePng } from "../browser/rerun-viewer.ts";
import { startStaticServer } from "../browser/static-server.ts";
import { freePort } from "../live/live-helpers.ts";
import {
  type ScratchProject,
  createScratchProject,
  expectOk,
  publishedPackages,
  readmeProgram,
  repoRoot,
  run,
  userEnv,
} from "./scratch-project.ts";

let project: ScratchProject;
const at = (...parts: string[]): string => join(project.dir, ...parts);
const iris = (...args: string[]) =>
  run(process.execPath, [at("node_modules/.bin/iris"), ...args], { cwd: project.dir });

beforeAll(async () => {
  project = await createScratchProject();
}, 420_000);

afterAll(async () => {
  if (project) await rm(project.dir, { recursive: true, force: true });
});

describe("the packed packages", () => {
  it("hold the build output, README and licences, never sources or tests", () => {
    expect(project.packed.map((p) => p.name).sort()).toEqual(
      publishedPackages.map((n) => `@iris/${n}`).sort(),
    );
    for (const pkg of project.packed) {
      const paths = pkg.files.map((f) => f.path);
      expect(paths, pkg.name).toEqual(
        expect.arrayContaining([
          "package.json",
          "README.md",
          "LICENSE-MIT",
          "LICENSE-APACHE",
          "dist/index.js",
          "dist/index.d.ts",
        ]),
      );
      expect(
        paths.filter(
          (p) => !/^(dist\/|bin\/iris\.js$|package\.json$|README\.md$|LICENSE-(MIT|APACHE)$)/.test(p),
        ),
        pkg.name,
      ).toEqual([]);
      expect(
        paths.filter((p) => p.endsWith(".ts") && !p.endsWith(".d.ts")),
        pkg.name,
      ).toEqual([]);
      expect(
        paths.filter((p) => p.endsWith(".tsbuildinfo")),
        pkg.name,
      ).toEqual([]);
    }
  });

  it("install as real copies (no links into the repository), without tsx and without engine warnings", () => {
    for (const name of publishedPackages) {
      const installed = at("node_modules/@iris", name);
      expect(lstatSync(installed).isSymbolicLink(), name).toBe(false);
      expect(existsSync(join(installed, "src")), name).toBe(false);
    }
    expect(existsSync(at("node_modules/tsx"))).toBe(false);
    expect(project.installLog).not.toMatch(/EBADENGINE/);
  });

  it("declaration files import .js paths, never .ts", () => {
    const dts = readFileSync(at("node_modules/@iris/sdk/dist/index.d.ts"), "utf8");
    expect(dts).toMatch(/from "\.\/recording-stream\.js"/);
    expect(dts).not.toMatch(/\.ts"/);
  });
});

describe("plain node", () => {
  it("runs the README's first program and writes a recording that `iris verify` (and Rerun) accept", async () => {
    await writeFile(at("app.mjs"), await readmeProgram("## Your first program"));
    expectOk(await run(process.execPath, ["app.mjs"], { cwd: project.dir }), "node app.mjs");
    const verify = expectOk(await iris("verify", "first.rrd"), "iris verify");
    expect(verify.stdout).toMatch(/ok/i);
    const print = expectOk(await iris("print", "first.rrd"), "iris print");
    for (const entity of ["/image", "/camera/depth", "/video"]) expect(print.stdout).toContain(entity);
    const rerun = join(repoRoot, ".venv-rerun/bin/rerun");
    if (existsSync(rerun)) {
      // Rerun's own check, footers included.
      expectOk(
        await run(rerun, ["rrd", "verify", at("first.rrd")], { cwd: project.dir }),
        "rerun rrd verify",
      );
    }
  });
});

describe("versions", () => {
  it("every package has one real version, and IRIS_SDK_VERSION (written into recordings) is @iris/sdk's", async () => {
    const versions = publishedPackages.map(
      (name) =>
        (
          JSON.parse(readFileSync(at("node_modules/@iris", name, "package.json"), "utf8")) as {
            version: string;
          }
        ).version,
    );
    expect(new Set(versions).size).toBe(1);
    expect(versions[0]).toMatch(/^\d+\.\d+\.\d+$/);
    const printed = expectOk(
      await run(
        process.execPath,
        [
          "--input-type=module",
          "-e",
          'import { IRIS_SDK_VERSION } from "@iris/sdk"; console.log(IRIS_SDK_VERSION);',
        ],
        { cwd: project.dir },
      ),
      "node -e",
    );
    expect(printed.stdout.trim()).toBe(versions[0]);
  });
});

describe("TypeScript (strict, NodeNext)", () => {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  // skipLibCheck off for the program that must pass, so that Iris's own declaration files are checked too.
  const tsconfig = (file: string, skipLibCheck: boolean) => ({
    compilerOptions: {
      module: "nodenext",
      target: "es2022",
      strict: true,
      noEmit: true,
      skipLibCheck,
      types: [],
    },
    files: [file],
  });

  it("type-checks the first program as app.ts, and rejects a deliberate type error", async () => {
    const program = await readmeProgram("## Your first program");
    const bad = program.replace('channelDatatype: "U8"', 'channelDatatype: "U9"');
    expect(bad).not.toBe(program);
    await writeFile(at("app.ts"), program);
    await writeFile(at("tsconfig.json"), JSON.stringify(tsconfig("app.ts", false)));
    await writeFile(at("bad.ts"), bad);
    await writeFile(at("tsconfig.bad.json"), JSON.stringify(tsconfig("bad.ts", true)));
    const check = (config: string) => run(process.execPath, [tsc, "-p", config], { cwd: project.dir });
    const [passed, failed] = await Promise.all([check("tsconfig.json"), check("tsconfig.bad.json")]);
    expect(passed.stdout + passed.stderr).toBe("");
    expect(passed.code).toBe(0);
    expect(failed.code).not.toBe(0);
    expect(failed.stdout).toMatch(/bad\.ts\(\d+,\d+\): error TS2322: Type '"U9"'/);
  }, 180_000);
});

describe("a Vite-bundled page with @iris/sdk/browser and @iris/viewer", () => {
  it("logs an image into the embedded viewer, which shows its colour", async () => {
    const web = at("web");
    await mkdir(web, { recursive: true });
    await writeFile(
      join(web, "index.html"),
      '<!doctype html><html><head><link rel="icon" href="data:,"></head><body style="margin:0"><div id="viewer" style="width:100vw;height:100vh"></div>' +
        '<script type="module" src="./main.js"></script></body></html>\n',
    );
    await writeFile(join(web, "main.js"), webPage);
    const { build } = await import("vite");
    await build({
      root: web,
      configFile: false,
      logLevel: "silent",
      build: { outDir: join(web, "dist"), emptyOutDir: true },
    });
    const server = await startStaticServer({ roots: [{ prefix: "/", dir: join(web, "dist") }] });
    const session = await launchChromium({ width: 800, height: 600 });
    try {
      const { page, console } = await session.newPage();
      await page.goto(`${server.url}/index.html`);
      await page.waitForFunction(() => document.title === "logged", undefined, { timeout: 30_000 });
      let matching = 0;
      // Until a deadline rather than for 40 attempts: 40 × 250 ms is ~10 s whenever screenshots come back quickly,
      // however long a busy machine takes to draw the first frame (SwiftShader compiles the shaders first).
      const deadline = Date.now() + 30_000;
      while (matching < 64 * 48 && Date.now() < deadline) {
        const shot = await decodePng(await page.screenshot());
        matching = 0;
        for (let i = 0; i < shot.rgba.length; i += 4) {
          const [r, g, b] = [shot.rgba[i]!, shot.rgba[i + 1]!, shot.rgba[i + 2]!];
          if (Math.abs(r - 200) <= 2 && Math.abs(g - 40) <= 2 && Math.abs(b - 90) <= 2) matching++;
        }
        if (matching < 64 * 48) await new Promise((r) => setTimeout(r, 250));
      }
      // The 64×48 image is drawn at least at its own size in an 800×600 page, in exactly the logged colour.
      expect(matching).toBeGreaterThanOrEqual(64 * 48);
      expect(console.problems()).toEqual([]);
    } finally {
      await session.close();
      await server.close();
    }
  });
});

const webPage = `import { Image, RecordingStream } from "@iris/sdk";
import { toViewer } from "@iris/sdk/browser";
import { IrisViewer } from "@iris/viewer";

const viewer = new IrisViewer(document.getElementById("viewer"));
const rec = new RecordingStream({ applicationId: "consumer_page" });
toViewer(viewer, rec);
const width = 64;
const height = 48;
const rgb = new Uint8Array(width * height * 3);
for (let i = 0; i < rgb.length; i += 3) rgb.set([200, 40, 90], i);
rec.log("image", new Image(rgb, { width, height, colorModel: "RGB" }));
rec.flush();
document.title = "logged";
`;

describe("the installed iris command and spawn()", () => {
  it("iris --version and iris help run from dist/ with plain node", async () => {
    const version = expectOk(await iris("--version"), "iris --version");
    const manifest = JSON.parse(readFileSync(at("node_modules/@iris/cli/package.json"), "utf8")) as {
      version: string;
    };
    expect(version.stdout).toContain(manifest.version);
    const help = expectOk(await iris("help"), "iris help");
    expect(help.stdout).toMatch(/usage: iris/);
    // The bin runs the one-file build of the command (packages/cli/bundle.js), which the package ships.
    expect(readFileSync(at("node_modules/@iris/cli/bin/iris.js"), "utf8")).toContain("../dist/iris.mjs");
    expect(existsSync(at("node_modules/@iris/cli/dist/iris.mjs"))).toBe(true);
  });

  it("npx iris view serves the viewer page and the recording", async () => {
    if (!existsSync(at("first.rrd")))
      await writeFile(at("app.mjs"), await readmeProgram("## Your first program"));
    if (!existsSync(at("first.rrd")))
      expectOk(await run(process.execPath, ["app.mjs"], { cwd: project.dir }), "app");
    const port = await freePort();
    const child = spawn("npx", ["iris", "view", "first.rrd", "--port", String(port), "--no-open"], {
      cwd: project.dir,
      env: userEnv(),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group: npx and the iris it starts are stopped together
    });
    try {
      const pageUrl = await waitForLine(child, /Iris viewer: (\S+)/);
      const page = await fetch(pageUrl);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("iris-viewer.js");
      const script = await fetch(new URL("/iris-viewer.js", pageUrl));
      expect(script.status).toBe(200);
      expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
      const recordingUrl = new URL(pageUrl).searchParams.get("url");
      expect(recordingUrl).not.toBeNull();
      const recording = new Uint8Array(await (await fetch(new URL(recordingUrl!, pageUrl))).arrayBuffer());
      expect(recording).toEqual(new Uint8Array(readFileSync(at("first.rrd"))));
    } finally {
      await stop(child);
    }
  });

  it("spawn() starts the installed iris serve and streams to it", async () => {
    const port = await freePort();
    await writeFile(at("spawn.mjs"), spawnProgram);
    const result = expectOk(
      await run(process.execPath, ["spawn.mjs", String(port)], { cwd: project.dir }),
      "spawn.mjs",
    );
    const report = JSON.parse(result.stdout) as {
      started: boolean;
      pid: number;
      acked: number;
      viewerUrl: string;
      kinds: string[];
    };
    try {
      expect(report.started).toBe(true);
      // The server runs the installed package's bin (dist/), not the repository's sources.
      const cmdline = readFileSync(`/proc/${report.pid}/cmdline`, "utf8").split("\0");
      expect(cmdline).toContain(at("node_modules/@iris/cli/bin/iris.js"));
      expect(report.acked).toBeGreaterThanOrEqual(2);
      expect((await fetch(report.viewerUrl)).status).toBe(200);
      // readMessages from the installed package read the recording back from the proxy.
      expect(report.kinds[0]).toBe("setStoreInfo");
      expect(report.kinds).toContain("arrowMsg");
    } finally {
      process.kill(report.pid, "SIGKILL");
    }
  });
});

const spawnProgram = `import { Image, RecordingStream } from "@iris/sdk";
import { readMessages, spawn } from "@iris/sdk/node";

const rec = new RecordingStream({ applicationId: "consumer_spawn" });
const spawned = await spawn({ port: Number(process.argv[2]), open: false }, rec);
rec.log("image", new Image(new Uint8Array(2 * 2 * 3).fill(7), { width: 2, height: 2, colorModel: "RGB" }));
rec.flush();
await spawned.sink.flushed(30_000);
const acked = spawned.sink.stats.ackedMessages;
rec.close();
await spawned.sink.closed();
// Read the proxy's history back, as the README shows, until the image's ArrowMsg.
const abort = new AbortController();
const kinds = [];
for await (const msg of readMessages(spawned.proxyUrl, { signal: abort.signal })) {
  kinds.push(msg.kind);
  if (msg.kind === "arrowMsg" && msg.storeId.applicationId === "consumer_spawn") abort.abort();
}
process.stdout.write(JSON.stringify({ started: spawned.started, pid: spawned.pid, acked, viewerUrl: spawned.viewerUrl, kinds }));
`;

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${out}\n${err}`)),
      timeoutMs,
    );
    child.stderr!.on("data", (d: Uint8Array) => (err += new TextDecoder().decode(d)));
    child.stdout!.on("data", (d: Uint8Array) => {
      out += new TextDecoder().decode(d);
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before ${pattern}:\n${out}\n${err}`));
    });
  });
}

/** Stops a detached child's whole process group: SIGTERM, then SIGKILL after 5 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  const group = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  group("SIGTERM");
  const timer = setTimeout(() => group("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}
