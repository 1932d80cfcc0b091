export interface OutgoingSms {
  /** E.164 */
  readonly phoneNumber: string;
  readonly message: string;
  readonly type: 'Promotional' | 'Transactional';
}

/**
 * Sends SMS and knows who opted out (by replying STOP). Behind an interface so that AWS End User
 * Messaging SMS can replace SNS without touching the campaigns.
 */
export interface SmsSender {
  send(sms: OutgoingSms): Promise<{ messageId: string }>;
  /** Every number that opted out. */
  optedOutNumbers(): Promise<Set<string>>;
}
