import { addDays, instantsAtClockTime, localDateOf, minutesOfDay } from './clock-time';

// `localTime: "HH:MM"`: each recipient gets the message at that time on their own clock, so "10:00"
// means ten in the morning in Tokyo and in London alike. The day is the run's: the date the
// recipient's clock shows when the run starts. Where that time has already passed there, the
// message goes out at that time the next day. Braze skips such recipients and Dittofeed sends at
// once; we chose the next day because a marketer who asks for 10:00 wants 10:00 (a send at 23:00
// would fall in quiet hours or be read by nobody), and skipping would lose a share of the audience
// that depends only on where they live. So every recipient's message goes out within 24 hours of
// the run's start, at the asked time.
//
// On the day the clock jumps forward, a time it skips (02:30 in New York on the second Sunday of
// March) is the instant it jumps past it (03:00 EDT); a time shown twice when clocks go back is its
// first showing not yet past at the run's start. See clock-time.ts.

/** The instant of the recipient's `localTime` ("HH:MM") for a run started at `runStartedAt`. */
export const localSendTime = (localTime: string, timeZone: string, runStartedAt: Date): Date => {
  const start = runStartedAt.getTime();
  const minutes = minutesOfDay(localTime);
  const runDay = localDateOf(start, timeZone);
  for (let days = 0; days < 3; days++) {
    const instant = instantsAtClockTime(addDays(runDay, days), minutes, timeZone).find((t) => t >= start);
    if (instant !== undefined) return new Date(instant);
  }
  throw new Error(`${localTime} in ${timeZone} not found within 3 days of ${runStartedAt.toISOString()}`);
};
