/**
 * Per-view error badge: a view reports the entities it could not upload or draw (with the reason) and keeps
 * drawing the others; the badge in the view's corner lists them (one line per entity) and hides when there are
 * none. Errors of a frame replace those of the previous frame (`beginFrame` … `endFrame`), so an image that
 * becomes drawable again (other time, other range) clears its line; `report` outside a frame (asynchronous
 * decode failures) sticks until the entity reports again or succeeds in a later frame.
 */
export class ViewErrorBadge {
  readonly element: HTMLDivElement;
  readonly #errors = new Map<string, string>();
  #frame: Map<string, string> | undefined;

  constructor(document: Document) {
    this.element = document.createElement("div");
    this.element.className = "iris-view-error";
    this.element.setAttribute("role", "status");
    this.element.style.display = "none";
  }

  /** The current reasons, one `entity: reason` line each (tests and tooltips). */
  get messages(): readonly string[] {
    return [...this.#errors].map(([entity, reason]) => `${entity}: ${reason}`);
  }

  /** Starts collecting the errors of one drawn frame. */
  beginFrame(): void {
    this.#frame = new Map();
  }

  /** Records that `entity` could not be shown, and why. */
  report(entity: string, reason: string): void {
    if (this.#frame) this.#frame.set(entity, reason);
    else {
      this.#errors.set(entity, reason);
      this.#update();
    }
  }

  /** Ends the frame: its errors replace the previous frame's (entities that drew fine are cleared). */
  endFrame(drawnEntities: Iterable<string> = []): void {
    const frame = this.#frame;
    this.#frame = undefined;
    if (!frame) return;
    for (const entity of drawnEntities) this.#errors.delete(entity);
    for (const [entity, reason] of frame) this.#errors.set(entity, reason);
    this.#update();
  }

  #update(): void {
    const lines = this.messages;
    this.element.style.display = lines.length === 0 ? "none" : "block";
    this.element.textContent = lines.length === 0 ? "" : `⚠ ${lines.join("\n⚠ ")}`;
    this.element.title = lines.join("\n");
  }
}

/** The badge's CSS (appended to the viewer's styles). */
export const viewErrorBadgeCss = `
.iris-view-error { position: absolute; left: 6px; bottom: 6px; max-width: calc(100% - 12px); z-index: 2;
  background: rgba(120,24,24,.92); color: #fff; border: 1px solid #e06c6c; border-radius: 3px; padding: 2px 6px;
  white-space: pre-wrap; overflow: hidden; font-family: ui-monospace, monospace; pointer-events: none; }
`;
