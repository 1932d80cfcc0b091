import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { profileTableFromEnv } from '../profiles/profile-service-from-env';
import { NotFoundError } from '../shared/domain-errors';
import { templatePreviewRequestSchema } from '../templates/template-requests';
import { templateServiceFromEnv } from '../templates/templates-from-env';

const templates = templateServiceFromEnv();
const profiles = profileTableFromEnv();

/** POST /templates/{templateId}/preview: the message as this profile would get it (sample links). */
export const handler = httpHandler(
  'preview-template',
  { body: templatePreviewRequestSchema },
  async (req) => {
    const profile = await profiles.get(req.body.profileId);
    if (!profile) throw new NotFoundError(`No profile ${req.body.profileId}.`);
    return jsonResponse(200, await templates.preview(req.pathParameters.templateId ?? '', profile));
  },
);
