import { resourceEnv } from '../../lib/definition';
import { documentClient } from '../shared/aws-clients';
import { requiredEnv } from '../shared/settings';
import { DynamoDbAudienceReader } from './dynamodb-audience-reader';
import { DynamoDbSegmentStore } from './dynamodb-segment-store';
import { SegmentService } from './segment-service';

/** The saved segments, in the campaigns table (import-profiles saves the static lists there too). */
export const segmentStoreFromEnv = () =>
  new DynamoDbSegmentStore(documentClient(), requiredEnv(resourceEnv.table('campaigns')));

export const segmentServiceFromEnv = () => new SegmentService({ store: segmentStoreFromEnv() });

/** The profiles a preview reads (the preview functions alone are granted the profiles table). */
export const audienceReaderFromEnv = () =>
  new DynamoDbAudienceReader(documentClient(), requiredEnv(resourceEnv.table('profiles')));
