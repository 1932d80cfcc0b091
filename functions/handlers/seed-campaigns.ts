import type { Context } from 'aws-lambda';
import { resourceEnv } from '../../lib/definition';
import { campaignServiceFromEnv, winBackSettingsFromEnv } from '../campaigns/campaigns-from-env';
import { DynamoDbSeedMarkers } from '../campaigns/dynamodb-seed-markers';
import { SEED_STATUSES, type SeedStatus, seedWinBack } from '../campaigns/seed-win-back';
import { segmentServiceFromEnv } from '../segments/segments-from-env';
import { documentClient } from '../shared/aws-clients';
import {
  type CustomResourceAnswer,
  type CustomResourceRequest,
  customResourceRequestSchema,
  sendCustomResourceResponse,
} from '../shared/custom-resource';
import { logger } from '../shared/logger';
import { observed } from '../shared/observed';
import { requiredEnv, setting } from '../shared/settings';
import { templateServiceFromEnv } from '../templates/templates-from-env';

const status = setting('winBackOnFirstDeployment') as SeedStatus;

const seed = async (): Promise<Record<string, string>> => {
  if (!SEED_STATUSES.includes(status))
    throw new Error(`WIN_BACK_ON_FIRST_DEPLOYMENT is ${status}: use ${SEED_STATUSES.join(', ')}`);
  const result = await seedWinBack({
    segments: segmentServiceFromEnv(),
    templates: templateServiceFromEnv(),
    campaigns: campaignServiceFromEnv(),
    markers: new DynamoDbSeedMarkers(documentClient(), requiredEnv(resourceEnv.table('campaigns'))),
    settings: winBackSettingsFromEnv(),
    status,
  });
  logger.info('win-back seed', { outcome: result.outcome });
  if (result.outcome === 'created') return { winBackCampaignId: result.campaign.campaignId };
  if (result.outcome === 'already-seeded')
    return result.marker.campaignId ? { winBackCampaignId: result.marker.campaignId } : {};
  return {};
};

const answerTo = async (request: CustomResourceRequest): Promise<CustomResourceAnswer> => {
  // One physical resource for the stack's life: an update never replaces it (which would send a Delete).
  const physicalResourceId = request.PhysicalResourceId ?? `${request.StackId}/${request.LogicalResourceId}`;
  // Deleting the stack or rolling it back leaves the campaigns: they are data, kept with the tables.
  if (request.RequestType === 'Delete') return { status: 'SUCCESS', physicalResourceId };
  try {
    return { status: 'SUCCESS', physicalResourceId, data: await seed() };
  } catch (error) {
    logger.error('win-back seed failed', { error });
    return { status: 'FAILED', physicalResourceId, reason: `The win-back seed failed: ${String(error)}` };
  }
};

/**
 * The deployment hook (a CloudFormation custom resource, and each local start): creates the
 * win-back campaign from the settings once, then answers CloudFormation. It always answers,
 * success or failure, so a deployment never hangs on it.
 */
export const handler = observed(async (event: unknown, _context: Context): Promise<void> => {
  const request = customResourceRequestSchema.parse(event);
  await sendCustomResourceResponse(request, await answerTo(request));
});
