import { basicProfileCleaner } from './basic-profile-cleaner';
import type { ProfileCleaner } from './profile-row-processor';
import { basicCsvReading, type FileReading } from './record-source';

/** How profile files are read and cleaned: the one place that picks the reader and the cleaner. */
export const profileReading: FileReading = basicCsvReading;
export const profileCleaner: ProfileCleaner = basicProfileCleaner;
