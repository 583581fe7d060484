import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "./run-cli.ts";

const version = (
  JSON.parse(readFileSync(join(import.meta.dirname, "../../packages/cli/package.json"), "utf8")) as {
    version: string;
  }
).version;
const COMMANDS = ["print", "verify", "compare", "query", "probe", "view", "serve"];

describe("iris --version and help", () => {
  it("prints the package version for --version and -V", async () => {
    for (const flag of ["--version", "-V"]) {
      const { code, out, err } = await run(flag);
      expect(code, flag).toBe(0);
      expect(out).toBe(`iris ${version}\n`);
      expect(err).toBe("");
    }
  });

  it("lists every command for --help, -h and help, and fails without a command", async () => {
    for (const argv of [["--help"], ["-h"], ["help"], ["help", "help"]]) {
      const { code, out } = await run(...argv);
      expect(code).toBe(0);
      for (const name of COMMANDS) expect(out).toMatch(new RegExp(`^  ${name} `, "m"));
    }
    const none = await run();
    expect(none.code).toBe(2);
    expect(none.err).toContain("usage: iris <command>");
  });

  // view and serve used to start servers (and never return) on --help; print --help exited 2.
  it("prints each command's help for CMD --help, CMD -h and help CMD without running it", async () => {
    for (const name of COMMANDS) {
      for (const argv of [
        [name, "--help"],
        [name, "-h"],
        ["help", name],
        [name, "x.rrd", "--bogus", "--help"],
      ]) {
        const { code, out, err } = await run(...argv);
        expect(code, argv.join(" ")).toBe(0);
        expect(err).toBe("");
        expect(out).toMatch(new RegExp(`^usage: iris ${name} `));
        expect(out).toContain("  -h, --help");
      }
    }
    const view = await run("view", "--help");
    expect(view.out).toMatch(/--port PORT +TCP port \(default 9090/);
    const serve = await run("serve", "--help");
    expect(serve.out).toMatch(/--port PORT +TCP port \(default 9876/);
  });

  it("rejects an unknown option with exit 2 and the closest valid one", async () => {
    const cases: [string[], string][] = [
      [["print", "a.rrd", "--verbos"], "unknown option --verbos (did you mean --verbose?)"],
      [["print", "a.rrd", "--jsno"], "unknown option --jsno (did you mean --json?)"],
      [["query", "a.rrd", "--indx", "t"], "unknown option --indx (did you mean --index?)"],
      [["compare", "a", "b", "--unorderd"], "unknown option --unorderd (did you mean --unordered?)"],
      [["view", "a.rrd", "--prot", "1"], "unknown option --prot (did you mean --port?)"],
      [["serve", "--memory-limt", "1GiB"], "unknown option --memory-limt (did you mean --memory-limit?)"],
      [
        ["verify", "a.rrd", "--bogus"],
        "unknown option --bogus (valid options: --json, --max-decompressed-bytes, --help)",
      ],
    ];
    for (const [argv, message] of cases) {
      const { code, out, err } = await run(...argv);
      expect(code, argv.join(" ")).toBe(2);
      expect(out).toBe("");
      expect(err).toContain(`iris ${argv[0]}: ${message}`);
      expect(err).toContain(`run \`iris help ${argv[0]}\``);
    }
  });

  it("rejects unknown commands, bad values and wrong argument counts with exit 2", async () => {
    const prnt = await run("prnt", "a.rrd");
    expect(prnt.code).toBe(2);
    expect(prnt.err).toContain("iris: unknown command prnt (did you mean print?)");
    const version = await run("--verison");
    expect(version.err).toContain("unknown option --verison (did you mean --version?)");
    expect((await run("help", "sevre")).err).toContain("unknown command sevre (did you mean serve?)");
    for (const argv of [
      ["print"],
      ["print", "a.rrd", "b.rrd"],
      ["print", "a.rrd", "--verbose=yes"],
      ["compare", "a.rrd"],
      ["query", "a.rrd", "--index"],
      ["query", "a.rrd", "--index", "t", "--index", "u"],
      ["view"],
      ["view", "a.rrd", "--port", "http"],
      ["view", "a.rrd", "--port", "70000"],
      ["serve", "extra"],
      ["serve", "--http2-server", "nghttp2", "--port", "0"],
    ]) {
      const { code, err } = await run(...argv);
      expect(code, argv.join(" ")).toBe(2);
      expect(err).toMatch(new RegExp(`^iris ${argv[0]}: `));
    }
  });

  it("treats everything after -- as files", async () => {
    const { code, err } = await run("print", "--", "--verbose");
    expect(code).toBe(1);
    expect(err).toBe("iris print: cannot open --verbose: no such file\n");
  });
});
