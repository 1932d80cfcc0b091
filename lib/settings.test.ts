import { describe, expect, it } from 'vitest';
import { settings } from './definition';
import { domainOfAddress, resolveSettings, settingsEnvironment } from './settings';

const contextOf = (values: Record<string, unknown>) => ({ tryGetContext: (key: string) => values[key] });

describe('resolveSettings', () => {
  it('takes the definition defaults when neither context nor environment set a value', () => {
    const resolved = resolveSettings(contextOf({}), {});
    for (const [name, spec] of Object.entries(settings)) {
      expect(resolved[name as keyof typeof settings]).toBe(spec.default);
    }
  });

  it('prefers context over the environment variable, and the environment variable over the default', () => {
    const resolved = resolveSettings(contextOf({ stage: 'prod', reactivationLapsedDays: 90 }), {
      STAGE: 'qa',
      REACTIVATION_LAPSED_DAYS: '120',
      SCHEDULE_TIMEZONE: 'America/New_York',
    });
    expect(resolved.stage).toBe('prod');
    expect(resolved.reactivationLapsedDays).toBe('90');
    expect(resolved.scheduleTimezone).toBe('America/New_York');
    expect(resolved.defaultCountry).toBe('GB');
  });

  it('treats an empty environment variable as unset', () => {
    expect(resolveSettings(contextOf({}), { SCHEDULE_TIMEZONE: '' }).scheduleTimezone).toBe('Europe/London');
  });

  it('gives every setting to functions under its env name', () => {
    const env = settingsEnvironment(resolveSettings(contextOf({ logLevel: 'DEBUG' }), {}));
    expect(Object.keys(env).sort()).toEqual(
      Object.values(settings)
        .map((s) => s.env)
        .sort(),
    );
    expect(env['LOG_LEVEL']).toBe('DEBUG');
  });
});

describe('domainOfAddress', () => {
  it('reads the domain of a named or bare address', () => {
    expect(domainOfAddress('Rekindle <hello@Example.com>')).toBe('example.com');
    expect(domainOfAddress('news@shop.example')).toBe('shop.example');
  });

  it('refuses something that is not an address', () => {
    expect(() => domainOfAddress('Rekindle')).toThrow(/domain/);
  });
});
