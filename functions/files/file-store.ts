import type { Readable } from 'node:stream';

/** Objects in the drop bucket: files to read and reports to write. */
export interface FileStore {
  read(bucket: string, key: string): Promise<Readable>;
  write(bucket: string, key: string, body: string, contentType: string): Promise<void>;
}
