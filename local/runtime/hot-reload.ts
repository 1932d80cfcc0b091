import { relative } from 'node:path';
import { projectRoot } from '../paths';
import { type SourceWatcher, watchSources } from '../watch/source-watcher';
import type { BundleCache } from './bundle-cache';
import type { LambdaInvoker } from './lambda-invoker';

/** What one burst of source changes did. */
export interface Reload {
  /** The changed files, relative to the repository root. */
  readonly paths: readonly string[];
  /** The functions whose bundles were built from them, whose next invocation starts cold. */
  readonly functions: readonly string[];
}

/**
 * Takes changed source files into account without a restart: every function whose bundle was built
 * from one of them gets its bundle rebuilt at its next cold start, and every warm container is
 * retired (after its current invocation), so the next invocation of any function starts cold, from
 * a bundle of the files as they are now. Undefined when no bundle in use was built from the files.
 */
export const reloadChanged = (
  bundles: BundleCache,
  invoker: Pick<LambdaInvoker, 'invalidate'>,
  paths: readonly string[],
): Reload | undefined => {
  const functions = bundles.functionsUsing(paths);
  if (functions.length === 0) return undefined;
  bundles.invalidate(functions);
  invoker.invalidate();
  return { paths: paths.map((path) => relative(projectRoot, path)), functions: functions.sort() };
};

/** The one line `npm start` prints for a reload. */
export const reloadLine = (reload: Reload): string => {
  const files =
    reload.paths.length <= 3 ? reload.paths.join(', ') : `${reload.paths.slice(0, 3).join(', ')}, …`;
  const names =
    reload.functions.length <= 4
      ? reload.functions.join(', ')
      : `${reload.functions.slice(0, 4).join(', ')} and ${reload.functions.length - 4} more`;
  const wiring = reload.paths.some((path) => path.startsWith('lib/'))
    ? ' (routes, triggers, environment and grants come from lib/ at start: restart for those)'
    : '';
  const bundles = reload.functions.length === 1 ? 'bundle' : 'bundles';
  return `[local] ${files} changed: ${reload.functions.length} ${bundles} (${names}) rebuilt at the next cold start; warm containers retired, next invocations start cold${wiring}`;
};

/** Watches `dirs` and reloads what changed (`reloadChanged`), reporting each reload. */
export const startHotReload = (options: {
  readonly dirs: readonly string[];
  readonly bundles: BundleCache;
  readonly invoker: Pick<LambdaInvoker, 'invalidate'>;
  readonly onReload: (reload: Reload) => void;
  readonly debounceMs?: number;
}): SourceWatcher =>
  watchSources({
    dirs: options.dirs,
    ...(options.debounceMs === undefined ? {} : { debounceMs: options.debounceMs }),
    onChange: (paths) => {
      const reload = reloadChanged(options.bundles, options.invoker, paths);
      if (reload) options.onReload(reload);
    },
  });
