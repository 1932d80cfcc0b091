import { profileCleaner, profileReading } from '../imports/profile-reading';
import { ProfileRowProcessor } from '../imports/profile-row-processor';
import { profileStoreFromEnv } from '../profiles/profile-service-from-env';
import { segmentStoreFromEnv } from '../segments/segments-from-env';
import { importQueueHandler } from '../sqs/import-queue-handler';

/**
 * S3 -> SQS -> here: profile files under imports/profiles/ (and continuations of long imports); a
 * manifest's `segment` is saved as a static list among the segments.
 */
export const handler = importQueueHandler({
  kind: 'profiles',
  queue: 'profileImports',
  processor: new ProfileRowProcessor(profileStoreFromEnv(), profileCleaner, {
    store: segmentStoreFromEnv(),
  }),
  reading: profileReading,
});
