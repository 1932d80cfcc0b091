import { PutObjectCommand } from '@aws-sdk/client-s3';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { S3FileStore } from '../../functions/files/s3-file-store';
import { DynamoDbImportStore } from '../../functions/imports/dynamodb-import-store';
import { type ImportFileDeps, type ImportResult, importFile } from '../../functions/imports/import-file';
import { profileCleaner } from '../../functions/imports/profile-reading';
import { ProfileRowProcessor } from '../../functions/imports/profile-row-processor';
import type { RowProcessor } from '../../functions/imports/row-processor';
import type { S3ObjectRef } from '../../functions/imports/s3-object-ref';
import { DynamoDbProfileStore } from '../../functions/profiles/dynamodb-profile-store';
import { identifierKey } from '../../functions/profiles/identifier-key';
import type { ProfileFields } from '../../functions/profiles/profile';
import { documentClient, endpoints, s3 } from './support';

const ROWS = 1_250;
const CHUNK = 100;

/** A messy file: repeats in other spellings, invalid emails, rows with no identifier. */
const messyCsv = (domain: string, phoneBlock: number): string => {
  const lines = ['email,phone,firstName,lastName,city,tags,lastPurchaseAt'];
  for (let i = 1; i <= ROWS; i++) {
    const person = i % 7 === 0 ? i - 3 : i; // every 7th row repeats an earlier person
    const email = i % 7 === 0 ? `Person${person}@${domain.toUpperCase()}` : `person${person}@${domain}`;
    if (i % 53 === 0) lines.push(`not-an-email-${i},,Bad,Row,,,`);
    else if (i % 61 === 0) lines.push(`,,No,Identifier,,,`);
    else
      lines.push(
        [
          email,
          i % 5 === 0 ? `07400 ${phoneBlock}${String(person).padStart(5, '0')}` : '',
          i % 7 === 0 ? `Renamed${person}` : `First${person}`,
          `Last${person}`,
          ['Leeds', 'York', 'Hull'][person % 3],
          i % 7 === 0 ? 'repeat' : 'vip;new',
          `2025-0${1 + (person % 9)}-15`,
        ].join(','),
      );
  }
  return `${lines.join('\r\n')}\r\n`;
};

