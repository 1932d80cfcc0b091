import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one structured logger. Never pass it a profile, an email address or a phone number: log ids
 * and counts only (the before-stop review greps for it, and tests read the logs of a real run).
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'rekindle' });
