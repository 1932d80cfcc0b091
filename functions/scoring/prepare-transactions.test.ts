import { describe, expect, it } from 'vitest';
import { dayToIsoDate, prepareTransactions, summaryRecord, toDayNumber } from './prepare-transactions.ts';

const tx = (customerId: string, timestamp: string, amount: number) => ({ customerId, timestamp, amount });

describe('prepareTransactions', () => {
  it('sums rows of one customer-day into one occasion and computes x, t_x, T, monetary', () => {
    const s = prepareTransactions(
      [
        tx('a', '2024-01-01T09:00:00Z', 10),
        tx('a', '2024-01-01T18:00:00Z', 5), // same day: one occasion worth 15
        tx('a', '2024-01-08', 20),
        tx('a', '2024-01-15', 40),
        tx('b', '2024-01-10', 7),
      ],
      { cutoff: '2024-01-29', timeUnit: 'week' },
    );
    expect(s.ids).toEqual(['a', 'b']);
    expect(summaryRecord(s, 0)).toEqual({
      customerId: 'a',
      x: 2,
      tx: 2,
      T: 4,
      monetary: 30, // mean of the repeat occasions (20 and 40); the first purchase is left out
      totalSpend: 75,
      firstPurchase: '2024-01-01',
      lastPurchase: '2024-01-15',
    });
    expect(s.x[1]).toBe(0);
    expect(s.tx[1]).toBe(0);
    expect(s.T[1]).toBeCloseTo(19 / 7, 12);
    expect(s.monetary[1]).toBe(0);
  });

  it('measures time in days when asked, and ignores rows after the cut-off', () => {
    const s = prepareTransactions(
      [
        tx('a', '2024-03-05', 10),
        tx('a', '2024-03-01', 10),
        tx('a', '2024-03-11', 99),
        tx('a', '2024-03-10', 5),
      ],
      { cutoff: '2024-03-10', timeUnit: 'day' },
    );
    expect(s.x[0]).toBe(2);
    expect(s.tx[0]).toBe(9);
    expect(s.T[0]).toBe(9);
    expect(s.totalSpend[0]).toBe(25);
    expect(s.rowsAfterCutoff).toBe(1);
    const end = prepareTransactions([tx('a', '2024-03-01', 10)], {
      cutoff: '2024-03-10',
      timeUnit: 'day',
      periodEnd: 'end-of-cutoff-day',
    });
    expect(end.T[0]).toBe(10);
  });

  it('treats refund-only days as refunds, not occasions, and floors refunded occasions at zero', () => {
    const s = prepareTransactions(
      [
        tx('a', '2024-01-01', 50),
        tx('a', '2024-01-05', -50), // refund of the first order: not an occasion
        tx('a', '2024-01-10', 30),
        tx('a', '2024-01-10', -30), // cancelled the same day: an occasion worth 0
        tx('b', '2024-01-02', -10), // only a refund: no purchase at all
      ],
      { cutoff: '2024-01-31', timeUnit: 'day' },
    );
    expect(s.x[0]).toBe(1);
    expect(s.tx[0]).toBe(9);
    expect(s.monetary[0]).toBe(0);
    expect(s.totalSpend[0]).toBe(0);
    expect(s.x[1]).toBe(0);
    expect(s.T[1]).toBeNaN();
    expect(s.firstDay[1]).toBeNaN();
    expect(s.totalSpend[1]).toBe(-10);
  });

  it('keeps known customers without purchases as prospects and skips bad rows', () => {
    const s = prepareTransactions(
      [
        tx('a', '2024-01-01', 5),
        tx('', '2024-01-01', 5),
        tx('c', 'not a date', 5),
        tx('a', '2024-01-02', Number.NaN),
      ],
      { cutoff: '2024-01-31', customerIds: ['p', 'a'] },
    );
    expect(s.ids).toEqual(['p', 'a']);
    expect(s.T[0]).toBeNaN();
    expect(s.x[0]).toBe(0);
    expect(s.T[1]).toBeCloseTo(30 / 7, 12);
    expect(s.skippedRows).toBe(3);
  });

  it('handles no transactions at all', () => {
    const s = prepareTransactions([], { cutoff: '2024-01-31' });
    expect(s.size).toBe(0);
    expect(() => prepareTransactions([], { cutoff: 'nonsense' })).toThrow(/cutoff/);
  });

  it('uses a local calendar day when given a UTC offset', () => {
    expect(toDayNumber('2024-01-01T23:30:00Z')).toBe(toDayNumber('2024-01-01'));
    expect(toDayNumber('2024-01-01T23:30:00Z', 60)).toBe(toDayNumber('2024-01-02'));
    expect(dayToIsoDate(toDayNumber(new Date('1997-09-30T12:00:00Z')))).toBe('1997-09-30');
  });
});
