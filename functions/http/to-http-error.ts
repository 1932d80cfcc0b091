import { IdentifierTakenError, InvalidCursorError, VersionMismatchError } from '../profiles/profile-store';
import { ConflictError, NotFoundError, PreconditionError, ValidationError } from '../shared/domain-errors';
import { conflict, HttpError, notFound, preconditionFailed, validationFailed } from './http-error';

/** Maps domain errors to the API's answers; anything else is left for the 500 path. */
export const toHttpError = (error: unknown): HttpError | undefined => {
  if (error instanceof HttpError) return error;
  if (error instanceof ValidationError) return validationFailed(error.details, error.message);
  if (error instanceof NotFoundError) return notFound(error.message);
  if (error instanceof ConflictError) return conflict(error.message, error.details);
  if (error instanceof PreconditionError) return preconditionFailed(error.message);
  if (error instanceof IdentifierTakenError) {
    return conflict(`The ${error.kind} belongs to profile ${error.ownerProfileId}.`, [
      { path: error.kind, message: `already used by profile ${error.ownerProfileId}` },
    ]);
  }
  if (error instanceof VersionMismatchError) {
    // Not an identity conflict (`conflict`, which a retry repeats): a retry in a moment succeeds.
    return new HttpError(
      409,
      'concurrent_write',
      'The profile kept changing concurrently; retry the request.',
      [],
      { 'retry-after': '1' },
    );
  }
  if (error instanceof InvalidCursorError)
    return validationFailed([{ path: 'query.cursor', message: error.message }]);
  return undefined;
};
