/**
 * `bytes` bytes of fresh memory that is not zero-filled (Node's `Buffer.allocUnsafeSlow`, as a plain Uint8Array
 * of its own ArrayBuffer), `pad` bytes into it. Only for buffers that are written whole before anything reads them:
 * for a multi-MB message, the zero fill costs more than receiving it.
 */
export function uninitializedBytes(bytes: number, pad = 0): Uint8Array {
  const block = Buffer.allocUnsafeSlow(pad + bytes);
  return new Uint8Array(block.buffer, block.byteOffset + pad, bytes);
}
