import type { CleanContext } from '../imports/row-processor';
import type { IngestDetected } from './open-ingest-file';

/**
 * What the record cleaners read: the pipeline's `CleanContext` (its `defaultCountry` is already the
 * manifest's, else the setting), plus optionally the `baseCurrency` setting and what was detected
 * about the file. Pass `{ ...context, baseCurrency, detected: file.detected }`.
 */
export interface IngestContext extends CleanContext {
  /** Currency of amounts when neither the row, the amount's sign nor the manifest gives one. */
  readonly baseCurrency?: string;
  readonly detected?: Pick<IngestDetected, 'dateOrder' | 'decimalSeparatorHint'>;
}
