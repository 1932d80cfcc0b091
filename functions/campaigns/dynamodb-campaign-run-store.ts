import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbJobLeases } from '../jobs/dynamodb-job-leases';
import { isConditionFailure } from '../shared/is-condition-failure';
import { queryAll } from '../shared/query-all';
import type { CampaignRun, SendRecord } from './campaign-run';
import { type CampaignRunStore, FINISHED_CAMPAIGN_RUN_STATUSES } from './campaign-run-store';

const runKey = (runId: string) => ({ pk: `RUN#${runId}`, sk: 'RUN' });
const sendKey = (runId: string, profileId: string) => ({ pk: `RUN#${runId}`, sk: `SEND#${profileId}` });

/** Runs and their send records in the jobs table: `RUN#<runId>` / `RUN` and `SEND#<profileId>`. */
export class DynamoDbCampaignRunStore implements CampaignRunStore {
  private readonly leases: DynamoDbJobLeases<CampaignRun>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.leases = new DynamoDbJobLeases(client, tableName, {
      key: runKey,
      over: FINISHED_CAMPAIGN_RUN_STATUSES,
      counter: 'invocations',
    });
  }

  claim(runId: string, owner: string, leaseMs: number, fresh?: CampaignRun) {
    return this.leases.claim(runId, owner, leaseMs, fresh);
  }
  checkpoint(runId: string, owner: string, changes: Partial<CampaignRun>, leaseMs: number) {
    return this.leases.checkpoint(runId, owner, changes, leaseMs);
  }
  release(runId: string, owner: string) {
    return this.leases.release(runId, owner);
  }
  finish(runId: string, owner: string, changes: Partial<CampaignRun>) {
    return this.leases.finish(runId, owner, changes);
  }

  async reopen(runId: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: runKey(runId),
          UpdateExpression:
            'SET #status = :running, attempts = attempts + :one REMOVE #checkpoint, finishedAt',
          ConditionExpression: '#status = :completed',
          ExpressionAttributeNames: { '#status': 'status', '#checkpoint': 'checkpoint' },
          ExpressionAttributeValues: { ':running': 'running', ':completed': 'completed', ':one': 1 },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async claimSend(record: SendRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...sendKey(record.runId, record.profileId), ...record },
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :failed AND retryable = :yes)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':failed': 'failed', ':yes': true },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async settleSend(record: SendRecord): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...sendKey(record.runId, record.profileId), ...record },
      }),
    );
  }

  async sends(runId: string): Promise<SendRecord[]> {
    return (await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :send)',
      ExpressionAttributeValues: { ':pk': `RUN#${runId}`, ':send': 'SEND#' },
      ConsistentRead: true,
    })) as unknown as SendRecord[];
  }

  async get(runId: string): Promise<CampaignRun | undefined> {
    return (await this.leases.read(runId))?.job;
  }
}
