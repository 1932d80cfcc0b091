import { describe, expect, it } from 'vitest';
import { parseCdnow } from './parse-cdnow.ts';

describe('parseCdnow', () => {
  it('reads the master format after its header line, and the sample format', () => {
    const master =
      'customer_id date number_of_cds dollar_value\r\n    1 19970101  1  11.77\r\n    2 19970112  5  77.00\r\n';
    expect(parseCdnow(master)).toEqual([
      { customerId: '1', timestamp: Date.UTC(1997, 0, 1), amount: 11.77 },
      { customerId: '2', timestamp: Date.UTC(1997, 0, 12), amount: 77 },
    ]);
    expect(parseCdnow('00004 1 19970101 2 20.76\n')).toEqual([
      { customerId: '00004', timestamp: Date.UTC(1997, 0, 1), amount: 20.76 },
    ]);
  });

  it('refuses a bad row anywhere else, with its line number', () => {
    expect(() => parseCdnow('    1 19970101  1  11.77\nid date cds dollars\n')).toThrow(
      'CDNOW line 2: bad row',
    );
    expect(() => parseCdnow('    1 19970101  1\n')).toThrow('CDNOW line 1: expected 4 or 5 columns, got 3');
  });
});
