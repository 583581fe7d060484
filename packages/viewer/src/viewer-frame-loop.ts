/** What the viewer does on an animation frame. */
export interface ViewerFrameSteps {
  /** Something the views are made from changed since the last frame: rebuild what is shown from the store. */
  refresh(): void;
  /** Advances playback by the time since the last frame. */
  tick(elapsedMs: number): void;
  /** Draws what changed. */
  render(): void;
}

/**
 * The viewer's animation-frame loop, from `start` until `stop`: on each frame a refresh if one was asked for since
 * the last frame (however many times), then playback, then drawing.
 */
export class ViewerFrameLoop {
  private refreshWanted = false;
  private lastFrameMs = performance.now();
  private stopped = false;

  constructor(private readonly steps: ViewerFrameSteps) {}

  /** Has the next frame refresh first. */
  refreshNextFrame(): void {
    this.refreshWanted = true;
  }

  start(): void {
    requestAnimationFrame((t) => this.frame(t));
  }

  stop(): void {
    this.stopped = true;
  }

  private frame(nowMs: number): void {
    if (this.stopped) return;
    const elapsed = nowMs - this.lastFrameMs;
    this.lastFrameMs = nowMs;
    if (this.refreshWanted) {
      this.refreshWanted = false;
      this.steps.refresh();
    }
    this.steps.tick(elapsed);
    this.steps.render();
    requestAnimationFrame((t) => this.frame(t));
  }
}
