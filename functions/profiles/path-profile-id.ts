import { ValidationError } from '../shared/domain-errors';
import { profileIdSchema } from './profile';

/** The `{profileId}` path parameter, validated. */
export const pathProfileId = (params: Readonly<Record<string, string>>): string => {
  const parsed = profileIdSchema.safeParse(params.profileId ?? '');
  if (!parsed.success) {
    throw new ValidationError([
      { path: 'path.profileId', message: parsed.error.issues[0]?.message ?? 'invalid' },
    ]);
  }
  return parsed.data;
};
