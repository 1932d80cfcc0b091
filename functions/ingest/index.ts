/** The ingest library: read any customer file as numbered records, map columns, clean values. */
export { cleanCountry, countryCodeOf } from './clean-country';
export {
  cleanDate,
  cleanDateTime,
  type DateFormat,
  type DateOrder,
  DateOrderDetector,
  dateOrderOfCountry,
  parseDateParts,
} from './clean-date';
export { BIG_EMAIL_DOMAINS, cleanEmail, suggestEmailDomain } from './clean-email';
export { type CleanNumber, cleanNumber, type DecimalSeparator } from './clean-number';
export { type CleanPhone, cleanPhone, PHONE_TYPES, type PhoneType } from './clean-phone';
export { type CleanProfile, cleanProfileRecord } from './clean-profile-record';
export { cleanText, isBlank, nfkc, squashName } from './clean-text';
export {
  type CleanTransaction,
  cleanTransactionRecord,
  type PurchaseProperties,
} from './clean-transaction-record';
export type { Cleaned } from './cleaned';
export {
  PROFILE_FIELDS,
  type ProfileField,
  profileColumnAliases,
  TRANSACTION_FIELDS,
  type TransactionField,
  transactionColumnAliases,
} from './column-aliases';
export { type Charset, guessCharset } from './detect-charset';
export { type Delimiter, detectDelimiter, detectFormat, type Format } from './detect-format';
export { isFormulaCell, safeCsvCell, toCsvField } from './formula-cell';
export type { IngestContext } from './ingest-context';
export { ingestRecords } from './ingest-records';
export {
  type IngestDetected,
  type IngestFile,
  IngestFileError,
  type IngestRecord,
  type OpenIngestOptions,
  openIngestFile,
} from './open-ingest-file';
export {
  type ColumnPlan,
  fieldForColumn,
  fieldsOfCells,
  type IngestKind,
  type MappedFields,
  planColumns,
  valuesMapper,
} from './plan-columns';
export { splitFullName } from './split-full-name';
