const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A cached formatter giving the wall-clock fields (24-hour) of an instant in an IANA time zone;
 * throws a RangeError for a zone the runtime does not know. Shared by the ingest date cleaning and
 * the local scheduler.
 */
export const zonedFormatter = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};
