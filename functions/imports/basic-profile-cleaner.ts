import { recordToProfileFields } from './profile-columns';
import type { ProfileCleaner } from './profile-row-processor';

/** Cleans a profile record with the basic column rules (UTF-8 CSV with field-named headers). */
export const basicProfileCleaner: ProfileCleaner = (fields, context) => {
  const mapped = recordToProfileFields(fields, { now: context.now, source: context.source.name });
  if ('errors' in mapped) return { reasons: mapped.errors.map((e) => `${e.path}: ${e.message}`) };
  return { value: mapped.fields, warnings: [] };
};
