import { resourceEnv } from '../../lib/definition';
import { S3FileStore } from '../files/s3-file-store';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/json-response';
import { createImportRequestSchema } from '../imports/create-import-request';
import { manifestKeyFor } from '../ingest/manifest';
import { s3Client } from '../shared/aws-clients';
import { requiredEnv } from '../shared/settings';

const files = new S3FileStore(s3Client());
const bucket = requiredEnv(resourceEnv.dropBucket);

/** Stores a manifest as the sidecar of a file still to be uploaded (the same object as `<key>.manifest.json`). */
export const handler = httpHandler('create-import', { body: createImportRequestSchema }, async (req) => {
  const manifestKey = manifestKeyFor(req.body.key);
  await files.write(bucket, manifestKey, JSON.stringify(req.body.manifest), 'application/json');
  return jsonResponse(201, {
    key: req.body.key,
    manifestKey,
    next: `Upload the file to s3://${bucket}/${req.body.key}; it is imported with this manifest.`,
  });
});
