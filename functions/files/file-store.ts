import type { Readable } from 'node:stream';

/** Objects in the drop bucket: files to read and reports to write. */
export interface FileStore {
  read(bucket: string, key: string): Promise<Readable>;
  /** A small object as text, or undefined when there is none. */
  readText(bucket: string, key: string): Promise<string | undefined>;
  write(bucket: string, key: string, body: string, contentType: string): Promise<void>;
}
