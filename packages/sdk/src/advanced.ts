/**
 * `@iris/sdk/advanced`: the low-level pieces under the logging API: every export of `@iris/types` (component
 * types and their Arrow conversion, component batches and columns for custom data, TUIDs, entity paths,
 * timelines, pixel-format maths and the CPU reference decoder) and the `Batcher`.
 * @packageDocumentation
 */
export * from "@iris/types";
export { Batcher, type BatcherOptions } from "./batcher.ts";
