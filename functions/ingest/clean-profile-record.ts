import type { CleanResult } from '../imports/row-processor';
import { type ProfileFields, profileFieldsSchema } from '../profiles/profile';
import { isTimeZone } from '../shared/zoned-time';
import { cleanCountry } from './clean-country';
import { cleanDate, cleanDateTime } from './clean-date';
import { cleanEmail } from './clean-email';
import { cleanPhone, type PhoneType } from './clean-phone';
import type { IngestContext } from './ingest-context';
import {
  cleanConsent,
  cleanGender,
  cleanPlainText,
  countryOf,
  dateOptionsOf,
  RecordIssues,
  textOf,
  withAttribute,
} from './record-cleaning';
import { splitFullName } from './split-full-name';

export interface CleanProfile {
  /** Valid `ProfileFields` (the API's schema): hand them to the profile service as they are. */
  readonly fields: ProfileFields;
  /** Line type of `fields.phone`, from the full phone metadata. */
  readonly phoneType?: PhoneType;
}

const TAG_SEPARATORS = /\s*[;|,，、]\s*/;
const LOCALE_UNDERSCORE = /_/g;

/**
 * One mapped record (field -> cell text, see `planColumns`) as profile fields, or why not.
 * Every value is cleaned (NFKC, white space, formats) and the result is validated with the API's
 * `profileFieldsSchema`. A row needs an identifier: email, phone or externalId. A full name fills
 * first and last name unless those columns are given (see `splitFullName`). Consent: a channel's
 * column, else a general marketing-consent column, else the manifest's list consent (internal sources
 * only), with the import's source and time.
 * Empty cells and placeholders (`N/A`, `-`) say nothing. Any bad value rejects the row, naming the
 * field; kept-but-doubtful values (email domain typos, ambiguous dates, formulas) are warnings.
 */
export const cleanProfileRecord = (
  fields: Readonly<Record<string, string>>,
  context: IngestContext,
): CleanResult<CleanProfile> => {
  const issues = new RecordIssues();
  const out: Record<string, unknown> = {};
  let attributes: Record<string, string> | undefined;
  let tags: string[] | undefined;
  let fullName: string | undefined;
  let phoneType: PhoneType | undefined;
  const consent: { email?: string; sms?: string; marketing?: string } = {};
  for (const key in fields) {
    const text = textOf(fields[key]);
    if (text === undefined) continue;
    switch (key) {
      case 'externalId':
      case 'firstName':
      case 'lastName':
      case 'city':
        out[key] = issues.take(cleanPlainText(text, key, key === 'externalId' ? 128 : 100));
        break;
      case 'postalCode':
        out[key] = issues.take(cleanPlainText(text.toUpperCase(), key, 20));
        break;
      case 'fullName':
        fullName = issues.take(cleanPlainText(text, key, 200));
        break;
      case 'email':
        out.email = issues.take(cleanEmail(text));
        break;
      case 'phone': {
        const phone = issues.take(cleanPhone(text, countryOf(context)));
        if (phone) {
          out.phone = phone.e164;
          phoneType = phone.type;
        }
        break;
      }
      case 'birthDate': {
        const date = issues.take(cleanDate(text, key, dateOptionsOf(context)));
        if (date && date > context.now.slice(0, 10))
          issues.reasons.push(`birthDate: ${date} is in the future`);
        else if (date && date < '1900-01-01') issues.reasons.push(`birthDate: ${date} is before 1900`);
        else out.birthDate = date;
        break;
      }
      case 'gender':
        out.gender = issues.take(cleanGender(text));
        break;
      case 'locale':
        out.locale = text.replace(LOCALE_UNDERSCORE, '-');
        break;
      case 'timeZone':
        if (isTimeZone(text)) out.timeZone = text;
        else issues.reasons.push('timeZone: must be an IANA time zone such as Europe/London');
        break;
      case 'country':
        out.country = issues.take(cleanCountry(text));
        break;
      case 'tags':
        tags = [...new Set(text.split(TAG_SEPARATORS).filter((t) => t !== ''))];
        break;
      case 'lastPurchaseAt':
      case 'lastActivityAt':
        out[key] = issues.take(
          cleanDateTime(text, key, { ...dateOptionsOf(context), timeZone: context.manifest.timeZone }),
        );
        break;
      case 'emailConsent':
      case 'smsConsent':
      case 'marketingConsent': {
        const status = issues.take(cleanConsent(text, key));
        if (status)
          consent[key === 'emailConsent' ? 'email' : key === 'smsConsent' ? 'sms' : 'marketing'] = status;
        break;
      }
      default:
        attributes = withAttribute(issues, attributes, key, text);
    }
  }
  if (fullName !== undefined && out.firstName === undefined && out.lastName === undefined) {
    const split = splitFullName(fullName);
    if (split.firstName) out.firstName = split.firstName;
    if (split.lastName) out.lastName = split.lastName;
  }
  if (tags && tags.length > 0) out.tags = tags;
  if (attributes) out.attributes = attributes;
  const listConsent = context.source.kind === 'internal' ? context.manifest.consent : undefined;
  const email = consent.email ?? consent.marketing ?? listConsent?.email;
  const sms = consent.sms ?? consent.marketing ?? listConsent?.sms;
  if (email || sms) {
    const stamp = { source: context.source.name, timestamp: context.now };
    out.consent = {
      ...(email ? { email: { status: email, ...stamp } } : {}),
      ...(sms ? { sms: { status: sms, ...stamp } } : {}),
    };
  }
  for (const key in out) if (out[key] === undefined) delete out[key];
  if (out.email === undefined && out.phone === undefined && out.externalId === undefined) {
    const tried = fields.email !== undefined || fields.phone !== undefined || fields.externalId !== undefined;
    if (!tried || issues.reasons.length === 0) {
      issues.reasons.push('no identifier: give an email, a phone or a customer id (externalId)');
    }
  }
  if (issues.reasons.length > 0) return { reasons: issues.reasons, warnings: issues.warnings };
  const parsed = profileFieldsSchema.safeParse(out);
  if (!parsed.success) {
    return {
      reasons: parsed.error.issues.map((i) => `${i.path.map(String).join('.') || 'record'}: ${i.message}`),
      warnings: issues.warnings,
    };
  }
  const value: CleanProfile = phoneType ? { fields: parsed.data, phoneType } : { fields: parsed.data };
  return { value, warnings: issues.warnings };
};
