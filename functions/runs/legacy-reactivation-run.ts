import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

// The built-in weekly win-back (`run-reactivation`, retired when the win-back became a preset of
// the campaign engine) kept its runs in the jobs table under `RUN#reactivation-<time>` / `RUN`.
// They are the audit of what was sent before the migration, so GET /runs/{runId} still answers
// them, read-only; nothing writes them any more.

export const LEGACY_RUN_ID_PATTERN = /^reactivation-\d{8}T\d{6}Z$/;

/** A run of the retired reactivation function, as it was stored (its scan checkpoint left out). */
export interface LegacyReactivationRun {
  readonly runId: string;
  readonly campaign: 'reactivation';
  readonly status: 'running' | 'completed';
  readonly scheduledTime: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly attempts: number;
  readonly rules: { lapsedDays: number; cooldownDays: number };
  readonly counts?: Record<string, unknown>;
}

const VISIBLE = [
  'runId',
  'campaign',
  'status',
  'scheduledTime',
  'startedAt',
  'finishedAt',
  'attempts',
  'invocations',
  'rules',
  'counts',
] as const;

export const readLegacyReactivationRun = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  runId: string,
): Promise<LegacyReactivationRun | undefined> => {
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: { pk: `RUN#${runId}`, sk: 'RUN' } }),
  );
  if (Item?.['campaign'] !== 'reactivation') return undefined;
  // Only the run's report: the lease and the scan position were the job's own business.
  return Object.fromEntries(
    VISIBLE.filter((k) => Item[k] !== undefined).map((k) => [k, Item[k]]),
  ) as unknown as LegacyReactivationRun;
};
