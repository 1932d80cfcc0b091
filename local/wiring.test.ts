import { describe, expect, it } from 'vitest';
import { functions } from '../lib/definition';
import { createLocalWiring } from './wiring';

describe('createLocalWiring', () => {
  it('serves every trigger of the definition without starting anything', () => {
    const wiring = createLocalWiring({ env: {} });
    const bindings = wiring.bindings();
    expect(bindings).toContainEqual({
      kind: 'http',
      routeKey: 'GET /profiles/{profileId}',
      function: 'get-profile',
    });
    expect(bindings).toContainEqual({ kind: 'http', routeKey: '$default', function: 'route-not-found' });
    expect(bindings).toContainEqual({ kind: 'authorizer', function: 'authorize-request' });
    expect(bindings).toContainEqual({
      kind: 's3',
      prefix: 'imports/profiles/',
      queue: 'profileImports',
      function: 'import-profiles',
    });
    expect(bindings).toContainEqual({
      kind: 'schedule',
      id: 'nightly-scoring',
      expression: 'cron(0 2 * * ? *)',
      timezone: 'Europe/London',
      function: 'score-customers',
    });
    expect(bindings).toContainEqual({
      kind: 'deployment',
      id: 'win-back-seed',
      version: '1',
      function: 'seed-campaigns',
    });
    const triggers = functions.flatMap((f) => f.triggers);
    expect(bindings).toHaveLength(triggers.length);
    expect(wiring.router.route('GET', '/profiles/p1')).toMatchObject({
      routeKey: 'GET /profiles/{profileId}',
    });
    expect(wiring.router.route('GET', '/unknown')).toMatchObject({ routeKey: '$default' });
    expect(wiring.s3Notifications).toEqual([
      {
        id: 'import-profiles-profileImports',
        bucket: 'rekindle-local-drop',
        prefix: 'imports/profiles/',
        queueName: 'rekindle-local-profile-imports',
      },
      {
        id: 'import-transactions-transactionImports',
        bucket: 'rekindle-local-drop',
        prefix: 'imports/transactions/',
        queueName: 'rekindle-local-transaction-imports',
      },
    ]);
  });

  it('reads the schedule settings from the environment', () => {
    const wiring = createLocalWiring({
      env: { SCORING_SCHEDULE: 'rate(1 hour)', SCHEDULE_TIMEZONE: 'UTC' },
    });
    expect(wiring.schedules.map((s) => [s.id, s.expression, s.timezone])).toEqual([
      ['nightly-scoring', 'rate(1 hour)', 'UTC'],
    ]);
  });
});
