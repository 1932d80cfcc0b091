/** An offer code as issued to one recipient of one run (what `GET /offers/{code}` answers from). */
export interface IssuedOffer {
  readonly code: string;
  readonly expiresAt: string;
  readonly campaignId: string;
  readonly runId: string;
  readonly profileId: string;
  readonly issuedAt: string;
}
