import type { TimeUnit } from '../scoring/prepare-transactions';
import { numberSetting, setting } from '../shared/settings';

/** The `scoringTimeUnit` setting; anything but day or week fails at cold start. */
export const scoringTimeUnit = (): TimeUnit => {
  const unit = setting('scoringTimeUnit');
  if (unit !== 'day' && unit !== 'week')
    throw new Error('setting scoringTimeUnit (SCORING_TIME_UNIT) must be day or week');
  return unit;
};

export const scoringDriftThreshold = (): number => {
  const value = numberSetting('scoringDriftThreshold');
  if (!(value > 0))
    throw new Error('setting scoringDriftThreshold (SCORING_DRIFT_THRESHOLD) must be above 0');
  return value;
};
