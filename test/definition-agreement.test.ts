/**
 * The deployed stack and the local runner are both built from lib/definition.ts; this proves they
 * agree: every function with every trigger (HTTP routes, the authorizer, S3 prefix -> queue ->
 * function, schedules with expression and time zone) read back from the synthesized template is
 * exactly what `local/wiring.ts` serves.
 */
import { describe, expect, it } from 'vitest';
import { functions } from '../lib/definition';
import { type CfnTemplate, wiringFromTemplate } from '../lib/template-wiring';
import { testApp } from '../lib/test-support';
import { type Binding, bindingKey } from '../lib/wiring';
import { createLocalWiring } from '../local/wiring';

const templateBindings = (env: Record<string, string>): Binding[] => {
  const { template, settings } = testApp({}, env);
  return wiringFromTemplate(template.toJSON() as CfnTemplate, settings.stage);
};

const localBindings = (env: Record<string, string>): Binding[] => createLocalWiring({ env }).bindings();

const keys = (bindings: Binding[]): string[] => bindings.map(bindingKey).sort();

describe('the synthesized stack and the local runner', () => {
  it('wire the same functions to the same triggers', () => {
    const deployed = templateBindings({});
    const local = localBindings({});
    expect(keys(local)).toEqual(keys(deployed));
    // Every function of the definition is reachable, each binding only once.
    expect(new Set(deployed.map((b) => b.function))).toEqual(new Set(functions.map((f) => f.name)));
    expect(new Set(keys(deployed)).size).toBe(deployed.length);
  });

  it('read the schedule settings the same way', () => {
    const env = { REACTIVATION_SCHEDULE: 'cron(30 8 ? * MON *)', SCHEDULE_TIMEZONE: 'America/New_York' };
    const deployed = templateBindings(env).filter((b) => b.kind === 'schedule');
    expect(deployed).toContainEqual(
      expect.objectContaining({ expression: 'cron(30 8 ? * MON *)', timezone: 'America/New_York' }),
    );
    expect(keys(localBindings(env).filter((b) => b.kind === 'schedule'))).toEqual(keys(deployed));
  });
});
