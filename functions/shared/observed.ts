import type { Context } from 'aws-lambda';
import { logger } from './logger';
import { metrics } from './metrics';

/**
 * What every non-HTTP handler gets (the HTTP ones get the same through middy): the Lambda context
 * on every log line (request id, function, cold start), a cold-start metric, and the metrics it
 * recorded flushed at the end of each invocation, failed or not.
 */
export const observed =
  <E, R>(handler: (event: E, context: Context) => Promise<R>) =>
  async (event: E, context: Context): Promise<R> => {
    logger.addContext(context);
    metrics.captureColdStartMetric();
    try {
      return await handler(event, context);
    } finally {
      // Only when there is something: an empty flush makes Powertools warn on every invocation.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
