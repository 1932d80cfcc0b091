import { profileCleaner, profileReading } from '../imports/profile-reading';
import { ProfileRowProcessor } from '../imports/profile-row-processor';
import { profileStoreFromEnv } from '../profiles/profile-service-from-env';
import { importQueueHandler } from '../sqs/import-queue-handler';

/** S3 -> SQS -> here: profile files under imports/profiles/ (and continuations of long imports). */
export const handler = importQueueHandler({
  kind: 'profiles',
  queue: 'profileImports',
  processor: new ProfileRowProcessor(profileStoreFromEnv(), profileCleaner),
  reading: profileReading,
});
