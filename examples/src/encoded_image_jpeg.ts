// The encoded_image example as a JPEG: Image.compress equivalent (compressImage with sharp's encoder).
import { encodedImageJpeg } from "./encoded_image.ts";
import { runIfMain } from "./run-example.ts";

export { encodedImageJpeg };

await runIfMain(import.meta.url, encodedImageJpeg);