const upload = async (key: string, body: string): Promise<S3ObjectRef> => {
  const put = await s3().send(new PutObjectCommand({ Bucket: endpoints().bucket, Key: key, Body: body }));
  return {
    bucket: endpoints().bucket,
    key,
    eTag: (put.ETag ?? '').replace(/"/g, ''),
    size: Buffer.byteLength(body),
  };
};

const stores = () => {
  const client = documentClient();
  const profiles = new DynamoDbProfileStore(
    client,
    endpoints().tables.profiles!,
    endpoints().tables.identifiers!,
  );
  return { client, profiles, imports: new DynamoDbImportStore(client, endpoints().tables.jobs!) };
};

const deps = (overrides: Partial<ImportFileDeps> = {}): ImportFileDeps => ({
  imports: stores().imports,
  files: new S3FileStore(s3()),
  continueLater: async () => {},
  remainingMs: () => 600_000,
  owner: `test-${Math.random()}`,
  reportsPrefix: 'reports/',
  defaultCountry: 'GB',
  chunkSize: CHUNK,
  ...overrides,
});

/** A processor that dies at a chosen chunk, before planning or between journal and writes. */
const crashing = (
  inner: RowProcessor<ProfileFields, string>,
  chunk: number,
  when: 'prepare' | 'commit',
): RowProcessor<ProfileFields, string> => ({
  counters: inner.counters,
  clean: (fields, context) => inner.clean(fields, context),
  prepare: async (rows, context) => {
    const index = Math.floor((rows[0]?.ref.row ?? 1) / CHUNK);
    if (when === 'prepare' && index === chunk) throw new Error('simulated crash before planning');
    const prepared = await inner.prepare(rows, context);
    if (when === 'commit' && index === chunk) {
      return {
        outcomes: prepared.outcomes,
        commit: async () => Promise.reject(new Error('simulated crash before writing')),
      };
    }
    return prepared;
  },
});

/** Everything a user sees of the import's result, with the one thing that differs (the domain) made equal. */
const observable = async (domain: string, phoneBlock: number, result: ImportResult) => {
  if (result.outcome === 'continued') throw new Error('not finished');
  const { profiles } = stores();
  const people: unknown[] = [];
  for (let person = 1; person <= ROWS; person++) {
    const p = await profiles.findBy('email', `person${person}@${domain}`);
    if (!p) continue;
    const {
      profileId: _id,
      createdAt: _c,
      updatedAt: _u,
      lastImportId: _l,
      provenance,
      fieldProvenance,
      ...rest
    } = p;
    people.push({
      ...rest,
      provenance: { kind: provenance.kind },
      sources: Object.keys(fieldProvenance ?? {}).sort(),
    });
  }
  const { counts, status, rejectedByReason, progress } = result.record;
  return JSON.parse(
    JSON.stringify({ counts, status, rejectedByReason, rowsDone: progress.rowsDone, people })
      .replaceAll(domain, 'DOMAIN')
      .replaceAll(`+447400${phoneBlock}`, '+447400X'),
  );
};

describe('an interrupted import', () => {
  it('finishes on redelivery exactly as an uninterrupted import of the same rows', async () => {
    const processor = new ProfileRowProcessor(stores().profiles, profileCleaner);
    const clean = await importFile(
      deps(),
      await upload('test-resume/clean.csv', messyCsv('clean.test', 1)),
      'profiles',
      processor,
    );
    expect(clean.outcome).toBe('finished');
    if (clean.outcome !== 'finished') return;
    expect(clean.record.counts.rowsRead).toBe(ROWS);
    expect(clean.record.counts.merged).toBeGreaterThan(100);
    expect(clean.record.counts.rejected).toBeGreaterThan(30);

    const ref = await upload('test-resume/crashed.csv', messyCsv('crash.test', 2));
    // Dies between a chunk's journal and its writes, then dies before planning a later chunk.
    await expect(importFile(deps(), ref, 'profiles', crashing(processor, 4, 'commit'))).rejects.toThrow(
      /before writing/,
    );
    await expect(importFile(deps(), ref, 'profiles', crashing(processor, 9, 'prepare'))).rejects.toThrow(
      /before planning/,
    );
    const resumed = await importFile(deps(), ref, 'profiles', processor);
    expect(resumed.outcome).toBe('finished');
    if (resumed.outcome === 'finished') expect(resumed.record.progress.invocations).toBe(3);

    expect(await observable('crash.test', 2, resumed)).toEqual(await observable('clean.test', 1, clean));
    // And it stays finished: one more delivery changes nothing.
    expect((await importFile(deps(), ref, 'profiles', processor)).outcome).toBe('already-finished');
  }, 120_000);

  it('hands over to a new invocation near the time limit and finishes there, with the same result', async () => {
    const processor = new ProfileRowProcessor(stores().profiles, profileCleaner);
    const clean = await importFile(
      deps(),
      await upload('test-resume/clean-2.csv', messyCsv('clean2.test', 3)),
      'profiles',
      processor,
    );
    const ref = await upload('test-resume/split.csv', messyCsv('split.test', 4));
    const continued: S3ObjectRef[] = [];
    // This "invocation" runs short of time once it has planned three chunks.
    let planned = 0;
    const counting: RowProcessor<ProfileFields, string> = {
      counters: processor.counters,
      clean: (fields, context) => processor.clean(fields, context),
      prepare: (rows, context) => {
        planned++;
        return processor.prepare(rows, context);
      },
    };
    const first = await importFile(
      deps({
        remainingMs: () => (planned >= 3 ? 30_000 : 600_000),
        continueLater: async (r) => void continued.push(r),
      }),
      ref,
      'profiles',
      counting,
    );
    expect(first).toMatchObject({ outcome: 'continued', rowsDone: 3 * CHUNK });
    expect(continued).toEqual([ref]);
    const second = await importFile(deps(), continued[0]!, 'profiles', processor);
    expect(second.outcome).toBe('finished');
    if (second.outcome === 'finished') expect(second.record.progress.invocations).toBe(2);
    expect(await observable('split.test', 4, second)).toEqual(await observable('clean2.test', 3, clean));
  }, 120_000);

  it("dies after claiming a chunk's identifiers, before writing its profiles: the redelivery finishes the same, and no marker is left without its profile", async () => {
    const { client, profiles } = stores();
    const processor = new ProfileRowProcessor(profiles, profileCleaner);
    const clean = await importFile(
      deps(),
      await upload('test-resume/clean-3.csv', messyCsv('clean3.test', 5)),
      'profiles',
      processor,
    );
    const ref = await upload('test-resume/claimed.csv', messyCsv('claimed.test', 6));
    // Profile batch writes fail from the third chunk on, as if the invocation died there.
    let batches = 0;
    const dying = {
      send: (command: unknown) =>
        command instanceof BatchWriteCommand && ++batches > 8
          ? Promise.reject(new Error('simulated crash after the claims'))
          : client.send(command as never),
    } as unknown as DynamoDBDocumentClient;
    const dyingStore = new DynamoDbProfileStore(
      dying,
      endpoints().tables.profiles!,
      endpoints().tables.identifiers!,
    );
    await expect(
      importFile(deps(), ref, 'profiles', new ProfileRowProcessor(dyingStore, profileCleaner)),
    ).rejects.toThrow(/after the claims/);

    const keys: string[] = [];
    for (let person = 1; person <= ROWS; person++) {
      keys.push(identifierKey('email', `person${person}@claimed.test`));
      keys.push(identifierKey('phone', `+4474006${String(person).padStart(5, '0')}`));
    }
    const orphans = async () => {
      const markers = await profiles.ownersOf(keys);
      const owners = await profiles.getMany([...markers.values()]);
      return [...markers].filter(([key, id]) => {
        const [kind, ...value] = key.split('#');
        return owners.get(id)?.[kind as 'email' | 'phone'] !== value.join('#');
      });
    };
    expect((await orphans()).length).toBeGreaterThan(0);

    const resumed = await importFile(deps(), ref, 'profiles', processor);
    expect(resumed.outcome).toBe('finished');
    expect(await observable('claimed.test', 6, resumed)).toEqual(await observable('clean3.test', 5, clean));
    expect(await orphans()).toEqual([]);
  }, 120_000);
});
