// Error messages for people (no internal codes) and control characters from files escaped on the terminal.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Utf8, vectorFromArray } from "apache-arrow";
import { beforeAll, describe, expect, it } from "vitest";
import { Image, RecordingStream } from "@iris/sdk";
import { FileSink } from "@iris/sdk/node";
import { imageComponents, writeFixtureRrd } from "../browser/independent-rrd-fixture-writer.ts";
import { run } from "./run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "iris-cli-messages-"));
/** Anything a terminal would interpret: C0 (except the CLI's own line breaks), DEL, C1, bidi controls. */
const RAW_CONTROL = new RegExp(
  // eslint-disable-next-line no-control-regex -- the characters under test
  "[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]",
  "u",
);

const HOSTILE_APP = "app\x1b]0;pwned\x07\u202eevil";
const HOSTILE_REC = "rec\x1b[2J\x9b";
const HOSTILE_TIMELINE = "frame\x1b[31m\x7f";
const HOSTILE_ENTITY = "/cam\x1b[2J\u2066x";
const HOSTILE_COMPONENT = "Text:text\x07\u202e";
const HOSTILE_TEXT = "hello\x1b]52;c;cm0gLXJm\x07\r\n\u202egnp.exe";

const sdkFile = join(dir, "sdk-hostile.rrd");
const rawFile = join(dir, "raw-hostile.rrd");
const simple = join(dir, "simple.rrd");

beforeAll(() => {
  const rec = new RecordingStream({
    applicationId: HOSTILE_APP,
    recordingId: HOSTILE_REC,
    sink: new FileSink(sdkFile),
    defaultTimelines: false,
  });
  rec.setTimeSequence(HOSTILE_TIMELINE, 1);
  rec.log("img", new Image(new Uint8Array([1]), { width: 1, height: 1 }));
  rec.close();
  // Written by the independent fixture writer: an entity path, component name and string value as raw as a
  // hostile file can make them (the SDK would escape the entity path).
  const [, format] = imageComponents([
    { buffer: new Uint8Array([7]), format: { width: 1, height: 1, colorModel: 1, channelDatatype: 6 } },
  ]);
  const media = {
    archetype: "rerun.archetypes.TextDocument",
    component: HOSTILE_COMPONENT,
    componentType: "rerun.components.Text",
    itemType: new Utf8(),
    items: vectorFromArray([HOSTILE_TEXT], new Utf8()).data[0]!,
  };
  writeFileSync(
    rawFile,
    writeFixtureRrd({
      applicationId: HOSTILE_APP,
      recordingId: HOSTILE_REC,
      chunks: [
        {
          entityPath: HOSTILE_ENTITY,
          sequence: { name: HOSTILE_TIMELINE, values: [3] },
          components: [format!, media],
        },
      ],
    }),
  );
  const simpleRec = new RecordingStream({ applicationId: "simple", sink: new FileSink(simple) });
  simpleRec.log("img", new Image(new Uint8Array(12), { width: 2, height: 2 }));
  simpleRec.close();
});

describe("error messages", () => {
  it("says a file does not exist in words, once", async () => {
    const missing = join(dir, "missing.rrd");
    for (const command of ["print", "verify", "query"]) {
      const { code, err } = await run(command, missing, ...(command === "query" ? ["--index", "t"] : []));
      expect(code).toBe(1);
      expect(err).toBe(`iris ${command}: cannot open ${missing}: no such file\n`);
    }
    const compare = await run("compare", simple, missing);
    expect(compare.err).toBe(`iris compare: cannot open ${missing}: no such file\n`);
    const isDir = await run("print", dir);
    expect(isDir.err).toBe(`iris print: cannot open ${dir}: it is a directory\n`);
  });

  it("says a file is not an .rrd file and shows what it starts with", async () => {
    const text = join(dir, "x.txt");
    writeFileSync(text, "hello, not a recording");
    const { code, err } = await run("verify", text);
    expect(code).toBe(1);
    expect(err).toBe(
      `iris verify: ${text} is not an .rrd file (expected the RRF2 magic, found "hell" (68 65 6c 6c))\n`,
    );
    const empty = join(dir, "empty.rrd");
    writeFileSync(empty, new Uint8Array(0));
    expect((await run("print", empty)).err).toBe(`iris print: ${empty} is empty, not an .rrd file\n`);
  });

  it("names message kinds instead of numbers", async () => {
    const bytes = readFileSync(simple);
    const cut = join(dir, "cut.rrd");
    writeFileSync(cut, bytes.subarray(0, bytes.length - 40));
    const { code, out } = await run("verify", cut);
    expect(code).toBe(1);
    expect(out).toMatch(/payload bytes of the (ArrowMsg|SetStoreInfo|End) message/); // the cut lands in the footer
    expect(out).not.toMatch(/kind \d/);
  });

  it("names an unknown timeline without the error kind", async () => {
    const { code, err } = await run("query", simple, "--index", "nope");
    expect(code).toBe(1);
    expect(err).toMatch(/^iris query: no timeline "nope" in .*; timelines: log_tick, log_time\n$/);
  });

  it("says a port is taken in words", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const view = await run("view", simple, "--port", String(port), "--no-open");
      expect(view.code).toBe(1);
      const inUse =
        "the address is already in use (choose another port with --port N, or --port 0 for any free one)";
      expect(view.err).toBe(`iris view: cannot listen on 127.0.0.1:${port}: ${inUse}\n`);
      const serve = await run("serve", "--port", String(port), "--no-viewer");
      expect(serve.code).toBe(1);
      expect(serve.err).toBe(`iris serve: cannot listen on 127.0.0.1:${port}: ${inUse}\n`);
    } finally {
      blocker.close();
    }
  });

  it("never prints a code such as ENOENT, not-rrd or unknown-timeline", async () => {
    const outputs = await Promise.all([
      run("print", join(dir, "nope.rrd")),
      run("verify", join(dir, "nope.rrd")),
      run("query", simple, "--index", "nope"),
    ]);
    for (const { err } of outputs) expect(err).not.toMatch(/ENOENT|not-rrd|unknown-timeline|Error:/);
  });
});

