/** The CloudWatch namespace of every application metric. */
export const METRICS_NAMESPACE = 'Rekindle';

/** The figures an operator watches; the dashboard (lib/constructs/operations-dashboard.ts)
 * graphs these names, with the functions that record them. */
export const METRIC = {
  rowsImported: 'RowsImported',
  rowsRejected: 'RowsRejected',
  importsFailed: 'ImportsFailed',
  eventsAccepted: 'EventsAccepted',
  eventsDuplicate: 'EventsDuplicate',
  messagesSent: 'MessagesSent',
  messagesFailed: 'MessagesFailed',
  messagesThrottled: 'MessagesThrottled',
  scoringRunDuration: 'ScoringRunDuration',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];
