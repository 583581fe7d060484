import { imageAdvanced } from "./image_advanced.ts";
import { imageColumnUpdates } from "./image_column_updates.ts";
import { imageFormats } from "./image_formats.ts";
import { imageRowUpdates } from "./image_row_updates.ts";
import { imageSimple } from "./image_simple.ts";
import type { Example } from "./run-example.ts";

/** The five seed examples, in the order of the Image archetype page. */
export const allExamples: readonly Example[] = [
  imageSimple,
  imageFormats,
  imageAdvanced,
  imageRowUpdates,
  imageColumnUpdates,
];
