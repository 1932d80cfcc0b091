import type { FileStore } from '../files/file-store';
import { type Manifest, manifestKeyFor, manifestSchema } from '../ingest/manifest';
import type { S3ObjectRef } from './s3-object-ref';

/** The sidecar manifest of a file, if any; a manifest that does not parse fails the import. */
export const readManifest = async (
  files: FileStore,
  ref: S3ObjectRef,
): Promise<{ value: Manifest } | { error: string }> => {
  const text = await files.readText(ref.bucket, manifestKeyFor(ref.key));
  if (text === undefined) return { value: {} };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { error: `the manifest ${manifestKeyFor(ref.key)} is not JSON: ${(error as Error).message}` };
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(manifest)'}: ${i.message}`)
      .join('; ');
    return { error: `the manifest ${manifestKeyFor(ref.key)} is not valid: ${issues}` };
  }
  return { value: parsed.data };
};
