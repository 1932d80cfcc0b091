import type { ImportRecord } from '../imports/import-record';
import type { Profile } from '../profiles/profile';

export interface Share {
  readonly count: number;
  /** count / profiles, 0..1, 4 decimals */
  readonly share: number;
}

export interface QualityReport {
  readonly generatedAt: string;
  readonly profiles: number;
  readonly bySource: Record<string, number>;
  readonly byProvenance: Record<string, number>;
  readonly contactability: { validEmail: Share; validMobile: Share; both: Share; neither: Share };
  readonly consent: { email: Share; sms: Share };
  readonly stale: Share & { months: number };
  readonly duplicatesMerged: number;
  readonly conflictsOpen: number;
  readonly rejectedByReason: Record<string, number>;
  readonly importsConsidered: number;
}

const MONTH = 30.4375 * 24 * 3600 * 1000;

/** The profile attributes the report reads (all that a scan for it needs to return). */
export const QUALITY_ATTRIBUTES = [
  'provenance',
  'email',
  'phone',
  'phoneType',
  'consent',
  'updatedAt',
  'lastActivityAt',
  'lastPurchaseAt',
] as const satisfies readonly (keyof Profile)[];

export type QualityFields = Pick<Profile, (typeof QUALITY_ATTRIBUTES)[number]>;

/**
 * The data quality report, built in one pass over the profiles (`add`) and the recent imports.
 * Stored emails and phones are valid by construction (the API and the importer refuse invalid
 * ones), so "valid email" is "has an email", and "valid mobile" is a phone of mobile line type.
 */
export class QualityAccumulator {
  private profiles = 0;
  private readonly bySource: Record<string, number> = {};
  private readonly byProvenance: Record<string, number> = {};
  private email = 0;
  private mobile = 0;
  private both = 0;
  private neither = 0;
  private emailConsent = 0;
  private smsConsent = 0;
  private stale = 0;

  constructor(
    private readonly now: Date,
    private readonly staleMonths: number,
  ) {}

  add(profile: QualityFields): void {
    this.profiles++;
    const source = profile.provenance?.source ?? 'unknown';
    this.bySource[source] = (this.bySource[source] ?? 0) + 1;
    const kind = profile.provenance?.kind ?? 'unknown';
    this.byProvenance[kind] = (this.byProvenance[kind] ?? 0) + 1;
    const hasEmail = Boolean(profile.email);
    const hasMobile = Boolean(profile.phone) && profile.phoneType === 'mobile';
    if (hasEmail) this.email++;
    if (hasMobile) this.mobile++;
    if (hasEmail && hasMobile) this.both++;
    if (!hasEmail && !hasMobile) this.neither++;
    if (profile.consent?.email?.status === 'granted') this.emailConsent++;
    if (profile.consent?.sms?.status === 'granted') this.smsConsent++;
    const latest = Math.max(
      ...[profile.updatedAt, profile.lastActivityAt, profile.lastPurchaseAt]
        .filter((t): t is string => Boolean(t))
        .map((t) => Date.parse(t)),
    );
    if (latest < this.now.getTime() - this.staleMonths * MONTH) this.stale++;
  }

  report(imports: readonly ImportRecord[]): QualityReport {
    const share = (count: number): Share => ({
      count,
      share: this.profiles === 0 ? 0 : Math.round((count / this.profiles) * 10_000) / 10_000,
    });
    const rejectedByReason: Record<string, number> = {};
    let duplicatesMerged = 0;
    let conflictsOpen = 0;
    for (const imp of imports) {
      duplicatesMerged += imp.counts.merged ?? 0;
      for (const [reason, n] of Object.entries(imp.rejectedByReason ?? {})) {
        rejectedByReason[reason] = (rejectedByReason[reason] ?? 0) + n;
        if (reason === 'conflict') conflictsOpen += n;
      }
    }
    return {
      generatedAt: this.now.toISOString(),
      profiles: this.profiles,
      bySource: this.bySource,
      byProvenance: this.byProvenance,
      contactability: {
        validEmail: share(this.email),
        validMobile: share(this.mobile),
        both: share(this.both),
        neither: share(this.neither),
      },
      consent: { email: share(this.emailConsent), sms: share(this.smsConsent) },
      stale: { ...share(this.stale), months: this.staleMonths },
      duplicatesMerged,
      conflictsOpen,
      rejectedByReason,
      importsConsidered: imports.length,
    };
  }
}
