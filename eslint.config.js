// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Packages each package may import (dependencies point one way; see ARCHITECTURE.md). */
const allowed = {
  types: [],
  chunk: ["types"],
  rrd: ["types", "chunk"],
  store: ["types", "chunk"],
  renderer: [],
  viewer: ["types", "chunk", "rrd", "store", "renderer"],
  sdk: ["types", "chunk", "rrd"],
  server: ["types", "chunk", "rrd", "viewer"],
  cli: ["types", "chunk", "rrd", "store", "server"],
};
const all = ["types", "chunk", "rrd", "store", "renderer", "sdk", "cli", "viewer", "server"];

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/gen/**",
      "**/dist/**",
      "docs/api/**",
      "examples/out/**",
      "tests/browser/out/**",
      "bench/out/**",
      "packages/cli/.cache/**",
      ".venv-rerun/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  ...Object.entries(allowed).map(([pkg, deps]) => ({
    files: [`packages/${pkg}/src/**/*.ts`],
    rules: {
      "no-console": "error",
      "no-restricted-imports": [
        "error",
        {
          patterns: all
            .filter((p) => p !== pkg && !deps.includes(p))
            .map((p) => ({
              group: [`@iris/${p}`, `@iris/${p}/*`],
              message: `@iris/${pkg} may not depend on @iris/${p}`,
            })),
        },
      ],
    },
  })),
  {
    files: ["packages/*/src/**/*.ts"],
    ignores: ["packages/*/src/node/**"],
    rules: {
      "no-restricted-globals": ["error", { name: "Buffer", message: "Use Uint8Array outside src/node/." }],
    },
  },
);
