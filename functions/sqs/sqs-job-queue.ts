import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Sends a job message (a request, a queued firing or a continuation) to a job queue. */
export const sqsJobQueue =
  <M extends object>(client: SQSClient, queueUrl: string) =>
  async (message: M): Promise<void> => {
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(message) }));
  };
