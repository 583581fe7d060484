import type { Camera2D } from "./view-camera.ts";

/** What a linked 2D view offers its link (implemented by `Spatial2DView`). */
export interface LinkableView {
  readonly root: string;
  /** Width × height of what the view shows (the largest image drawn), or undefined before the first image. */
  imageSize(): { width: number; height: number } | undefined;
  /** The canvas size in CSS px. */
  viewSize(): { width: number; height: number };
  cameraState(): Camera2D | undefined;
  /** Sets the camera (undefined: fit again) without telling the link. */
  applyLinkedCamera(camera: Camera2D | undefined): void;
  /** Shows the hover read-out at image point (x, y), or hides it, without telling the link. */
  showLinkedHover(point: readonly [number, number] | undefined): void;
  /** The raw values of image pixel (x, y) as the tooltip shows them ("" outside the image). */
  pixelText(x: number, y: number): string;
}

/**
 * Linked views (Iris extension): while enabled, zooming, panning and hovering one 2D view does the same in every
 * other view that shows images of the same size — the image point at the centre of the view and the zoom are
 * shared (so views of equal size show exactly the same pixels), and each hover read-out lists the raw values of
 * the hovered pixel in every linked view.
 */
export class ViewLink {
  private enabledValue = false;
  private busy = false;

  constructor(private readonly views: () => Iterable<LinkableView>) {}

  get enabled(): boolean {
    return this.enabledValue;
  }

  setEnabled(on: boolean): void {
    this.enabledValue = on;
  }

  /** The other views linked to `view` now (enabled, same image size). */
  peersOf(view: LinkableView): LinkableView[] {
    if (!this.enabledValue) return [];
    const size = view.imageSize();
    if (!size) return [];
    return [...this.views()].filter((v) => {
      if (v === view) return false;
      const s = v.imageSize();
      return s !== undefined && s.width === size.width && s.height === size.height;
    });
  }

  /** `view`'s camera changed (undefined: reset to fit): the peers follow. */
  cameraMoved(view: LinkableView, camera: Camera2D | undefined): void {
    if (this.busy) return;
    this.busy = true;
    try {
      const from = view.viewSize();
      for (const peer of this.peersOf(view))
        peer.applyLinkedCamera(camera && linkedCamera(camera, from, peer.viewSize()));
    } finally {
      this.busy = false;
    }
  }

  /** `view` is hovered at image point `point` (undefined: the pointer left): the peers show the same pixel. */
  hovered(view: LinkableView, point: readonly [number, number] | undefined): void {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const peer of this.peersOf(view)) peer.showLinkedHover(point);
    } finally {
      this.busy = false;
    }
  }

  /** The peers' raw values of pixel (x, y), one "root: values" line each, for `view`'s tooltip. */
  hoverText(view: LinkableView, x: number, y: number): string {
    return this.peersOf(view)
      .map((peer) => {
        const text = peer.pixelText(x, y);
        return text ? `\n${peer.root}: ${text}` : "";
      })
      .join("");
  }
}

/** The camera of a view `to` big that shows what `camera` shows in a view `from` big: same zoom, same centre. */
export function linkedCamera(
  camera: Camera2D,
  from: { width: number; height: number },
  to: { width: number; height: number },
): Camera2D {
  const cx = (from.width / 2 - camera.x) / camera.scale;
  const cy = (from.height / 2 - camera.y) / camera.scale;
  return { scale: camera.scale, x: to.width / 2 - cx * camera.scale, y: to.height / 2 - cy * camera.scale };
}
