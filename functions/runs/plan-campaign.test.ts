import { describe, expect, it } from 'vitest';
import { type CampaignPlan, formatCampaignPlan, planCampaign } from './plan-campaign';
import { RECIPIENTS_PER_BATCH, SENDER_MAX_CONCURRENCY } from './send-pipeline-shape';

const huge = planCampaign({ recipients: 10_000_000, rate: 3000 });
const costOf = (plan: CampaignPlan, item: string) => plan.costs.find((c) => c.item === item)!;

describe('planCampaign, 10 M recipients at 3,000/s', () => {
  it('finishes within an hour, at the target rate, with the senders under their cap', () => {
    expect(huge.limitedBy).toBe('none');
    expect(huge.sendRate).toBe(3000);
    expect(huge.durationSeconds).toBeLessThan(3600);
    // Not faster than the rate allows either: 10 M / 3,000/s is 55.6 minutes.
    expect(huge.durationSeconds).toBeGreaterThan(10_000_000 / 3000);
    expect(huge.senders).toBeLessThanOrEqual(SENDER_MAX_CONCURRENCY);
    expect(huge.verdict).toEqual({ withinHour: true, underFivePercent: true });
  });

  it('keeps the infrastructure under 5 % of what SES charges', () => {
    expect(huge.messages.total).toBeCloseTo(1000, 6); // $0.10 per 1,000 emails
    expect(huge.infrastructurePercent).toBeLessThan(5);
    expect(huge.infrastructure.total).toBeCloseTo(
      huge.costs.reduce((sum, c) => sum + c.total, 0),
      9,
    );
  });

  it('counts the pages, the batches and the run function invocations', () => {
    expect(huge.pages).toBe(10_000);
    expect(huge.batches).toBe(100_000);
    // 2,000 s of reading at 5,000/s, handing over every 780 s.
    expect(huge.runInvocations).toBe(3);
    const odd = planCampaign({ recipients: 1234, rate: 100 });
    expect([odd.pages, odd.batches, odd.runInvocations]).toEqual([2, 13, 1]);
  });

  it('prices DynamoDB per recipient: claim, settle, contact log and a share of the count item', () => {
    expect(costOf(huge, 'DynamoDB writes').total).toBeCloseTo((10_000_000 * 4.01 * 0.625) / 1e6, 6);
    // profile 1 + send record 2 x 1 + suppression 0.5 + Scan 0.25
    expect(costOf(huge, 'DynamoDB reads').total).toBeCloseTo((10_000_000 * 3.75 * 0.125) / 1e6, 6);
    const withOffer = planCampaign({ recipients: 10_000_000, rate: 3000, offer: true });
    expect(costOf(withOffer, 'DynamoDB writes').total - costOf(huge, 'DynamoDB writes').total).toBeCloseTo(
      6.25,
      6,
    );
    const bigProfiles = planCampaign({ recipients: 10_000_000, rate: 3000, profileItemKb: 5 });
    expect(costOf(bigProfiles, 'DynamoDB writes').total).toBeCloseTo((10_000_000 * 7.01 * 0.625) / 1e6, 6);
  });

  it('expects a backlog on the send queue: the audience is read faster than it is sent', () => {
    // 5,000/s in, 3,000/s out for 2,000 s: 4 M recipients wait when the last page is read.
    expect(huge.peakQueue.recipients).toBe(4_000_000);
    expect(huge.peakQueue.messages).toBe(4_000_000 / RECIPIENTS_PER_BATCH);
    // Senders as fast as the reading: about a page waits at a time.
    expect(planCampaign({ recipients: 10_000_000, rate: 5000 }).peakQueue.messages).toBe(10);
  });
});

