import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/**
 * Sends many messages to one queue, ten per SendMessageBatch (the API's limit), retrying the
 * entries SQS did not take (a batch answers 200 with per-entry failures) until all are in.
 */
export const sqsMessages =
  <M extends object>(client: SQSClient, queueUrl: string) =>
  async (messages: readonly M[], delaySeconds = 0): Promise<void> => {
    for (let i = 0; i < messages.length; i += 10) {
      let entries = messages
        .slice(i, i + 10)
        .map((m, j) => ({ Id: String(j), MessageBody: JSON.stringify(m), DelaySeconds: delaySeconds }));
      for (let attempt = 0; entries.length > 0; attempt++) {
        if (attempt >= 8) throw new Error(`SQS did not take ${entries.length} messages in 8 attempts`);
        if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        const { Failed = [] } = await client.send(
          new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
        );
        const failed = new Set(Failed.map((f) => f.Id));
        entries = entries.filter((e) => failed.has(e.Id));
      }
    }
  };
