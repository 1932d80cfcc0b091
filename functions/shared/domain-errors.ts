/** A field that failed validation, with the reason: the API's `details[]` and the importer's rejects. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** Input that breaks a domain rule; the API answers 422 with the details. */
export class ValidationError extends Error {
  constructor(
    readonly details: readonly FieldError[],
    message = 'The request is not valid.',
  ) {
    super(message);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** A conditional request (If-Match / If-None-Match) whose condition does not hold. */
export class PreconditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreconditionError';
  }
}

/** A change the current state does not allow (a segment a campaign uses, a name taken): 409. */
export class ConflictError extends Error {
  constructor(
    message: string,
    readonly details: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}
