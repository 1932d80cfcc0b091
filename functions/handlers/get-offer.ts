import { resourceEnv } from '../../lib/definition';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { checkOffer } from '../offers/check-offer';
import { DynamoDbOfferStore } from '../offers/dynamodb-offer-store';
import { documentClient } from '../shared/aws-clients';
import { requiredEnv } from '../shared/settings';

const offers = new DynamoDbOfferStore(documentClient(), requiredEnv(resourceEnv.table('jobs')));

/** GET /offers/{code}: 200 `{valid: true, expiresAt}` or `{valid: false, reason}` (never who has it). */
export const handler = httpHandler('get-offer', {}, async (req) =>
  jsonResponse(200, await checkOffer(offers, decodeURIComponent(req.pathParameters.code ?? ''))),
);
