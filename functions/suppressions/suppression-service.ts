import { normalizeEmail, normalizePhone } from '../profiles/normalize-contact';
import { NotFoundError, ValidationError } from '../shared/domain-errors';
import type { Suppression, SuppressionChannel, SuppressionInput } from './suppression';
import type { SuppressionStore } from './suppression-store';

const emailOf = (raw: string, path = 'email') => {
  const address = normalizeEmail(raw);
  if (!address) throw new ValidationError([{ path, message: 'is not an email address' }]);
  return { channel: 'email' as const, address };
};
const phoneOf = (raw: string, defaultCountry: string, path = 'phone', message = 'is not a phone number') => {
  const address = normalizePhone(raw, defaultCountry);
  if (!address) throw new ValidationError([{ path, message }]);
  return { channel: 'sms' as const, address };
};

/** An address as a client writes it: an email (has `@`) or a phone number, normalised. */
export const parseAddress = (
  raw: string,
  defaultCountry: string,
  path = 'address',
): { channel: SuppressionChannel; address: string } =>
  raw.includes('@')
    ? emailOf(raw, path)
    : phoneOf(raw, defaultCountry, path, 'is neither an email address nor a phone number');

/** The suppression list through the API: add (idempotent), look up, list, remove. */
export class SuppressionService {
  constructor(
    private readonly deps: {
      readonly store: SuppressionStore;
      readonly defaultCountry: string;
      readonly now?: () => Date;
    },
  ) {}

  /** Adds it; `created` is false when the address was suppressed already (the first entry stays). */
  async add(
    input: SuppressionInput,
    source: string,
  ): Promise<{ suppression: Suppression; created: boolean }> {
    const { channel, address } =
      input.email !== undefined ? emailOf(input.email) : phoneOf(input.phone ?? '', this.deps.defaultCountry);
    const wanted: Suppression = {
      channel,
      address,
      reason: input.reason,
      source,
      ...(input.note ? { note: input.note } : {}),
      createdAt: (this.deps.now ?? (() => new Date()))().toISOString(),
    };
    const stored = await this.deps.store.add(wanted);
    return { suppression: stored, created: stored === wanted };
  }

  async get(raw: string): Promise<Suppression | undefined> {
    const { channel, address } = parseAddress(raw, this.deps.defaultCountry, 'query');
    return this.deps.store.get(channel, address);
  }

  async remove(raw: string): Promise<void> {
    const { channel, address } = parseAddress(raw, this.deps.defaultCountry, 'path.address');
    if (!(await this.deps.store.remove(channel, address)))
      throw new NotFoundError(`${address} is not suppressed.`);
  }

  list(limit: number, cursor?: string) {
    return this.deps.store.list(limit, cursor);
  }
}
