/** Frame `t` of the row/column update snippets: 300×200 blue RGB with a cyan rectangle at columns 10t…10t+99. */
export function movingRectangleFrame(t: number): Uint8Array {
  const width = 300;
  const height = 200;
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = y >= 50 && y < 150 && x >= t * 10 && x < t * 10 + 100;
      pixels.set([0, inside ? 255 : 0, 255], (y * width + x) * 3);
    }
  }
  return pixels;
}

export const FRAME_WIDTH = 300;
export const FRAME_HEIGHT = 200;
export const FRAME_COUNT = 20;
