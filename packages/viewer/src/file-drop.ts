/** Dropping files on `target` opens them; `overlay` is shown while files are dragged over it. */
export function installFileDrop(
  target: HTMLElement,
  overlay: HTMLElement,
  openFiles: (files: Iterable<File>) => void,
): void {
  target.addEventListener("dragover", (e) => {
    e.preventDefault();
    overlay.style.display = "flex";
  });
  target.addEventListener("dragleave", () => (overlay.style.display = "none"));
  target.addEventListener("drop", (e) => {
    e.preventDefault();
    overlay.style.display = "none";
    openFiles(e.dataTransfer?.files ?? []);
  });
}
