/**
 * Resolves at the first SIGINT or SIGTERM. Installed before a server starts, so a signal during start-up is not
 * lost; the listeners are removed once it fires, so a second Ctrl-C during shutdown ends the process at once.
 */
export function untilInterrupted(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
      resolve(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