describe('planCampaign, how it scales', () => {
  it('doubles the totals, not the cost per million, when the recipients double', () => {
    const double = planCampaign({ recipients: 20_000_000, rate: 3000 });
    expect(double.infrastructure.total / huge.infrastructure.total).toBeCloseTo(2, 4);
    expect(double.messages.total).toBeCloseTo(2 * huge.messages.total, 6);
    expect(double.infrastructure.perMillion).toBeCloseTo(huge.infrastructure.perMillion, 4);
    expect(double.infrastructurePercent).toBeCloseTo(huge.infrastructurePercent, 4);
    for (const line of huge.costs.filter((c) => c.item !== 'EventBridge Scheduler'))
      expect(costOf(double, line.item).perMillion).toBeCloseTo(line.perMillion, 4);
  });

  it('needs the senders Little’s law says, and no more', () => {
    for (const rate of [1, 250, 1000, 3000, 4999]) {
      const plan = planCampaign({ recipients: 1_000_000, rate });
      const perSender = RECIPIENTS_PER_BATCH / (plan.senderInvocationMs / 1000);
      expect(plan.senders * perSender).toBeGreaterThanOrEqual(rate);
      expect((plan.senders - 1) * perSender).toBeLessThan(rate);
    }
  });

  it('reports a rate above what SENDER_MAX_CONCURRENCY sustains as limited by it', () => {
    // 300 ms sends: 50 senders manage about 2,166/s.
    const slow = planCampaign({ recipients: 1_000_000, rate: 3000, sesLatencyMs: 300 });
    expect(slow.limitedBy).toBe('sender-concurrency');
    expect(slow.senders).toBe(SENDER_MAX_CONCURRENCY);
    expect(slow.sendersNeeded).toBeGreaterThan(SENDER_MAX_CONCURRENCY);
    expect(slow.sendRate).toBeCloseTo(slow.maxRateAtCap, 9);
    expect(slow.sendRate).toBeLessThan(3000);
    expect(slow.durationSeconds).toBeGreaterThan(1_000_000 / slow.maxRateAtCap);
    expect(slow.warnings.join('\n')).toMatch(/Rate limited: 50 senders \(SENDER_MAX_CONCURRENCY\)/);
    expect(formatCampaignPlan(slow)).toMatch(/LIMITED by SENDER_MAX_CONCURRENCY/);
  });

  it('reports a rate above the run function’s reading as limited by the selection', () => {
    const fast = planCampaign({ recipients: 10_000_000, rate: 20_000 });
    expect(fast.limitedBy).toBe('selection');
    expect(fast.sendRate).toBe(5000);
    expect(fast.verdict.withinHour).toBe(true);
    expect(formatCampaignPlan(fast)).toMatch(/LIMITED by the run function's selection/);
  });
});

describe('planCampaign, channels and prices', () => {
  it('compares SMS with the US price per message, and says the price depends on the country', () => {
    const sms = planCampaign({ recipients: 1_000_000, rate: 100, channel: 'sms' });
    expect(sms.messages.item).toBe('SMS (US price)');
    expect(sms.messages.total).toBeCloseTo(5810, 6);
    expect(sms.warnings.join('\n')).toMatch(/destination country/);
  });

  it('takes a price the user gives over the default', () => {
    const dearer = planCampaign({
      recipients: 10_000_000,
      rate: 3000,
      prices: { sesPerThousandEmails: 0.2 },
    });
    expect(dearer.infrastructurePercent).toBeCloseTo(huge.infrastructurePercent / 2, 9);
    const freeDynamo = planCampaign({
      recipients: 10_000_000,
      rate: 3000,
      prices: { dynamoDbPerMillionReads: 0, dynamoDbPerMillionWrites: 0 },
    });
    expect(costOf(freeDynamo, 'DynamoDB writes').total).toBe(0);
    expect(costOf(freeDynamo, 'Lambda sender').total).toBe(costOf(huge, 'Lambda sender').total);
  });

  it('warns when the tables take more than a new on-demand table serves at once', () => {
    expect(huge.peakUnits.sendRecordWrites).toBeCloseTo(6030, 6);
    expect(huge.warnings.some((w) => w.startsWith('DynamoDB: send records take 6,030 WRU/s'))).toBe(true);
    expect(
      planCampaign({ recipients: 10_000, rate: 500 }).warnings.some((w) => w.startsWith('DynamoDB')),
    ).toBe(false);
  });
});

describe('planCampaign, bad input', () => {
  it.each([
    [{ recipients: 0, rate: 3000 }, 'recipients must be a whole number above 0, got 0'],
    [{ recipients: 10.5, rate: 3000 }, 'recipients must be a whole number above 0, got 10.5'],
    [{ recipients: 1000, rate: -1 }, 'rate must be above 0, got -1'],
    [{ recipients: 1000, rate: Number.NaN }, 'rate must be above 0, got NaN'],
    [{ recipients: 1000, rate: 10, sesLatencyMs: -5 }, 'sesLatencyMs must be 0 or more, got -5'],
    [{ recipients: 1000, rate: 10, profileItemKb: 0 }, 'profileItemKb must be above 0, got 0'],
    [{ recipients: 1000, rate: 10, profileItemKb: 401 }, 'profileItemKb must be at most 400'],
    [{ recipients: 1000, rate: 10, channel: 'fax' as 'sms' }, 'channel must be email or sms, got fax'],
  ])('refuses %j', (input, message) => {
    expect(() => planCampaign(input)).toThrow(message);
  });
});

describe('formatCampaignPlan', () => {
  it('lays out the figures, the costs and a verdict', () => {
    const text = formatCampaignPlan(huge);
    expect(text).toMatch(/^Plan: 10,000,000 email recipients at 3,000\/s/);
    expect(text).toMatch(/send batches +100,000/);
    expect(text).toMatch(/infrastructure \/ SES +3\.04 %/);
    expect(text.split('\n').at(-1)).toBe(
      'Verdict: 10,000,000 recipients at 3,000/s take 55.6 min (within one hour: yes); infrastructure is 3.04 % of SES (under 5 %: yes)',
    );
  });

  it('says NO when a send misses the hour', () => {
    const text = formatCampaignPlan(planCampaign({ recipients: 10_000_000, rate: 1000 }));
    expect(text).toMatch(/within one hour: NO/);
  });
});
