import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * The one tracer: X-Ray subsegments for every AWS SDK call (aws-clients.ts). Powertools turns it
 * off by itself outside Lambda (tests, benches) and the Lambda runtime's X-Ray daemon receives the
 * segments in AWS; locally there is no daemon and the segments go nowhere.
 */
export const tracer = new Tracer({ serviceName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'rekindle' });
