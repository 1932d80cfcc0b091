import { type FSWatcher, watch } from 'node:fs';
import { join, resolve } from 'node:path';

export interface SourceWatcherOptions {
  /** Directories watched with everything under them. */
  readonly dirs: readonly string[];
  /** Changes closer together than this arrive as one call (an editor's save is several writes). */
  readonly debounceMs?: number;
  /** The absolute paths of the files that changed, appeared or went, once per burst. */
  readonly onChange: (paths: readonly string[]) => void | Promise<void>;
  /** A watch that fails (a directory removed under it): default a warning on the console. */
  readonly onError?: (error: Error) => void;
}

export interface SourceWatcher {
  close(): void;
}

/**
 * Watches source directories (node:fs `watch`, recursive) and reports which files changed, in bursts:
 * the paths seen until no change came for `debounceMs`. A burst is reported only after the previous
 * `onChange` finished, so bursts never overlap.
 */
export const watchSources = (options: SourceWatcherOptions): SourceWatcher => {
  const debounceMs = options.debounceMs ?? 150;
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let closed = false;

  const flush = () => {
    timer = undefined;
    running = running.then(async () => {
      if (closed || pending.size === 0) return;
      const paths = [...pending].sort();
      pending.clear();
      try {
        await options.onChange(paths);
      } catch (error) {
        (options.onError ?? warn)(error as Error);
      }
    });
  };
  const warn = (error: Error) => console.warn(`[local] watching sources: ${error.message}`);

  const watchers: FSWatcher[] = options.dirs.map((dir) => {
    const root = resolve(dir);
    const watcher = watch(root, { recursive: true }, (_event, filename) => {
      if (closed || !filename) return;
      pending.add(join(root, filename.toString()));
      clearTimeout(timer);
      timer = setTimeout(flush, debounceMs);
    });
    watcher.on('error', (error) => (options.onError ?? warn)(error));
    return watcher;
  });

  return {
    close: () => {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
};
