import { describe, expect, it } from 'vitest';
import { InMemoryEventLog, InMemoryProfiles, profileNamed } from './in-memory-stores.test-helpers';
import { refreshAggregates } from './refresh-aggregates';
import { eventKeyOf, type StoredEvent } from './stored-event';

const purchase = (profileId: string, eventId: string, at: string, amount: number): StoredEvent => ({
  profileId,
  eventKey: eventKeyOf(eventId),
  eventId,
  type: 'purchase',
  timestamp: at,
  at,
  properties: { orderId: eventId, amount, currency: 'USD' },
  receivedAt: at,
  source: 'test',
});

const setup = (fields: Parameters<typeof profileNamed>[1] = {}) => {
  const events = new InMemoryEventLog();
  const activity = new InMemoryProfiles();
  activity.profiles.set('p', profileNamed('p', fields));
  return { events, activity, deps: { events, activity, baseCurrency: 'USD', rates: {} } };
};

describe('refreshAggregates', () => {
  it('writes the aggregates and raises, never lowers, the last purchase and activity; the version stays', async () => {
    const { events, activity, deps } = setup({
      lastPurchaseAt: '2026-06-01T00:00:00+02:00',
      lastActivityAt: '2026-01-01T00:00:00Z',
    });
    await events.putAll([purchase('p', 'a', '2026-03-01T00:00:00.000Z', 10)]);
    expect(
      await refreshAggregates(deps, 'p', { purchases: true, latestActivity: '2026-03-01T00:00:00.000Z' }),
    ).toBe('updated');
    expect(activity.profiles.get('p')).toMatchObject({
      version: 1,
      lastPurchaseAt: '2026-06-01T00:00:00+02:00',
      lastActivityAt: '2026-03-01T00:00:00.000Z',
      purchases: { eventCount: 1, totalSpend: 10, occasions: 1 },
    });
    expect(
      await refreshAggregates(deps, 'p', { purchases: true, latestActivity: '2026-03-01T00:00:00.000Z' }),
    ).toBe('unchanged');
    expect(activity.writes).toBe(1);
  });

  it('starts again when another refresh wrote meanwhile, and ends counting every event', async () => {
    const { events, activity, deps } = setup();
    await events.putAll([purchase('p', 'a', '2026-03-01T00:00:00.000Z', 10)]);
    let raced = false;
    activity.beforeWrite = () => {
      if (raced) return;
      raced = true;
      // Another request writes an event and its own (complete) aggregates first.
      events.items.get('p')!.set(eventKeyOf('b'), purchase('p', 'b', '2026-03-05T00:00:00.000Z', 5));
      const p = activity.profiles.get('p')!;
      activity.profiles.set('p', { ...p, purchases: { eventCount: 2 } });
    };
    expect(await refreshAggregates(deps, 'p', { purchases: true })).toBe('updated');
    expect(activity.profiles.get('p')!.purchases).toMatchObject({
      eventCount: 2,
      totalSpend: 15,
      occasions: 2,
    });
  });

  it('only raises the last activity for events without money, and says gone for an erased profile', async () => {
    const { activity, deps } = setup({ purchases: { eventCount: 0 } as never });
    expect(
      await refreshAggregates(deps, 'p', { purchases: false, latestActivity: '2026-02-02T00:00:00.000Z' }),
    ).toBe('updated');
    expect(activity.profiles.get('p')).toMatchObject({
      purchases: { eventCount: 0 },
      lastActivityAt: '2026-02-02T00:00:00.000Z',
    });
    activity.profiles.delete('p');
    expect(await refreshAggregates(deps, 'p', { purchases: true })).toBe('gone');
  });
});
