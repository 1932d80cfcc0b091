import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchWriteAll } from '../functions/shared/batch-write-all';
import type { LocalEndpoints } from '../local/local-stack';
import { type LoadResult, runLoad } from './load';

export interface EventsBenchResult {
  requests: number;
  eventsPerRequest: number;
  api: LoadResult & { eventsPerSecond: number };
  direct: LoadResult & { eventsPerSecond: number };
  ratio: number;
}

/**
 * `POST /events` with batches of purchase events for existing customers, at concurrency 32, against
 * direct BatchWriteItem calls writing the same number of event items to the same DynamoDB Local.
 */
export const benchEvents = async (
  endpoints: LocalEndpoints,
  requests: number,
  eventsPerRequest = 10,
  concurrency = 32,
): Promise<EventsBenchResult> => {
  const ddb = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: endpoints.dynamodbEndpoint,
      region: endpoints.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const tag = Date.now().toString(36);
  const customers = 500;
  const post = async (events: unknown[]) => {
    const res = await fetch(`${endpoints.apiUrl}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${endpoints.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    const body = (await res.json()) as { rejected?: number };
    return res.status === 200 && body.rejected === 0;
  };
  const purchase = (i: number, customer: number) => ({
    eventId: `bench-${tag}-${i}`,
    profile: { externalId: `bench-${tag}-c${customer}` },
    type: 'purchase',
    timestamp: new Date(Date.now() - (i % 1000) * 60_000).toISOString(),
    properties: {
      orderId: `o-${tag}-${i}`,
      amount: 10 + (i % 90),
      currency: 'USD',
      items: [
        {
          sku: `sku-${i % 40}`,
          category: ['music', 'books', 'film'][i % 3],
          quantity: 1,
          price: 10 + (i % 90),
        },
      ],
    },
  });
  // The customers exist before the measurement (their first event creates them).
  await runLoad(customers / 10, 8, async (r) =>
    post(Array.from({ length: 10 }, (_, j) => purchase(-(r * 10 + j) - 1, r * 10 + j))),
  );

  const api = await runLoad(requests, concurrency, async (r) =>
    post(
      Array.from({ length: eventsPerRequest }, (_, j) =>
        purchase(r * eventsPerRequest + j, (r * 7 + j) % customers),
      ),
    ),
  );
  const direct = await runLoad(requests, concurrency, async (r) => {
    await batchWriteAll(
      ddb,
      endpoints.tables.events,
      Array.from({ length: eventsPerRequest }, (_, j) => {
        const e = purchase(r * eventsPerRequest + j, (r * 7 + j) % customers);
        return {
          PutRequest: {
            Item: {
              profileId: `direct-${tag}-${(r * 7 + j) % customers}`,
              eventKey: `EVENT#${e.eventId}`,
              ...e,
            },
          },
        };
      }),
    );
    return true;
  });
  const withEvents = (r: LoadResult) => ({ ...r, eventsPerSecond: r.perSecond * eventsPerRequest });
  return {
    requests,
    eventsPerRequest,
    api: withEvents(api),
    direct: withEvents(direct),
    ratio: api.perSecond / direct.perSecond,
  };
};
