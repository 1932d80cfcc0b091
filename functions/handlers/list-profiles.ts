import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { listProfilesQuerySchema } from '../profiles/list-profiles-query';
import { profileServiceFromEnv } from '../profiles/profile-service-from-env';
import { profileView } from '../profiles/profile-view';

const service = profileServiceFromEnv();

export const handler = httpHandler('list-profiles', { query: listProfilesQuerySchema }, async (req) => {
  const { email, phone, externalId, limit, cursor } = req.query;
  const lookup =
    email !== undefined
      ? 'email'
      : phone !== undefined
        ? 'phone'
        : externalId !== undefined
          ? 'externalId'
          : undefined;
  if (lookup) {
    const profile = await service.findBy(lookup, (email ?? phone ?? externalId)!);
    return jsonResponse(200, { items: profile ? [profileView(profile)] : [] });
  }
  const page = await service.list(limit, cursor);
  return jsonResponse(200, {
    items: page.items.map(profileView),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  });
});
