import { defineConfig } from "vitest/config";
import { irisSourceAliases } from "./scripts/source-aliases.ts";

export default defineConfig({
  resolve: { alias: irisSourceAliases() },
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: ["tests/browser/**", "tests/differential/**", "**/node_modules/**"],
    testTimeout: 60_000,
  },
});
