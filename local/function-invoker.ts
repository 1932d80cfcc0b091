import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { entryOf, type FunctionSpec } from '../lib/definition';
import { defaultMemoryMb, defaultTimeoutSeconds, lambdaContext } from './lambda-context';
import { projectRoot } from './paths';
import { FunctionTimeoutError } from './runtime/function-container';

export { FunctionTimeoutError };

// biome-ignore lint/suspicious/noExplicitAny: handlers take and return any event shape.
export type Handler = (event: any, context: any) => unknown;

/** Loads the `handler` export of a function. Injectable so tests can use fixture handlers. */
export type HandlerLoader = (fn: FunctionSpec) => Promise<Handler>;

/** Loads `functions/handlers/<name>.ts` with import() (tsx compiles it): the trigger tests' handlers. */
export const importHandler: HandlerLoader = async (fn) => {
  const module = (await import(pathToFileURL(join(projectRoot, entryOf(fn))).href)) as { handler?: unknown };
  if (typeof module.handler !== 'function')
    throw new Error(`${entryOf(fn)} does not export a handler function`);
  return module.handler as Handler;
};

export interface FunctionInvoker {
  /** Invokes the function once, as Lambda would: its handler with the event and a fresh context. */
  invoke(fn: FunctionSpec, event: unknown): Promise<unknown>;
  functionName(fn: FunctionSpec): string;
}

export interface FunctionInvokerOptions {
  readonly stage: string;
  readonly region: string;
  readonly accountId: string;
  readonly loadHandler?: HandlerLoader;
  /** Physical function name (default `rekindle-<stage>-<name>`). */
  readonly functionName?: (fn: FunctionSpec) => string;
}

/**
 * Runs handlers inside the runner's own process: only for the tests of the trigger machinery (HTTP
 * API, pollers, scheduler) with fixture handlers. The local stack runs every function from its
 * bundle in a container of its own (`runtime/lambda-invoker.ts`).
 */
export const createInProcessInvoker = (options: FunctionInvokerOptions): FunctionInvoker => {
  const load = options.loadHandler ?? importHandler;
  const handlers = new Map<string, Promise<Handler>>();
  const functionName = options.functionName ?? ((fn: FunctionSpec) => `rekindle-${options.stage}-${fn.name}`);
  return {
    functionName,
    invoke: async (fn, event) => {
      let handler = handlers.get(fn.name);
      if (handler === undefined) {
        handler = load(fn);
        handlers.set(fn.name, handler);
        handler.catch(() => handlers.delete(fn.name));
      }
      const run = await handler;
      const timeoutSeconds = fn.timeoutSeconds ?? defaultTimeoutSeconds;
      const context = lambdaContext({
        functionName: functionName(fn),
        region: options.region,
        accountId: options.accountId,
        timeoutSeconds,
        memoryMb: fn.memoryMb ?? defaultMemoryMb,
      });
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new FunctionTimeoutError(timeoutSeconds)), timeoutSeconds * 1000);
      });
      try {
        return await Promise.race([Promise.resolve().then(() => run(event, context)), timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
};
