import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '../shared/is-condition-failure';
import { mapWithConcurrency } from '../shared/map-with-concurrency';
import { SCORE_INDEX_ATTRIBUTES } from './profile-scores';
import type { ProfileScoreEntry, ScoreWriteCounts, ScoreWriter } from './score-writer';

/**
 * One conditional UpdateItem per profile: sets `scores` and the index keys (removing those that no
 * longer apply), only on an existing profile and only when no later run (run ids sort by time) has
 * scored it. The profile's own fields and version are left alone: profile writes in turn never
 * touch these attributes.
 */
export class DynamoDbScoreWriter implements ScoreWriter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly concurrency = 32,
  ) {}

  async write(entries: readonly ProfileScoreEntry[]): Promise<ScoreWriteCounts> {
    const outcomes = await mapWithConcurrency(entries, this.concurrency, (entry) => this.writeOne(entry));
    let written = 0;
    let missing = 0;
    let superseded = 0;
    for (const outcome of outcomes) {
      if (outcome === 'written') written++;
      else if (outcome === 'missing') missing++;
      else superseded++;
    }
    return { written, missing, superseded };
  }

  private async writeOne(entry: ProfileScoreEntry): Promise<'written' | 'missing' | 'superseded'> {
    const names: Record<string, string> = { '#scores': 'scores', '#runId': 'runId' };
    const values: Record<string, unknown> = { ':scores': entry.scores, ':runId': entry.scores.runId };
    const sets = ['#scores = :scores'];
    const removes: string[] = [];
    for (const attribute of SCORE_INDEX_ATTRIBUTES) {
      const value = entry.index[attribute];
      names[`#${attribute}`] = attribute;
      if (value === undefined) removes.push(`#${attribute}`);
      else {
        values[`:${attribute}`] = value;
        sets.push(`#${attribute} = :${attribute}`);
      }
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { profileId: entry.profileId },
          UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression:
            'attribute_exists(profileId) AND (attribute_not_exists(#scores) OR #scores.#runId <= :runId)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'written';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      return (error as { Item?: unknown }).Item ? 'superseded' : 'missing';
    }
  }
}
