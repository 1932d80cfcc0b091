import type { FilterImplOptions, Liquid } from 'liquidjs';

// Liquid's date filters read the clock for "now" and "today" and format in the engine's zone. A
// campaign renders the same template for many recipients and may render a message again after a
// retry, so both come from the render instead: the time the caller passes (a run's scheduled time)
// and the zone it passes (the business zone), held under a symbol in the render's globals, where
// no template can name it.

export const RENDER_CLOCK = Symbol('template render clock');

export interface RenderClock {
  /** What "now" and "today" mean, in epoch milliseconds. */
  readonly now: number;
  /** IANA zone dates are shown in when the filter names none. */
  readonly timeZone: string;
}

export const renderGlobals = (clock: RenderClock): object => ({ [RENDER_CLOCK]: clock });

/** What a filter's `this` has that these need (liquidjs does not export its FilterImpl type). */
type FilterThis = { context: { globals: unknown } };

const clockOf = (self: FilterThis): RenderClock => {
  const clock = (self.context.globals as { [RENDER_CLOCK]?: RenderClock })[RENDER_CLOCK];
  return clock ?? { now: 0, timeZone: 'UTC' };
};

/** "now" and "today" as epoch seconds (a number is seconds to Liquid), anything else unchanged. */
const resolved = (self: FilterThis, value: unknown): unknown =>
  value === 'now' || value === 'today' ? clockOf(self).now / 1000 : value;

/**
 * Registers date, date_to_xmlschema, date_to_rfc822, date_to_string and date_to_long_string on the
 * engine, all through the built-in date with the render's clock and zone (a zone given to `date`
 * wins), so every date filter agrees on the zone.
 */
export const registerDateFilters = (engine: Liquid): void => {
  const date = engine.filters.date as FilterImplOptions & ((...args: unknown[]) => unknown);
  const format = function (this: FilterThis, value: unknown, pattern?: unknown, zone?: unknown) {
    return date.call(this, resolved(this, value), pattern, zone ?? clockOf(this).timeZone);
  };
  const named = (month: string) =>
    function (this: FilterThis, value: unknown, type?: unknown, style?: unknown) {
      const pattern =
        type !== 'ordinal' ? `%d ${month} %Y` : style === 'US' ? `${month} %-d%q, %Y` : `%-d%q ${month} %Y`;
      return format.call(this, value, pattern);
    };
  engine.registerFilter('date', format);
  engine.registerFilter('date_to_xmlschema', function (this: FilterThis, value: unknown) {
    return format.call(this, value, '%Y-%m-%dT%H:%M:%S%:z');
  });
  engine.registerFilter('date_to_rfc822', function (this: FilterThis, value: unknown) {
    return format.call(this, value, '%a, %d %b %Y %H:%M:%S %z');
  });
  engine.registerFilter('date_to_string', named('%b'));
  engine.registerFilter('date_to_long_string', named('%B'));
};
