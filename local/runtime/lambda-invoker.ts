import { randomUUID } from 'node:crypto';
import type { FunctionSpec } from '../../lib/definition';
import type { FunctionInvoker } from '../function-invoker';
import { defaultMemoryMb, defaultTimeoutSeconds, lambdaContext } from '../lambda-context';
import type { BundleCache } from './bundle-cache';
import { type ContextFields, FunctionContainer } from './function-container';

/** What Lambda's REPORT line says about one invocation (and, for a cold start, its init). */
export interface InvocationReport {
  readonly function: string;
  readonly requestId: string;
  readonly durationMs: number;
  readonly memoryMb: number;
  readonly maxMemoryUsedMb: number;
  /** Present on a cold start: bundle check or build, then loading the bundle. */
  readonly coldStart?: { readonly bundleMs: number; readonly initMs: number };
  readonly error?: string;
}

export interface LambdaInvokerOptions {
  readonly region: string;
  readonly accountId: string;
  readonly functionName: (fn: FunctionSpec) => string;
  readonly bundles: BundleCache;
  /** The complete environment of a function's containers. */
  readonly environmentOf: (fn: FunctionSpec) => Readonly<Record<string, string>>;
  /** Each log line of a function (default: printed as it is, as CloudWatch would hold it). */
  readonly onLog?: (fn: FunctionSpec, line: string, stream: 'stdout' | 'stderr') => void;
  readonly onReport?: (report: InvocationReport) => void;
}

export interface LambdaInvoker extends FunctionInvoker {
  /** Retires every warm container (after its current invocation): the next event starts cold. */
  invalidate(): void;
  stop(): Promise<void>;
}

const defaultLog = (_fn: FunctionSpec, line: string, stream: 'stdout' | 'stderr') =>
  (stream === 'stdout' ? process.stdout : process.stderr).write(`${line}\n`);

/**
 * Runs each function as Lambda does: from its bundle, in containers of its own (a Node process
 * each, with only the function's environment, its memory as heap limit and its timeout), warm
 * between invocations, a new container when all are busy, as Lambda scales out.
 */
export const createLambdaInvoker = (options: LambdaInvokerOptions): LambdaInvoker => {
  const idle = new Map<string, FunctionContainer[]>();
  const all = new Set<FunctionContainer>();
  const retired = new WeakSet<FunctionContainer>();
  const onLog = options.onLog ?? defaultLog;

  const start = async (fn: FunctionSpec) => {
    const started = performance.now();
    const bundle = await options.bundles.bundleFor(fn);
    const bundleMs = performance.now() - started;
    const container = new FunctionContainer({
      bundle: bundle.outfile,
      env: options.environmentOf(fn),
      memoryMb: fn.memoryMb ?? defaultMemoryMb,
      timeoutSeconds: fn.timeoutSeconds ?? defaultTimeoutSeconds,
      onLog: (line, stream) => onLog(fn, line, stream),
    });
    all.add(container);
    const initMs = await container.initMs.catch((error: unknown) => {
      all.delete(container);
      throw error;
    });
    return { container, coldStart: { bundleMs, initMs } };
  };

  const release = (fn: FunctionSpec, container: FunctionContainer) => {
    container.busy = false;
    if (!container.alive || retired.has(container)) {
      container.kill();
      all.delete(container);
      return;
    }
    const list = idle.get(fn.name) ?? [];
    list.push(container);
    idle.set(fn.name, list);
  };

  return {
    functionName: options.functionName,
    invoke: async (fn, event) => {
      const list = idle.get(fn.name) ?? [];
      let container = list.pop();
      while (container && !container.alive) container = list.pop();
      let coldStart: InvocationReport['coldStart'];
      if (!container) ({ container, coldStart } = await start(fn));
      container.busy = true;
      const timeoutSeconds = fn.timeoutSeconds ?? defaultTimeoutSeconds;
      const memoryMb = fn.memoryMb ?? defaultMemoryMb;
      const {
        getRemainingTimeInMillis: _r,
        done: _d,
        fail: _f,
        succeed: _s,
        ...fields
      } = lambdaContext({
        functionName: options.functionName(fn),
        region: options.region,
        accountId: options.accountId,
        timeoutSeconds,
        memoryMb,
      });
      const requestId = fields.awsRequestId || randomUUID();
      const context: ContextFields = { ...fields, deadline: Date.now() + timeoutSeconds * 1000 };
      const report = (durationMs: number, maxRssMb: number, error?: Error) =>
        options.onReport?.({
          function: fn.name,
          requestId,
          durationMs,
          memoryMb,
          maxMemoryUsedMb: Math.ceil(maxRssMb),
          ...(coldStart ? { coldStart } : {}),
          ...(error ? { error: `${error.name}: ${error.message}` } : {}),
        });
      const started = performance.now();
      try {
        const outcome = await container.invoke(event, context, requestId);
        report(outcome.durationMs, outcome.maxRssMb);
        return outcome.json === undefined ? undefined : JSON.parse(outcome.json);
      } catch (error) {
        const failure = error as Error & { durationMs?: number; maxRssMb?: number };
        report(failure.durationMs ?? performance.now() - started, failure.maxRssMb ?? 0, failure);
        throw error;
      } finally {
        release(fn, container);
      }
    },
    invalidate: () => {
      for (const container of all) {
        retired.add(container);
        if (!container.busy) {
          container.kill();
          all.delete(container);
        }
      }
      idle.clear();
    },
    stop: async () => {
      for (const container of all) container.kill();
      all.clear();
      idle.clear();
    },
  };
};
