import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: ["tests/browser/**", "**/node_modules/**"],
    testTimeout: 60_000,
  },
});
