import type { Node } from 'constructs';
import { type SettingName, settings } from './definition';

/** Every setting of `lib/definition.ts` resolved to its value for one deployment. */
export type ResolvedSettings = Readonly<Record<SettingName, string>>;

export const settingNames = Object.keys(settings) as SettingName[];

/**
 * Resolves every setting: CDK context `name` (`-c name=value` or cdk.json) first, then the
 * environment variable `settings[name].env` (an empty variable counts as unset, as in the local
 * runner), then the default of the definition.
 */
export const resolveSettings = (
  node: Pick<Node, 'tryGetContext'>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedSettings => {
  const resolved = {} as Record<SettingName, string>;
  for (const name of settingNames) {
    const fromContext: unknown = node.tryGetContext(name);
    const fromEnv = env[settings[name].env];
    resolved[name] =
      fromContext !== undefined && fromContext !== null
        ? String(fromContext)
        : fromEnv || settings[name].default;
  }
  return resolved;
};

/** Environment variables carrying every setting to a function, under the setting's `env` name. */
export const settingsEnvironment = (resolved: ResolvedSettings): Record<string, string> =>
  Object.fromEntries(settingNames.map((name) => [settings[name].env, resolved[name]]));

/** The domain of an address such as `Rekindle <hello@example.com>` or `hello@example.com`. */
export const domainOfAddress = (address: string): string => {
  const match = /@([^>\s@]+)>?\s*$/.exec(address.trim());
  if (!match?.[1]) throw new Error(`Cannot read the domain of the address "${address}"`);
  return match[1].toLowerCase();
};
