import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { etagOf } from '../http/preconditions';
import { pathProfileId } from '../profiles/path-profile-id';
import { profileServiceFromEnv } from '../profiles/profile-service-from-env';
import { profileView } from '../profiles/profile-view';

const service = profileServiceFromEnv();

export const handler = httpHandler('get-profile', {}, async (req) => {
  const profile = await service.get(pathProfileId(req.pathParameters));
  return jsonResponse(200, profileView(profile), { etag: etagOf(profile.version) });
});
