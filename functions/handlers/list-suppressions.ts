import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import {
  decodeSuppressionCursor,
  encodeSuppressionCursor,
  listSuppressionsQuerySchema,
} from '../suppressions/list-suppressions-query';
import { suppressionServiceFromEnv } from '../suppressions/suppressions-from-env';

const suppressions = suppressionServiceFromEnv();

/** GET /suppressions: a page of suppressed addresses, or the look-up of one (0 or 1 items). */
export const handler = httpHandler(
  'list-suppressions',
  { query: listSuppressionsQuerySchema },
  async (req) => {
    const { email, phone, limit, cursor } = req.query;
    if (email !== undefined || phone !== undefined) {
      const found = await suppressions.get((email ?? phone)!);
      return jsonResponse(200, { items: found ? [found] : [] });
    }
    const page = await suppressions.list(limit, cursor ? decodeSuppressionCursor(cursor) : undefined);
    return jsonResponse(200, {
      items: page.items,
      ...(page.cursor ? { cursor: encodeSuppressionCursor(page.cursor) } : {}),
    });
  },
);
