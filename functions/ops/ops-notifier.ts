/** Notices for the people who run Rekindle (the ops SNS topic). Never personal data. */
export interface OpsNotifier {
  notify(subject: string, detail: Record<string, unknown>): Promise<void>;
}
