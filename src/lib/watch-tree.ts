import { existsSync, readdirSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';

/** A folder tree being watched (see {@link watchTree}). */
export interface TreeWatcher {
  close(): void;
}

/** The folders of a tree: `root` and its subfolders, not dotfolders nor node_modules. */
function foldersOf(root: string): string[] {
  const found = [root];
  for (let i = 0; i < found.length; i++) {
    const dir = found[i] ?? root;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue; // removed meanwhile
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') {
        continue;
      }
      found.push(join(dir, entry.name));
    }
  }
  return found;
}

/**
 * Calls `onChange` once `debounceMs` passed after the last change of a file anywhere under
 * `root`: one non-recursive watcher per folder, the set updated after every change. (Node
 * 20's `recursive` watch on Linux loses a file once an editor has saved it by rename.)
 */
export function watchTree(
  root: string,
  debounceMs: number,
  onChange: () => void,
  onError: (error: Error) => void,
): TreeWatcher {
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const changed = (): void => {
    if (closed) return;
    update();
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  };
  const update = (): void => {
    const folders = new Set(existsSync(root) ? foldersOf(root) : []);
    for (const [dir, watcher] of watchers) {
      if (folders.has(dir)) continue;
      watcher.close();
      watchers.delete(dir);
    }
    for (const dir of folders) {
      if (watchers.has(dir)) continue;
      try {
        const watcher = watch(dir, changed);
        watcher.on('error', (error) => {
          watcher.close();
          watchers.delete(dir);
          if (dir === root) onError(error);
        });
        watchers.set(dir, watcher);
      } catch (error) {
        if (dir === root) onError(error instanceof Error ? error : new Error(String(error)));
      }
    }
  };

  update();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
