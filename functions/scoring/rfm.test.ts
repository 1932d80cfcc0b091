import { describe, expect, it } from 'vitest';
import { quintileScores, rfmScores } from './rfm-scores.ts';
import { DEFAULT_RFM_SEGMENT_MAP, RFM_SEGMENTS, rfmSegment } from './rfm-segment.ts';

describe('quintileScores', () => {
  it('scores distinct values 1-5 by quintile, 5 best', () => {
    const values = new Float64Array([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect([...quintileScores(values, true)]).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect([...quintileScores(values, false)]).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  });

  it('gives ties the score of the middle of their group, whatever the input order', () => {
    // 6 customers with value 1 (mid-rank 3/10 -> score 2), then 2, 3, 4, 5.
    const values = new Float64Array([1, 1, 1, 5, 1, 1, 1, 2, 3, 4]);
    const scores = quintileScores(values, true);
    expect([...scores]).toEqual([2, 2, 2, 5, 2, 2, 2, 4, 4, 5]);
    const reversed = quintileScores(values.slice().reverse(), true);
    expect([...reversed]).toEqual([...scores].reverse());
  });

  it('one customer, or all equal, score 3; excluded and NaN rows score 0', () => {
    expect([...quintileScores(new Float64Array([7]), true)]).toEqual([3]);
    expect([...quintileScores(new Float64Array([7, 7, 7]), false)]).toEqual([3, 3, 3]);
    expect([
      ...quintileScores(new Float64Array([1, Number.NaN, 2]), true, new Uint8Array([1, 1, 0])),
    ]).toEqual([3, 0, 0]);
    expect([...quintileScores(new Float64Array(0), true)]).toEqual([]);
  });

  it('rfmScores uses days since last purchase, occasions and spend', () => {
    const s = rfmScores(
      {
        lastDay: new Float64Array([100, 90, Number.NaN]),
        x: new Float64Array([3, 0, 0]),
        totalSpend: new Float64Array([50, 500, 0]),
      },
      100,
    );
    expect([...s.recency]).toEqual([4, 2, 0]);
    expect([...s.frequency]).toEqual([4, 2, 0]);
    expect([...s.monetary]).toEqual([2, 4, 0]);
    const avg = rfmScores(
      {
        lastDay: new Float64Array([1, 1]),
        x: new Float64Array([9, 0]),
        totalSpend: new Float64Array([100, 20]),
      },
      5,
      { monetary: 'average' },
    );
    expect([...avg.monetary]).toEqual([2, 4]);
  });
});

describe('rfmSegment', () => {
  it('maps the standard cells', () => {
    expect(rfmSegment(5, 5, 5)).toBe('Champions');
    expect(rfmSegment(5, 1, 1)).toBe('New Customers');
    expect(rfmSegment(4, 1, 1)).toBe('Promising');
    expect(rfmSegment(4, 4, 5)).toBe('Loyal');
    expect(rfmSegment(5, 2, 3)).toBe('Potential Loyalist'); // FM = round(2.5) = 3
    expect(rfmSegment(3, 3, 3)).toBe('Need Attention');
    expect(rfmSegment(3, 1, 2)).toBe('About to Sleep');
    expect(rfmSegment(2, 4, 3)).toBe('At Risk');
    expect(rfmSegment(1, 5, 5)).toBe('Cannot Lose Them');
    expect(rfmSegment(2, 1, 1)).toBe('Hibernating');
    expect(rfmSegment(1, 1, 2)).toBe('Lost');
    expect(rfmSegment(0, 1, 1)).toBeNull();
  });

  it('the default map uses exactly the eleven named segments, and the map is configurable', () => {
    expect(new Set(DEFAULT_RFM_SEGMENT_MAP.flat())).toEqual(new Set(RFM_SEGMENTS));
    const custom = DEFAULT_RFM_SEGMENT_MAP.map((row) => row.map(() => 'Everyone'));
    expect(rfmSegment(5, 5, 5, custom)).toBe('Everyone');
    expect(() => rfmSegment(5, 5, 5, [['x']])).toThrow(/no cell/);
  });
});
