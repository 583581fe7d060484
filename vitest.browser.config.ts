import { defineConfig } from "vitest/config";
import { irisSourceAliases } from "./scripts/source-aliases.ts";

// Browser suites drive the Debian `chromium` through playwright-core from Node (see TESTING.md).
export default defineConfig({
  resolve: { alias: irisSourceAliases() },
  test: {
    include: ["tests/browser/**/*.test.ts", "tests/differential/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    globalSetup: ["tests/browser/build-viewer-once.ts"],
  },
});
