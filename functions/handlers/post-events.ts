import { eventDepsFromEnv } from '../events/event-deps-from-env';
import { eventBatchSchema } from '../events/event-input';
import { recordEvents } from '../events/record-events';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { logger } from '../shared/logger';
import { METRIC, MetricUnit, metrics } from '../shared/metrics';

const deps = eventDepsFromEnv();

export const handler = httpHandler(
  'post-events',
  { body: eventBatchSchema, unstorableNumbers: 'perItem' },
  async (req) => {
    const result = await recordEvents(deps, req.body.events);
    logger.info('events recorded', {
      accepted: result.accepted,
      duplicates: result.duplicates,
      rejected: result.rejected,
      keyId: req.auth?.keyId,
    });
    metrics.addMetric(METRIC.eventsAccepted, MetricUnit.Count, result.accepted);
    metrics.addMetric(METRIC.eventsDuplicate, MetricUnit.Count, result.duplicates);
    return jsonResponse(200, result);
  },
);
