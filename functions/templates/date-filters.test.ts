import { describe, expect, it } from 'vitest';
import { renderGlobals } from './date-filters';
import { liquidEngines } from './liquid-engine';

const render = (source: string, clock: { now: number; timeZone: string }, scope: object = {}) =>
  liquidEngines.plain.parseAndRenderSync(source, scope, { globals: renderGlobals(clock) });

const NOW = Date.parse('2026-07-01T23:30:00Z');

describe('date filters', () => {
  it('take "now" and "today" from the render, not the clock', () => {
    expect(
      render('{{ "now" | date: "%Y-%m-%d %H:%M" }} {{ "today" | date: "%d" }}', {
        now: NOW,
        timeZone: 'UTC',
      }),
    ).toBe('2026-07-01 23:30 01');
  });
  it("show dates in the render's zone unless the template names one", () => {
    const clock = { now: NOW, timeZone: 'Europe/London' };
    expect(render('{{ "now" | date: "%e %B %H:%M" }}', clock)).toBe(' 2 July 00:30');
    expect(render('{{ "now" | date: "%H:%M", "Asia/Tokyo" }}', clock)).toBe('08:30');
    expect(render('{{ d | date: "%e %b" }}', clock, { d: '2026-01-31T23:30:00Z' })).toBe('31 Jan');
  });
  it('agree on the zone in every date filter', () => {
    const clock = { now: NOW, timeZone: 'Europe/London' };
    expect(render('{{ "now" | date_to_xmlschema }}', clock)).toBe('2026-07-02T00:30:00+01:00');
    expect(render('{{ "now" | date_to_rfc822 }}', clock)).toBe('Thu, 02 Jul 2026 00:30:00 +0100');
    expect(render('{{ "now" | date_to_string }}', clock)).toBe('02 Jul 2026');
    expect(render('{{ "now" | date_to_long_string: "ordinal" }}', clock)).toBe('2nd July 2026');
    expect(render('{{ "now" | date_to_string: "ordinal", "US" }}', clock)).toBe('Jul 2nd, 2026');
  });
  it('leave nil and text that is no date as they are', () => {
    expect(
      render('[{{ d | date: "%Y" }}][{{ "soon" | date: "%Y" }}]', { now: NOW, timeZone: 'UTC' }, { d: null }),
    ).toBe('[][soon]');
  });
});
