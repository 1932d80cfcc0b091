import { httpHandler } from '../http/http-handler';
import { noContent } from '../http/json-response';
import { preconditionsFrom } from '../http/preconditions';
import { pathProfileId } from '../profiles/path-profile-id';
import { profileServiceFromEnv } from '../profiles/profile-service-from-env';
import { logger } from '../shared/logger';

const service = profileServiceFromEnv({ events: true });

export const handler = httpHandler('delete-profile', {}, async (req) => {
  const profileId = pathProfileId(req.pathParameters);
  const { eventsRemoved } = await service.erase(profileId, preconditionsFrom(req.headers));
  logger.info('profile erased', { profileId, eventsRemoved, keyId: req.auth?.keyId });
  return noContent();
});
