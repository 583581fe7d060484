import type { TimeType } from "@iris/types";
import { Emitter } from "./emitter.ts";

export interface TimelineState {
  readonly name: string;
  readonly type: TimeType;
  readonly min: bigint;
  readonly max: bigint;
}

export interface TimeControlEvents extends Record<string, unknown> {
  change: TimeControl;
}

/**
 * The time cursor (Rerun's `TimeControl`): the selected timeline, the current time on it, play/pause, speed and
 * loop. While "following", the cursor stays on the newest time as data arrives.
 */
export class TimeControl extends Emitter<TimeControlEvents> {
  timeline: TimelineState | undefined;
  time = 0n;
  playing = false;
  speed = 1;
  loop = true;
  /** Keep the cursor at the newest time while data arrives (until the user moves it). */
  following = true;
  /** Sorted distinct times of the selected timeline, for frame stepping and sequence playback. */
  private times: readonly bigint[] = [];
  private userChoseTimeline = false;

  /** Picks the default timeline like Rerun: any user timeline before `log_time`, and `log_tick` last. */
  static defaultTimeline(timelines: readonly TimelineState[]): TimelineState | undefined {
    const rank = (t: TimelineState): number => (t.name === "log_tick" ? 2 : t.name === "log_time" ? 1 : 0);
    return [...timelines].sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : 1))[0];
  }

  /** Called when the store's timelines change. */
  updateTimelines(timelines: readonly TimelineState[], times: (timeline: string) => readonly bigint[]): void {
    const current = this.timeline && timelines.find((t) => t.name === this.timeline!.name);
    const next = (this.userChoseTimeline && current) || TimeControl.defaultTimeline(timelines);
    const changedTimeline = next?.name !== this.timeline?.name;
    this.timeline = next;
    this.times = next ? times(next.name) : [];
    if (next && (this.following || changedTimeline)) this.time = next.max;
    this.emit("change", this);
  }

  selectTimeline(name: string, timelines: readonly TimelineState[], times: readonly bigint[]): void {
    const t = timelines.find((x) => x.name === name);
    if (!t) return;
    this.userChoseTimeline = true;
    this.timeline = t;
    this.times = times;
    this.time = t.max;
    this.following = true;
    this.emit("change", this);
  }

  setTime(time: bigint): void {
    if (!this.timeline) return;
    const clamped =
      time < this.timeline.min ? this.timeline.min : time > this.timeline.max ? this.timeline.max : time;
    this.following = clamped === this.timeline.max && !this.playing;
    this.time = clamped;
    this.emit("change", this);
  }

  setPlaying(playing: boolean): void {
    this.playing = playing;
    if (playing && this.timeline && this.time >= this.timeline.max) this.time = this.timeline.min;
    this.following = false;
    this.emit("change", this);
  }

  setSpeed(speed: number): void {
    this.speed = speed;
    this.emit("change", this);
  }

  setLoop(loop: boolean): void {
    this.loop = loop;
    this.emit("change", this);
  }

  /** Moves to the previous (-1) or next (+1) time that has data. */
  step(direction: 1 | -1): void {
    if (this.times.length === 0) return;
    const t = this.time;
    let target: bigint | undefined;
    if (direction > 0) target = this.times.find((x) => x > t) ?? (this.loop ? this.times[0] : undefined);
    else
      target =
        [...this.times].reverse().find((x) => x < t) ??
        (this.loop ? this.times[this.times.length - 1] : undefined);
    if (target !== undefined) this.setTime(target);
  }

  /**
   * Advances playback by `elapsedMs` of wall time: sequence timelines move 10 steps per second × speed
   * (frame by frame through the times that have data), time-based ones move in real time × speed.
   */
  tick(elapsedMs: number): void {
    if (!this.playing || !this.timeline) return;
    const { min, max } = this.timeline;
    let next: bigint;
    if (this.timeline.type === "sequence") {
      this.sequenceAccumulator += (elapsedMs / 1000) * 10 * this.speed;
      const steps = Math.floor(this.sequenceAccumulator);
      if (steps < 1) return;
      this.sequenceAccumulator -= steps;
      next = this.time + BigInt(steps);
    } else {
      next = this.time + BigInt(Math.round(elapsedMs * 1e6 * this.speed));
    }
    if (next > max) {
      if (this.loop) next = min;
      else {
        next = max;
        this.playing = false;
      }
    }
    this.time = next;
    this.emit("change", this);
  }

  private sequenceAccumulator = 0;
}
