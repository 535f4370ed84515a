// What a benchmark must undo however it ends: servers to stop, temporary directories to
// remove, databases to drop. Each is registered when it is made and run once, either when its
// owner releases it or, for whatever is left, when the benchmark fails or is interrupted.

const pending = new Set();

/**
 * Registers `undo` and returns the function that runs it (once; later calls do nothing). Undos
 * still registered run in reverse order of registration in runCleanups().
 */
export function registerCleanup(undo) {
  const entry = { undo };
  pending.add(entry);
  return async () => {
    if (!pending.delete(entry)) return;
    await undo();
  };
}

/** Runs every undo still registered, newest first; reports failures through `log`. */
export async function runCleanups(log) {
  for (const entry of [...pending].reverse()) {
    pending.delete(entry);
    try {
      await entry.undo();
    } catch (err) {
      log(`clean-up failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/**
 * On SIGINT or SIGTERM, runs the clean-ups and exits (130 or 143). A second signal during the
 * clean-up exits at once.
 */
export function cleanUpOnSignals(log) {
  let cleaning = false;
  const onSignal = (signal, code) => {
    if (cleaning) {
      log(`${signal} again: exiting without finishing the clean-up`);
      process.exit(code);
    }
    cleaning = true;
    log(`${signal}: stopping the servers and removing what the benchmark created`);
    void runCleanups(log).finally(() => process.exit(code));
  };
  process.on('SIGINT', () => onSignal('SIGINT', 130));
  process.on('SIGTERM', () => onSignal('SIGTERM', 143));
}
