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

const RETRYABLE = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalServerError',
  'KMSThrottlingException',
  'TimeoutError',
]);

/** Sorts a provider error into retryable or permanent by its AWS error name. */
export const classifySendError = (error: unknown): RetryableSendError | PermanentSendError => {
  const name = (error as { name?: string })?.name ?? 'Error';
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  if (RETRYABLE.has(name) || (status !== undefined && status >= 500))
    return new RetryableSendError(name, error);
  return new PermanentSendError(name, error);
};
