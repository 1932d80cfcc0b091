/**
 * Peak memory of a 1,000,000-row profile import (run as its own process by `npm run bench`, which
 * reads the last line: JSON with maxRssMb). The file is generated as a stream, never held whole;
 * it goes through the real pipeline (reading, cleaning, chunking, planning, journalling, reports)
 * with stores that keep nothing, so what is measured is the pipeline's own memory, not a database.
 *
 *   node --import tsx bench/import-memory.ts [rows]
 */
import { Readable } from 'node:stream';
import type { FileStore } from '../functions/files/file-store';
import { importFile } from '../functions/imports/import-file';
import type { ChunkJournal, ImportRecord } from '../functions/imports/import-record';
import type { ImportStore } from '../functions/imports/import-store';
import { profileCleaner, profileReading } from '../functions/imports/profile-reading';
import { ProfileRowProcessor } from '../functions/imports/profile-row-processor';
import type { ProfileStore } from '../functions/profiles/profile-store';

const rows = Number(process.argv[2] ?? 1_000_000);

function* lines(): Generator<string> {
  yield 'email,phone,First Name,Last Name,city,tags,lastPurchaseAt\r\n';
  for (let i = 1; i <= rows; i++) {
    if (i % 97 === 0) yield `broken-${i}.example.com,,Bad,Email,,,\r\n`;
    else {
      const person = i % 11 === 0 ? i - 5 : i;
      const phone = i % 3 === 0 ? `07400 ${String(person % 1_000_000).padStart(6, '0')}` : '';
      yield `Person.${person}@Example.com,${phone},First${person},Last${person},Leeds,vip;new,2025-03-15\r\n`;
    }
  }
}

/** Each yield of the generator is one line; batch them into 64 KiB buffers as S3 would stream. */
async function* bytes(): AsyncGenerator<Buffer> {
  let buffer = '';
  for (const line of lines()) {
    buffer += line;
    if (buffer.length >= 65_536) {
      yield Buffer.from(buffer);
      buffer = '';
    }
  }
  if (buffer) yield Buffer.from(buffer);
}

const files: FileStore = {
  read: async () => Readable.from(bytes()),
  readText: async () => undefined,
  write: async () => {},
};

const journals: ChunkJournal[] = [];
let record: ImportRecord | undefined;
const imports: ImportStore = {
  claim: async (fresh) => {
    record = fresh;
    return { outcome: 'claimed', record: fresh };
  },
  journal: async (_id, entry) => {
    // Keep what the final report needs (rejects), as the real journal does.
    journals.push(entry);
    return entry;
  },
  journals: async () => journals,
  progress: async () => true,
  release: async () => {},
  finish: async (r) => {
    record = r;
    return true;
  },
  get: async () => record,
  list: async () => (record ? [record] : []),
};

const nullProfiles: Pick<ProfileStore, 'ownersOf' | 'getMany' | 'saveMany'> = {
  ownersOf: async () => new Map(),
  getMany: async () => new Map(),
  saveMany: async () => {},
};

const started = performance.now();
const result = await importFile(
  {
    imports,
    files,
    reading: profileReading,
    continueLater: async () => {},
    remainingMs: () => 900_000,
    owner: 'bench',
    reportsPrefix: 'reports/',
    defaultCountry: 'GB',
  },
  { bucket: 'bench', key: 'imports/profiles/million.csv', eTag: 'bench', size: 80 * rows },
  'profiles',
  new ProfileRowProcessor(nullProfiles, profileCleaner),
);
const seconds = (performance.now() - started) / 1000;
const counts = result.outcome === 'finished' ? result.record.counts : {};
console.log(
  JSON.stringify({
    rows,
    seconds: Math.round(seconds * 10) / 10,
    rowsPerSecond: Math.round(rows / seconds),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    counts,
  }),
);
