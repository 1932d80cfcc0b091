import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { EmailSender, OutgoingEmail } from './email-sender';
import { classifySendError } from './send-errors';

/** SES tag values allow only letters, digits, `_`, `-`, `.` and `@`. */
const tagValue = (value: string) => value.replace(/[^A-Za-z0-9_\-.@]/g, '_').slice(0, 256);

export class SesEmailSender implements EmailSender {
  constructor(
    private readonly client: SESv2Client,
    private readonly options: { from: string; replyTo?: string; configurationSet?: string },
  ) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    try {
      const result = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.options.from,
          Destination: { ToAddresses: [email.to] },
          ...(this.options.replyTo ? { ReplyToAddresses: [this.options.replyTo] } : {}),
          ...(this.options.configurationSet ? { ConfigurationSetName: this.options.configurationSet } : {}),
          EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value: tagValue(Value) })),
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: {
                Html: { Data: email.html, Charset: 'UTF-8' },
                Text: { Data: email.text, Charset: 'UTF-8' },
              },
              Headers: Object.entries(email.headers).map(([Name, Value]) => ({ Name, Value })),
            },
          },
        }),
      );
      return { messageId: result.MessageId ?? '' };
    } catch (error) {
      throw classifySendError(error);
    }
  }
}
