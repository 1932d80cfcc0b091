import { z } from 'zod';

/**
 * What `POST /events` takes. The envelope is validated as a whole (at most 100 events); each event
 * is then validated on its own, so one bad event is reported while the rest are accepted.
 */

const timestamp = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone' });
const money = z
  .number()
  .finite()
  .refine((n) => Math.abs(n) < 1e12, 'is out of range');

/** Who the event is about: exactly one reference. */
export const profileRefSchema = z
  .strictObject({
    profileId: z.string().min(1).max(128).optional(),
    externalId: z.string().min(1).max(128).optional(),
    email: z.string().min(3).max(254).optional(),
    phone: z.string().min(3).max(32).optional(),
  })
  .refine((r) => Object.values(r).filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of profileId, externalId, email or phone',
  });
export type ProfileRef = z.infer<typeof profileRefSchema>;

export const purchaseItemSchema = z.strictObject({
  sku: z.string().min(1).max(128),
  category: z.string().min(1).max(128).optional(),
  quantity: z.number().int().positive().max(1_000_000),
  price: money.refine((n) => n >= 0, 'must not be negative'),
});

/** `purchase` and `refund`: an order with an amount in a currency; items are optional for refunds. */
export const purchasePropertiesSchema = z.strictObject({
  orderId: z.string().min(1).max(128),
  amount: money.refine((n) => n >= 0, 'must not be negative'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
  items: z.array(purchaseItemSchema).max(500).optional(),
  channel: z.string().max(64).optional(),
});

export const serviceProperties = z
  .object({ kind: z.enum(['complaint', 'repair', 'enquiry']) })
  .catchall(z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]));

const customProperties = z.record(
  z.string().max(64),
  z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]),
);

export const EVENT_TYPES = ['purchase', 'refund', 'visit', 'signup', 'service'] as const;

export const eventInputSchema = z.strictObject({
  eventId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 of A-Z a-z 0-9 . _ : -'),
  profile: profileRefSchema,
  type: z
    .string()
    .regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'must be lower-case, e.g. purchase, visit or a custom type'),
  timestamp,
  properties: z.record(z.string(), z.unknown()).optional(),
});
export type EventInput = z.infer<typeof eventInputSchema>;

/** Properties a type requires: purchases and refunds an order, service events their kind. */
export const propertiesSchemaFor = (type: string): z.ZodType =>
  type === 'purchase' || type === 'refund'
    ? purchasePropertiesSchema
    : type === 'service'
      ? serviceProperties
      : customProperties;

export const eventBatchSchema = z
  .strictObject({
    events: z
      .array(z.unknown())
      .min(1, 'send at least one event')
      .max(100, 'send at most 100 events per request'),
  })
  .meta({
    id: 'EventBatch',
    description:
      'Up to 100 events; each is validated on its own (see EventInput). Purchase and refund properties: orderId, amount, currency, items[{sku, category, quantity, price}].',
  });

export const eventResultSchema = z
  .object({
    results: z.array(
      z.object({
        index: z.number(),
        eventId: z.string().optional(),
        status: z.enum(['accepted', 'duplicate', 'rejected']),
        profileId: z.string().optional(),
        errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      }),
    ),
    accepted: z.number(),
    duplicates: z.number(),
    rejected: z.number(),
  })
  .meta({ id: 'EventBatchResult' });
