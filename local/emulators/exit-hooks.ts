/**
 * Runs `cleanup` synchronously when the process exits or receives SIGINT/SIGTERM/SIGHUP. On a signal,
 * when no other listener handles it, the signal is raised again so the process still ends as it
 * would have without us. Returns a function that removes the hooks.
 */
export const onProcessExit = (cleanup: () => void): (() => void) => {
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onSignal = (signal: NodeJS.Signals): void => {
    cleanup();
    remove();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const remove = (): void => {
    process.off('exit', cleanup);
    for (const signal of signals) process.off(signal, onSignal);
  };
  process.on('exit', cleanup);
  for (const signal of signals) process.on(signal, onSignal);
  return remove;
};
