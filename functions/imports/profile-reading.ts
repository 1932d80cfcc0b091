import { cleanProfileRecord } from '../ingest/clean-profile-record';
import { ingestReading } from './ingest-reading';
import type { ProfileCleaner } from './profile-row-processor';
import type { FileReading } from './record-source';

/** How profile files are read and cleaned: the one place that picks the reader and the cleaner. */
export const profileReading: FileReading = ingestReading;

export const profileCleaner: ProfileCleaner = (fields, context) => {
  const cleaned = cleanProfileRecord(fields, context);
  return 'reasons' in cleaned ? cleaned : { value: cleaned.value.fields, warnings: cleaned.warnings };
};
