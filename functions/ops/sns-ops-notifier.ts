import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { OpsNotifier } from './ops-notifier';

export class SnsOpsNotifier implements OpsNotifier {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async notify(subject: string, detail: Record<string, unknown>): Promise<void> {
    await this.client.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: subject.slice(0, 100),
        Message: JSON.stringify({ subject, ...detail }),
      }),
    );
  }
}
