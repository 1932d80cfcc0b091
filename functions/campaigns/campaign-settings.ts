import { numberSetting, setting } from '../shared/settings';
import type { FrequencyCaps } from './frequency-cap';
import type { QuietHours } from './quiet-hours';

/** `21:00-08:00`, or `off`: the quietHours setting as the rules read it. */
export const parseQuietHours = (value: string): QuietHours | false => {
  if (value.trim().toLowerCase() === 'off') return false;
  const match = /^\s*([01]\d|2[0-3]):([0-5]\d)\s*-\s*([01]\d|2[0-3]):([0-5]\d)\s*$/.exec(value);
  if (!match) throw new Error(`QUIET_HOURS must be HH:MM-HH:MM or off, not "${value}"`);
  return { start: `${match[1]}:${match[2]}`, end: `${match[3]}:${match[4]}` };
};

/** The campaign settings from the function's environment. */
export const campaignSettings = (): {
  globalFrequencyCap: FrequencyCaps;
  defaultQuietHours: QuietHours | false;
} => ({
  globalFrequencyCap: {
    perDay: numberSetting('frequencyCapPerDay'),
    perWeek: numberSetting('frequencyCapPerWeek'),
  },
  defaultQuietHours: parseQuietHours(setting('quietHours')),
});
