import { compareModes } from "./compare-controls.ts";
import type { CompareView } from "./compare-view.ts";

/** What the compare and linked-view shortcuts act on (the viewer). */
export interface CompareKeyboardTarget {
  comparing(): boolean;
  /** Opens compare mode (true) or goes back to the views (false). */
  showCompare(on: boolean): void;
  compareView(): CompareView;
  linkedViews(): boolean;
  setLinkedViews(on: boolean): void;
}

/**
 * Keyboard shortcuts on `element` (the viewer root): c opens/closes compare mode; in it 1–4 choose swipe, blend,
 * difference, side by side, [ and ] move the divider or blend amount by 5 %, x swaps A and B; l links/unlinks
 * the views. Keys typed into inputs and selects are left alone.
 */
export function installCompareKeyboard(element: HTMLElement, target: CompareKeyboardTarget): void {
  element.addEventListener("keydown", (e) => {
    const tag = (e.target as HTMLElement).tagName;
    if (["INPUT", "SELECT", "TEXTAREA"].includes(tag) || e.ctrlKey || e.metaKey || e.altKey || e.shiftKey)
      return;
    const key = e.key.toLowerCase();
    const comparing = target.comparing();
    const view = (): CompareView => target.compareView();
    if (key === "c") target.showCompare(!comparing);
    else if (key === "l") target.setLinkedViews(!target.linkedViews());
    else if (comparing && /^[1-4]$/.test(key)) view().setMode(compareModes[Number(key) - 1]!);
    else if (comparing && (key === "[" || key === "]"))
      view().setAmount(view().amount + (key === "[" ? -0.05 : 0.05));
    else if (comparing && key === "x") view().swap();
    else return;
    e.preventDefault();
  });
}
