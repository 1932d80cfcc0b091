import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { etagOf, preconditionsFrom } from '../http/preconditions';
import { withNotices } from '../profiles/consent-notices';
import { pathProfileId } from '../profiles/path-profile-id';
import { profileInputSchema } from '../profiles/profile';
import { profileServiceFromEnv } from '../profiles/profile-service-from-env';
import { profileView } from '../profiles/profile-view';

const service = profileServiceFromEnv();

export const handler = httpHandler('put-profile', { body: profileInputSchema }, async (req) => {
  const { profile, created, notices } = await service.replace(
    pathProfileId(req.pathParameters),
    req.body,
    preconditionsFrom(req.headers),
  );
  return jsonResponse(created ? 201 : 200, withNotices(profileView(profile), notices), {
    etag: etagOf(profile.version),
    ...(created ? { location: `/profiles/${encodeURIComponent(profile.profileId)}` } : {}),
  });
});
