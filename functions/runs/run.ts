import type { CampaignChannel, CampaignDefinition } from '../campaigns/campaign-definition';

// One run of a campaign: one firing of its schedule, or one manual fire. The run snapshots what it
// sends (the campaign's definition and version, each template's version) when it starts, so a
// change to the campaign or a template while it runs changes the next run, not this one, and the
// report can say exactly what went out. Its id comes from the campaign and the scheduled time,
// so a redelivered firing is the same run.

export const RUN_STATUSES = ['queued', 'selecting', 'sending', 'completed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** queued: fired, not started; selecting: reading the audience (sends already go out); sending: the
 * audience is read, messages are still due (deferred ones among them); completed: every recipient
 * is decided; cancelled: the campaign was cancelled, what was not sent never will be. */
export const FINISHED_RUN_STATUSES: readonly RunStatus[] = ['completed', 'cancelled'];

/** The template one message position sends: `variant` (0 unless A/B) on `channel`. */
export interface RunTemplate {
  readonly variant: number;
  readonly channel: 'email' | 'sms';
  readonly templateId: string;
  readonly version: number;
}

/** Where the audience read stands: one part per scan segment or index key, each resumable. */
export interface AudiencePart {
  readonly next?: Record<string, unknown>;
  readonly done: boolean;
  /** Pages this part has handled: with the part's index, it names each page's batches for good. */
  readonly pages: number;
}

export interface SelectionCounts {
  /** Profiles the segment selected. */
  readonly audience: number;
  /** Held out by the campaign's control group. */
  readonly control: number;
  /** Held out by the global control group (marketing only). */
  readonly globalControl: number;
  /** Handed to the sender, in batches. */
  readonly queued: number;
  readonly batches: number;
}

export const EMPTY_SELECTION: SelectionCounts = {
  audience: 0,
  control: 0,
  globalControl: 0,
  queued: 0,
  batches: 0,
};

export interface Run {
  readonly runId: string;
  readonly campaignId: string;
  readonly campaignName: string;
  /** The campaign's version the run sends. */
  readonly campaignVersion: number;
  readonly trigger: 'schedule' | 'manual';
  /** The firing's scheduled time (a manual run: when it was fired). */
  readonly scheduledTime: string;
  readonly status: RunStatus;
  readonly createdAt: string;
  readonly startedAt?: string;
  /** When the audience was read completely. */
  readonly selectedAt?: string;
  readonly finishedAt?: string;
  readonly channel: CampaignChannel;
  readonly definition: CampaignDefinition;
  readonly templates: readonly RunTemplate[];
  readonly selection: SelectionCounts;
  /** The plan the audience was read with (`scan`, `index:byValueRisk`). */
  readonly plan?: string;
  /** The audience read's position, between invocations (absent once read). */
  readonly audience?: readonly AudiencePart[];
  /** Invocations that worked on the selection (continuations and retries included). */
  readonly invocations: number;
  /** Why the run waits, when it does: the campaign is paused, or the daily quota is spent. */
  readonly waiting?: 'paused' | 'daily_quota';
  readonly requestedBy?: string;
}

/**
 * A run's id: the campaign's and the scheduled time's, `run_<campaign>_<yyyymmddThhmmss[mmm]Z>`
 * (milliseconds only when there are some, as for a manual fire).
 */
export const runIdOf = (campaignId: string, scheduledTime: string): string => {
  const iso = new Date(scheduledTime).toISOString();
  const compact = iso.replace(/[-:]/g, '').replace('.000Z', 'Z').replace('.', '');
  return `run_${campaignId.replace(/^cmp_/, '')}_${compact}`;
};

export const RUN_ID_PATTERN = /^run_[A-Za-z0-9]{1,40}_\d{8}T\d{6,9}Z$/;
