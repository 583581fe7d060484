import { type ImageFormat, readPixelValues } from "@iris/types";

/** Image pixels shown across the magnifier (odd: the hovered pixel is in the middle). */
export const MAGNIFIER_PIXELS = 9;
/** CSS px per image pixel in the magnifier. */
export const MAGNIFIER_CELL_PX = 10;

/**
 * The hover magnifier (Rerun's zoomed hover preview): the 9×9 image pixels around the hovered one, copied from
 * the view as drawn (so colormaps and blending show) and enlarged with nearest sampling, the hovered pixel
 * outlined, and a 3×3 grid of the raw values around it.
 */
export class HoverMagnifier {
  readonly element: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly values: HTMLTableElement;

  constructor() {
    this.element = document.createElement("div");
    this.element.className = "iris-magnifier";
    this.canvas = document.createElement("canvas");
    this.canvas.width = MAGNIFIER_PIXELS * MAGNIFIER_CELL_PX;
    this.canvas.height = MAGNIFIER_PIXELS * MAGNIFIER_CELL_PX;
    this.values = document.createElement("table");
    this.values.className = "iris-magnifier-values";
    this.element.append(this.canvas, this.values);
  }

  /**
   * Shows the neighbourhood of image pixel (x, y) of an image drawn at `placement` (CSS px of `source`, CSS px per
   * image pixel) on `source`, whose backing store has `dpr` device px per CSS px.
   */
  show(
    source: HTMLCanvasElement,
    dpr: number,
    placement: { x: number; y: number; scale: number },
    pixel: { x: number; y: number },
    image: { bytes: Uint8Array; format: ImageFormat } | undefined,
  ): void {
    const ctx = this.canvas.getContext("2d");
    if (!ctx) return;
    const half = (MAGNIFIER_PIXELS - 1) / 2;
    const size = MAGNIFIER_PIXELS * MAGNIFIER_CELL_PX;
    ctx.imageSmoothingEnabled = false;
    ctx.fillStyle = "#121417";
    ctx.fillRect(0, 0, size, size);
    // Each cell takes the view's colour at the centre of its image pixel.
    for (let j = 0; j < MAGNIFIER_PIXELS; j++)
      for (let i = 0; i < MAGNIFIER_PIXELS; i++) {
        const cx = (placement.x + (pixel.x - half + i + 0.5) * placement.scale) * dpr;
        const cy = (placement.y + (pixel.y - half + j + 0.5) * placement.scale) * dpr;
        if (cx < 0 || cy < 0 || cx >= source.width || cy >= source.height) continue;
        ctx.drawImage(
          source,
          Math.floor(cx),
          Math.floor(cy),
          1,
          1,
          i * MAGNIFIER_CELL_PX,
          j * MAGNIFIER_CELL_PX,
          MAGNIFIER_CELL_PX,
          MAGNIFIER_CELL_PX,
        );
      }
    ctx.strokeStyle = "#f5c542";
    ctx.lineWidth = 2;
    ctx.strokeRect(
      half * MAGNIFIER_CELL_PX + 1,
      half * MAGNIFIER_CELL_PX + 1,
      MAGNIFIER_CELL_PX - 2,
      MAGNIFIER_CELL_PX - 2,
    );
    this.values.replaceChildren();
    if (!image) return;
    for (let dy = -1; dy <= 1; dy++) {
      const tr = this.values.insertRow();
      for (let dx = -1; dx <= 1; dx++) {
        const td = tr.insertCell();
        const x = pixel.x + dx;
        const y = pixel.y + dy;
        if (x < 0 || y < 0 || x >= image.format.width || y >= image.format.height) continue;
        if (dx === 0 && dy === 0) td.className = "iris-magnifier-centre";
        td.textContent = readPixelValues(image.bytes, image.format, x, y)
          .map((v) => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)))))
          .join(",");
      }
    }
  }
}
