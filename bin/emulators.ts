/**
 * `npm run emulators` (`-- --persist`): DynamoDB Local, SES, fauxqs, the SNS/SMS endpoint and the
 * S3 bridge in a process of their own, so that `npm start` can be restarted without losing data.
 * Writes `.local/emulators.json`, which `npm start` reads.
 */
import { rmSync } from 'node:fs';
import { parseArgs } from '../local/cli-args';
import { startEmulators } from '../local/emulators/start-emulators';
import { localDir } from '../local/paths';
import { runningEmulators } from '../local/running-emulators';
import { stateFiles, writeJson } from '../local/state-files';
import { createLocalWiring } from '../local/wiring';

const { flags } = parseArgs(process.argv.slice(2));
const files = stateFiles(localDir);
const already = await runningEmulators(localDir);
if (already) {
  console.error(`The emulators already run (pid ${already.pid}); see .local/emulators.json.`);
  process.exit(1);
}
const wiring = createLocalWiring();
const emulators = await startEmulators({
  persist: flags.has('persist'),
  dataDir: localDir,
  region: wiring.region,
  s3Notifications: wiring.s3Notifications,
});
writeJson(files.emulators, emulators.endpoints);
const e = emulators.endpoints;
console.log(`
Emulators running (pid ${e.pid})${e.persist ? ', data kept in .local/' : ', in memory (--persist keeps data)'}:

  DynamoDB Local   ${e.dynamodb}
  SES (inbox)      ${e.ses}/
  S3 / SQS         ${e.fauxqs}
  SNS + SMS page   ${e.sns}/
  S3 -> SQS        ${e.s3Notifications.map((r) => `${r.bucket}/${r.prefix} -> ${r.queueName}`).join(', ') || 'none'}

Now run npm start in another terminal. Ctrl-C stops the emulators.
`);

let stopping = false;
const shutdown = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await emulators.stop();
  rmSync(files.emulators, { force: true });
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
