import { type FunctionSpec, functions, type QueueName, type Trigger } from './definition';
import type { ResolvedSettings } from './settings';

/**
 * What invokes which function, in the shape the local runner's `bindings()` returns
 * (`local/wiring.ts`): the common language of the template reader and the agreement tests.
 * `function` is the definition's function name; `queue` the definition's QueueName.
 */
export type Binding =
  | { readonly kind: 'http'; readonly routeKey: string; readonly function: string }
  | { readonly kind: 'authorizer'; readonly function: string }
  | {
      readonly kind: 's3';
      readonly prefix: string;
      readonly queue: QueueName | string;
      readonly function: string;
    }
  | { readonly kind: 'queue'; readonly queue: QueueName | string; readonly function: string }
  | {
      readonly kind: 'schedule';
      readonly id: string;
      readonly expression: string;
      readonly timezone: string;
      readonly function: string;
    }
  | { readonly kind: 'deployment'; readonly id: string; readonly version: string; readonly function: string };

/** One canonical string per binding (only the contract's fields, in a fixed order), for set comparisons. */
export const bindingKey = (b: Binding): string => {
  switch (b.kind) {
    case 'http':
      return `http ${b.routeKey} -> ${b.function}`;
    case 'authorizer':
      return `authorizer -> ${b.function}`;
    case 's3':
      return `s3 ${b.prefix} via ${b.queue} -> ${b.function}`;
    case 'queue':
      return `queue ${b.queue} -> ${b.function}`;
    case 'schedule':
      return `schedule ${b.id} ${b.expression} ${b.timezone} -> ${b.function}`;
    case 'deployment':
      return `deployment ${b.id} v${b.version} -> ${b.function}`;
  }
};

const bindingOf = (fn: FunctionSpec, t: Trigger, settings: ResolvedSettings): Binding => {
  switch (t.kind) {
    case 'http':
      return { kind: 'http', routeKey: `${t.method} ${t.path}`, function: fn.name };
    case 'httpDefault':
      return { kind: 'http', routeKey: '$default', function: fn.name };
    case 'httpAuthorizer':
      return { kind: 'authorizer', function: fn.name };
    case 's3':
      return { kind: 's3', prefix: t.prefix, queue: t.queue, function: fn.name };
    case 'queue':
      return { kind: 'queue', queue: t.queue, function: fn.name };
    case 'schedule':
      return {
        kind: 'schedule',
        id: t.id,
        expression: settings[t.expressionSetting],
        timezone: settings[t.timezoneSetting],
        function: fn.name,
      };
    case 'deployment':
      return { kind: 'deployment', id: t.id, version: t.version, function: fn.name };
  }
};

/** The bindings the definition asks for, with schedule expressions and time zones from the settings. */
export const definitionBindings = (settings: ResolvedSettings): Binding[] =>
  functions.flatMap((fn) => fn.triggers.map((t) => bindingOf(fn, t, settings)));
