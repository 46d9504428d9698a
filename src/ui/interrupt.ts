/**
 * First Ctrl-C: stop scheduling new steps, let running ones finish, save state, release the lock.
 * Second Ctrl-C: exit at once, warning that state may miss the steps that were running.
 */
export function handleInterrupts(warn: (message: string) => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => {
    if (!controller.signal.aborted) {
      warn('Interrupted: no new step will start; waiting for running steps to finish, then saving state and releasing the lock. Press Ctrl-C again to exit now.');
      controller.abort();
      return;
    }
    warn('Exiting now. Steps that were running may have finished in AWS without being saved: the next apply adopts them by their tags. If the lock stays, break it with `wallarm-oob unlock`.');
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
