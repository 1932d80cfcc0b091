/**
 * An event as the events table holds it: one item per event in its profile's partition, under
 * `eventKey = EVENT#<eventId>`. Writing it with `attribute_not_exists(eventKey)` is what makes an
 * eventId count once per profile (see README "Events").
 */
export interface StoredEvent {
  readonly profileId: string;
  readonly eventKey: string;
  readonly eventId: string;
  readonly type: string;
  /** The time as the sender wrote it. */
  readonly timestamp: string;
  /** The same instant in UTC (ISO 8601, `Z`): what ordering and UTC days are read from. */
  readonly at: string;
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly receivedAt: string;
  /** `api`, or the import source's name. */
  readonly source: string;
  /** Purchases and refunds: the rate to the base currency in force when the event was recorded. */
  readonly fx?: { readonly base: string; readonly rate: number };
  /**
   * Imported events without an id of their own: the file rows (`<fileKey>:<row>`) that stand for
   * this event, so a re-applied chunk or a transaction re-sent in a later file counts once.
   */
  readonly rows?: readonly string[];
}

export const EVENT_KEY_PREFIX = 'EVENT#';
export const eventKeyOf = (eventId: string): string => `${EVENT_KEY_PREFIX}${eventId}`;

/** Types whose events make up the purchase aggregates. */
export const MONEY_TYPES: readonly string[] = ['purchase', 'refund'];

/** The UTC instant of an ISO 8601 date-time with an offset, at millisecond precision. */
export const utcInstant = (timestamp: string): string => new Date(Date.parse(timestamp)).toISOString();
