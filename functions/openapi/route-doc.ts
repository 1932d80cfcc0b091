import type { z } from 'zod';

/**
 * What each route takes and gives beyond the path: keyed by function name and method. `query` and
 * `requestBody` are the very schema objects the handler validates with (see `HttpContract`); the
 * route contract test holds each handler to its documentation.
 */
export interface RouteDoc {
  readonly summary?: string;
  /** What the summary cannot say (CommonMark). */
  readonly description?: string;
  readonly query?: z.ZodType;
  /** `mediaTypes`: application/json first, then what the handler accepts besides. */
  readonly requestBody?: { schema: z.ZodType; mediaTypes: readonly string[] };
  readonly success: { status: number; description: string; schema?: z.ZodType; mediaType?: string };
  readonly errors: readonly number[];
  readonly headers?: readonly { name: string; description: string }[];
}
