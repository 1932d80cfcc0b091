import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE } from './metric-names';

/**
 * The one metrics recorder: CloudWatch embedded metric format, written to the function's log and
 * turned into metrics by CloudWatch Logs (no API call, nothing to grant). Namespace `Rekindle`,
 * dimension `service` (the function). Locally the same lines land in `.local/logs/<function>.log`.
 */
export const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'rekindle',
});

export { METRIC } from './metric-names';
export { MetricUnit };
