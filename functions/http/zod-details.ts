import type { z } from 'zod';
import type { ErrorDetail } from './http-error';

/** Turns zod issues into error details: the field's dotted path and the reason. */
export const zodDetails = (error: z.ZodError, prefix = ''): ErrorDetail[] =>
  error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.');
    return { path: path === '' ? '(body)' : path, message: issue.message };
  });
