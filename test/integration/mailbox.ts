import { endpoints } from './support';

/** What the tests read back from the local SES store and the local SMS endpoint. */
export interface StoredEmail {
  messageId: string;
  destination: { to: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
}
export interface SentSms {
  phoneNumber: string;
  message: string;
  messageAttributes: Record<string, { StringValue?: string }>;
}

/** Every email in the SES store to this address. */
export const emailsTo = async (address: string): Promise<StoredEmail[]> => {
  const store = (await (await fetch(`${endpoints().sesUrl}/store`)).json()) as { emails: StoredEmail[] };
  return store.emails.filter((e) => e.destination.to.includes(address));
};

/** Every SMS the local endpoint took for this number. */
export const textsTo = async (phone: string): Promise<SentSms[]> =>
  ((await (await fetch(`${endpoints().smsUrl}/messages`)).json()) as SentSms[]).filter(
    (m) => m.phoneNumber === phone,
  );

export const header = (email: StoredEmail, name: string) =>
  email.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
