import type { FunctionSpec } from '../../lib/definition';
import type { Handler, HandlerLoader } from '../function-invoker';

/** A handler loader serving the given handlers by function name (tests). */
export const fixtureLoader =
  (handlers: Readonly<Record<string, Handler>>): HandlerLoader =>
  async (fn: FunctionSpec) => {
    const handler = handlers[fn.name];
    if (!handler) throw new Error(`No fixture handler for ${fn.name}`);
    return handler;
  };

/** Records every event a handler got. */
export const recorder = () => {
  const events: unknown[] = [];
  return { events, record: (event: unknown) => events.push(event) };
};