describe("control characters from files", () => {
  it("are escaped in every human output", async () => {
    const runs = [
      await run("print", sdkFile),
      await run("print", sdkFile, "--verbose"),
      await run("print", rawFile, "--verbose"),
      await run("verify", rawFile),
      await run("query", rawFile, "--index", HOSTILE_TIMELINE),
      await run("query", rawFile, "--index", "nope"),
      await run("compare", sdkFile, rawFile),
      await run("print", sdkFile, "--footers", "--verbose"),
    ];
    for (const { out, err } of runs) {
      expect(out + err).not.toMatch(RAW_CONTROL);
    }
    const [print, , raw, , query, unknown, compare, footers] = runs;
    expect(print!.out).toContain("store recording:app\\x1b]0;pwned\\x07\\u202eevil/rec\\x1b[2J\\x9b");
    expect(print!.out).toContain("frame\\x1b[31m\\x7f (sequence): 1 … 1");
    expect(raw!.out).toContain("/cam\\x1b[2J\\u2066x: 1 chunks, 1 rows");
    expect(raw!.out).toContain(
      "Text:text\\x07\\u202e: [hello\\x1b]52;c;cm0gLXJm\\x07\\x0d\\x0a\\u202egnp.exe]",
    );
    expect(query!.out).toContain("frame\\x1b[31m\\x7f=3");
    expect(unknown!.err).toContain("timelines: frame\\x1b[31m\\x7f");
    expect(compare!.out).toContain("/cam\\x1b[2J\\u2066x: 0 rows vs 1 rows");
    expect(footers!.out).toContain("store recording:app\\x1b]0;pwned\\x07\\u202eevil/rec\\x1b[2J\\x9b");
    expect(footers!.out).toContain("frame\\x1b[31m\\x7f (sequence): 1 … 1");
  });

  it("stay exact in --json", async () => {
    const print = JSON.parse((await run("print", rawFile, "--json", "--verbose")).out) as {
      stores: {
        applicationId: string;
        recordingId: string;
        timelines: { name: string }[];
        entities: { path: string; components: { component: string }[] }[];
      }[];
      chunks: { rows: { cells: Record<string, string> }[] }[];
    };
    const store = print.stores[0]!;
    expect(store.applicationId).toBe(HOSTILE_APP);
    expect(store.recordingId).toBe(HOSTILE_REC);
    expect(store.timelines.map((t) => t.name)).toEqual([HOSTILE_TIMELINE]);
    expect(store.entities[0]!.path).toBe(HOSTILE_ENTITY);
    expect(store.entities[0]!.components.map((c) => c.component)).toContain(HOSTILE_COMPONENT);
    expect(print.chunks[0]!.rows[0]!.cells[HOSTILE_COMPONENT]).toBe(`[${HOSTILE_TEXT}]`);
    for (const argv of [
      ["print", rawFile, "--json", "--verbose"],
      ["verify", rawFile, "--json"],
      ["query", rawFile, "--index", HOSTILE_TIMELINE, "--json"],
      ["compare", sdkFile, rawFile, "--json"],
    ]) {
      const { out } = await run(...argv);
      expect(out, argv.join(" ")).not.toMatch(RAW_CONTROL);
      expect(() => JSON.parse(out) as unknown).not.toThrow();
    }
  });
});
