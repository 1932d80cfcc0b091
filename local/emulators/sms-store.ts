import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface SmsMessageAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: string;
}

export interface SentSms {
  readonly messageId: string;
  readonly phoneNumber: string;
  readonly message: string;
  readonly messageAttributes: Readonly<Record<string, SmsMessageAttribute>>;
  /** `AWS.SNS.SMS.SMSType`, when given. */
  readonly smsType?: string;
  /** `AWS.SNS.SMS.SenderID`, when given. */
  readonly senderId?: string;
  /** `delivered`, or `opted-out` when the number had opted out (SNS accepts the publish and drops it). */
  readonly status: 'delivered' | 'opted-out';
  readonly encoding: 'GSM-7' | 'UCS-2';
  readonly parts: number;
  /** ISO time of the publish. */
  readonly at: string;
}

interface SmsState {
  messages: SentSms[];
  optedOut: string[];
}

/** Texts sent and opted-out numbers, in memory, written to `file` on every change when given. */
export class SmsStore {
  readonly #file: string | undefined;
  #state: SmsState = { messages: [], optedOut: [] };

  constructor(file?: string) {
    this.#file = file;
    if (file !== undefined) {
      try {
        this.#state = JSON.parse(readFileSync(file, 'utf8')) as SmsState;
      } catch {
        // first start
      }
    }
  }

  messages(): readonly SentSms[] {
    return this.#state.messages;
  }

  record(message: SentSms): void {
    this.#state.messages.push(message);
    this.#save();
  }

  clear(): void {
    this.#state.messages = [];
    this.#save();
  }

  isOptedOut(phoneNumber: string): boolean {
    return this.#state.optedOut.includes(phoneNumber);
  }

  optedOut(): readonly string[] {
    return this.#state.optedOut;
  }

  optOut(phoneNumber: string): void {
    if (!this.isOptedOut(phoneNumber)) this.#state.optedOut.push(phoneNumber);
    this.#save();
  }

  optIn(phoneNumber: string): void {
    this.#state.optedOut = this.#state.optedOut.filter((n) => n !== phoneNumber);
    this.#save();
  }

  #save(): void {
    if (this.#file === undefined) return;
    mkdirSync(dirname(this.#file), { recursive: true });
    writeFileSync(this.#file, JSON.stringify(this.#state, null, 2));
  }
}
