import type { Profile } from '../profiles/profile';
import { TEMPLATE_VARIABLES, type VariableNode, type VariableRoot } from './template-variables';

// The render context of one recipient, built from the variable tree of template-variables.ts:
// - only the tree's roots and fields are in it, so a template never sees bookkeeping or whatever
//   else a stored profile or its scores hold;
// - a known field the profile lacks is nil, not missing: under strictVariables a missing property
//   is an error, nil renders empty and gives way to `default` (`{{ profile.firstName | default:
//   "there" }}`) and is false in `{% if %}`. Reading through nil gives nil (`scores.rfm.segment`
//   of an unscored profile);
// - attributes and categories are open-ended: any name reads as its value or nil;
// - values are only strings, numbers and booleans: nothing a template could call or walk into.

export interface TemplateExtras {
  /** The recipient's offer, when the campaign gives one. */
  readonly offer?: { readonly code: string; readonly expiresAt: string };
  readonly unsubscribeUrl?: string;
  readonly preferencesUrl?: string;
}

export type TemplateContext = Readonly<Record<VariableRoot, unknown>>;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isPrimitive = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean';

// Names such as `toString` stay what JavaScript needs them to be (Liquid turns values into strings
// with them); checkVariable refuses them as attribute names, so no template reads one.
const inherited = (key: string | symbol) => typeof key === 'symbol' || key in Object.prototype;

const OPEN_NAMES: ProxyHandler<Record<string, unknown>> = {
  get: (target, key) => (Object.hasOwn(target, key) || inherited(key) ? Reflect.get(target, key) : null),
  has: (target, key) => Object.hasOwn(target, key) || !inherited(key),
  getOwnPropertyDescriptor: (target, key) =>
    Object.hasOwn(target, key)
      ? Reflect.getOwnPropertyDescriptor(target, key)
      : inherited(key)
        ? undefined
        : { value: null, writable: false, enumerable: false, configurable: true },
};

/** A map whose every name (but Object.prototype's) is defined: its value or nil. */
const openNames = (entries: Record<string, unknown>): Record<string, unknown> =>
  new Proxy(entries, OPEN_NAMES);

const fill = (node: VariableNode, input: unknown): unknown => {
  switch (node.kind) {
    case 'value':
      return isPrimitive(input) ? input : null;
    case 'list':
      return Array.isArray(input) ? input.filter(isPrimitive) : [];
    case 'object': {
      if (!isRecord(input)) return null;
      const out: Record<string, unknown> = {};
      for (const [name, child] of Object.entries(node.fields)) out[name] = fill(child, input[name]);
      return out;
    }
    case 'map': {
      if (!isRecord(input)) return null;
      const out: Record<string, unknown> = {};
      for (const [name, item] of Object.entries(input))
        if (node.keyPattern.test(name) && !inherited(name)) out[name] = fill(node.of, item);
      return openNames(out);
    }
  }
};

/** The context a template renders with for this profile. */
export const buildTemplateContext = (profile: Profile, extras: TemplateExtras = {}): TemplateContext => ({
  profile: fill(TEMPLATE_VARIABLES.profile, profile),
  scores: fill(TEMPLATE_VARIABLES.scores, profile.scores),
  purchases: fill(TEMPLATE_VARIABLES.purchases, profile.purchases),
  offer: fill(TEMPLATE_VARIABLES.offer, extras.offer),
  unsubscribe_url: extras.unsubscribeUrl ?? null,
  preferences_url: extras.preferencesUrl ?? null,
});
