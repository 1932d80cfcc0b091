// A marketing SMS ends with the instruction to opt out (carriers and the TCPA/PECR expect it). It is
// appended by the system rather than trusted to every template, and counted in the parts, so the
// part count a marketer sees at save is the one that is billed.

/** The default of the opt-out setting. */
export const DEFAULT_SMS_OPT_OUT = 'Reply STOP to opt out';

// Case and runs of white space do not matter: "reply stop to opt out" already says it.
const comparable = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ');

/** Whether the text already holds the opt-out instruction (case-insensitive). */
export const hasSmsOptOut = (text: string, optOut: string = DEFAULT_SMS_OPT_OUT): boolean =>
  comparable(text).includes(comparable(optOut).trim());

/**
 * The text with the opt-out instruction on a line of its own at the end, unless it already holds
 * it. A line break costs one unit, as a space would, and reads better on a phone.
 */
export const withSmsOptOut = (text: string, optOut: string = DEFAULT_SMS_OPT_OUT): string =>
  optOut.trim() === '' || hasSmsOptOut(text, optOut) ? text : `${text.trimEnd()}\n${optOut.trim()}`;
