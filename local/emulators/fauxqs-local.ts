import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type FauxqsServer, startFauxqs } from 'fauxqs';

export interface FauxqsLocal {
  /** One endpoint for S3 (path-style), SQS and SNS topics. */
  readonly url: string;
  readonly server: FauxqsServer;
  stop(): Promise<void>;
}

/** Starts fauxqs in this process, with message spies on (the S3 bridge listens to them). */
export const startFauxqsLocal = async (
  options: { port?: number; dataDir?: string } = {},
): Promise<FauxqsLocal> => {
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
  const server = await startFauxqs({
    port: options.port ?? 0,
    logger: false,
    messageSpies: { bufferSize: 1000 },
    ...(dataDir === undefined ? {} : { dataDir }),
  });
  return { url: `http://127.0.0.1:${server.port}`, server, stop: () => server.stop() };
};
