import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { etagOf, preconditionsFrom } from '../http/preconditions';
import { withNotices } from '../profiles/consent-notices';
import { pathProfileId } from '../profiles/path-profile-id';
import { profilePatchSchema } from '../profiles/profile';
import { profileServiceFromEnv } from '../profiles/profile-service-from-env';
import { profileView } from '../profiles/profile-view';

const service = profileServiceFromEnv();

export const handler = httpHandler(
  'patch-profile',
  { body: profilePatchSchema, mediaTypes: ['application/merge-patch+json'] },
  async (req) => {
    const { profile, notices } = await service.patch(
      pathProfileId(req.pathParameters),
      req.body,
      preconditionsFrom(req.headers),
    );
    return jsonResponse(200, withNotices(profileView(profile), notices), { etag: etagOf(profile.version) });
  },
);
