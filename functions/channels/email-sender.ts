export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Tags echoed on delivery, open, click, bounce and complaint events (name -> value). */
  readonly tags: Readonly<Record<string, string>>;
}

/** Sends one email to one recipient. @throws RetryableSendError | UncertainSendError | PermanentSendError */
export interface EmailSender {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}
