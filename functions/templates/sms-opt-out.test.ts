import { describe, expect, it } from 'vitest';
import { DEFAULT_SMS_OPT_OUT, hasSmsOptOut, withSmsOptOut } from './sms-opt-out';

describe('withSmsOptOut', () => {
  it('appends the instruction on a line of its own', () => {
    expect(withSmsOptOut('20% off this week.  ')).toBe(`20% off this week.\n${DEFAULT_SMS_OPT_OUT}`);
  });
  it('leaves a text that already says it alone, whatever its case and spacing', () => {
    for (const text of [
      'Sale! reply stop to opt out',
      'Sale! REPLY  STOP\nTO OPT OUT.',
      'Reply STOP to opt out: sale',
    ])
      expect(withSmsOptOut(text)).toBe(text);
  });
  it('uses the setting instead of the default', () => {
    expect(withSmsOptOut('促销', '回复TD退订')).toBe('促销\n回复TD退订');
    expect(hasSmsOptOut('Reply STOP to opt out', 'Text END to stop')).toBe(false);
  });
  it('appends nothing when the setting is empty', () => {
    expect(withSmsOptOut('Hi', '  ')).toBe('Hi');
  });
});
