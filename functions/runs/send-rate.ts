import type { MessageChannel } from '../campaigns/recipient-decision';

// The account-wide sending rate. SES drops a message over the account's MaxSendRate (HTTP 429)
// and SNS throttles SMS, so the pace is ours to keep, across every campaign and every sender
// invocation at once: each second of wall-clock time is a window with a limit, shared through one
// counter per channel and second (the DynamoDB adapter). An invocation takes a few tokens at a
// time and uses them within their second or drops them, so no second ever sends more than the
// limit, however many invocations run.

export interface Grant {
  /** The epoch second the tokens are for. */
  readonly window: number;
  readonly granted: number;
}

/** The shared counter: grants up to `wanted` tokens of the current second, waiting for one if needed. */
export interface SendRate {
  acquire(channel: MessageChannel, wanted: number): Promise<Grant>;
}

/** One invocation's tokens of one channel, refilled a chunk at a time. */
export class TokenPool {
  private tokens = 0;
  private window = -1;
  private refill: Promise<void> | undefined;

  constructor(
    private readonly rate: SendRate,
    private readonly channel: MessageChannel,
    /** How many to ask for at once: the sends still to make, at most `chunk`. */
    private readonly wanted: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Waits for a token of the current second; the second it is for. */
  async take(): Promise<number> {
    for (;;) {
      if (this.tokens > 0 && this.window === Math.floor(this.now() / 1000)) {
        this.tokens--;
        return this.window;
      }
      this.refill ??= this.fill().finally(() => {
        this.refill = undefined;
      });
      await this.refill;
    }
  }

  private async fill(): Promise<void> {
    const grant = await this.rate.acquire(this.channel, Math.max(1, this.wanted()));
    this.window = grant.window;
    this.tokens = grant.granted;
  }
}
