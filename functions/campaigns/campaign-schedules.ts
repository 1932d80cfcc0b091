/** When a campaign fires: Scheduler's expression and the zone it is read in. */
export interface CampaignTiming {
  /** `cron(0 10 ? * WED *)` for a recurring campaign, `at(2026-12-09T10:00:00)` for a one-time one. */
  readonly expression: string;
  readonly timeZone: string;
}

/**
 * The schedules that fire campaign runs (EventBridge Scheduler in AWS). One schedule per campaign,
 * named after it; a firing's input carries the campaign id and the scheduled time, from which the
 * run id is made, so a redelivered firing is the same run.
 */
export interface CampaignSchedules {
  /** Creates or replaces the campaign's schedule; `enabled: false` keeps it without firing (paused). */
  put(campaignId: string, timing: CampaignTiming, options: { readonly enabled: boolean }): Promise<void>;
  /** Removes it; nothing when there is none. */
  remove(campaignId: string): Promise<void>;
}
