import { GetAccountCommand, type SESv2Client } from '@aws-sdk/client-sesv2';

/** The account's sending limits as SES states them (`GetAccount().SendQuota`). */
export interface SendQuota {
  /** Emails per second; SES drops what goes over (HTTP 429). */
  readonly maxSendRate: number;
  /** Emails per rolling 24 hours; -1 for unlimited. */
  readonly max24HourSend: number;
  readonly sentLast24Hours: number;
}

/**
 * SES's quota, read at most once a minute per container (it changes when AWS raises the account's
 * limits, not per message); what this container sent since the read is counted against the day.
 */
export class SesSendQuota {
  private read: { at: number; quota: Promise<SendQuota> } | undefined;
  private sinceRead = 0;

  constructor(
    private readonly client: SESv2Client,
    private readonly maxAgeMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  quota(): Promise<SendQuota> {
    if (!this.read || this.now() - this.read.at > this.maxAgeMs) {
      const quota = this.client.send(new GetAccountCommand({})).then((account) => ({
        maxSendRate: account.SendQuota?.MaxSendRate ?? 1,
        max24HourSend: account.SendQuota?.Max24HourSend ?? 200,
        sentLast24Hours: account.SendQuota?.SentLast24Hours ?? 0,
      }));
      this.read = { at: this.now(), quota };
      this.sinceRead = 0;
      quota.catch(() => {
        this.read = undefined;
      });
    }
    return this.read.quota;
  }

  async remaining(): Promise<number> {
    const q = await this.quota();
    return q.max24HourSend < 0
      ? Number.POSITIVE_INFINITY
      : q.max24HourSend - q.sentLast24Hours - this.sinceRead;
  }

  spend(n: number): void {
    this.sinceRead += n;
  }
}
