import { ListPhoneNumbersOptedOutCommand, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { classifySendError } from './send-errors';
import type { OutgoingSms, SmsSender } from './sms-sender';

export class SnsSmsSender implements SmsSender {
  constructor(
    private readonly client: SNSClient,
    private readonly options: { senderId?: string } = {},
  ) {}

  async send(sms: OutgoingSms): Promise<{ messageId: string }> {
    try {
      const result = await this.client.send(
        new PublishCommand({
          PhoneNumber: sms.phoneNumber,
          Message: sms.message,
          MessageAttributes: {
            'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: sms.type },
            ...(this.options.senderId
              ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: this.options.senderId } }
              : {}),
          },
        }),
      );
      return { messageId: result.MessageId ?? '' };
    } catch (error) {
      throw classifySendError(error);
    }
  }

  async optedOutNumbers(): Promise<Set<string>> {
    const numbers = new Set<string>();
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListPhoneNumbersOptedOutCommand(nextToken ? { nextToken } : {}),
      );
      for (const n of page.phoneNumbers ?? []) numbers.add(n);
      nextToken = page.nextToken;
    } while (nextToken);
    return numbers;
  }
}
