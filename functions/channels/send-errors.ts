/** The provider refused for now (throttled, over quota): try again later, never counted as sent. */
export class RetryableSendError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'RetryableSendError';
  }
}

/** The provider refused this message for good (invalid address, rejected content). */
export class PermanentSendError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'PermanentSendError';
  }
}

/**
 * No answer, or the provider failed on its side (a timeout, a 5xx, a dropped connection): the
 * message may have gone out. Retrying could send it twice; a campaign records it as in doubt.
 */
export class UncertainSendError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'UncertainSendError';
  }
}

/** The provider refused before doing anything: throttled or over a limit (SES answers 429). */
const THROTTLED = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'KMSThrottlingException',
]);

const UNCERTAIN = new Set([
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalServerError',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

/**
 * Sorts a provider error by what it says about the message: throttled (not sent, retry later),
 * uncertain (it may have been sent: no answer, or a failure on the provider's side) or permanent
 * (refused for good). An error with no HTTP answer at all (a dropped connection) is uncertain.
 */
export const classifySendError = (
  error: unknown,
): RetryableSendError | UncertainSendError | PermanentSendError => {
  const name = (error as { name?: string })?.name ?? 'Error';
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  if (THROTTLED.has(name) || status === 429) return new RetryableSendError(name, error);
  if (UNCERTAIN.has(name) || status === undefined || status >= 500)
    return new UncertainSendError(name, error);
  return new PermanentSendError(name, error);
};
