/** One version of a dropped file: the same bucket, key and ETag is always the same import. */
export interface S3ObjectRef {
  readonly bucket: string;
  readonly key: string;
  readonly eTag: string;
  readonly size: number;
}
