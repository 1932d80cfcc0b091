/**
 * `npm start` (`-- --persist`, `-- --port N`, `-- --no-schedules`): the whole backend on this
 * machine. Reuses the emulators of `npm run emulators` when they run, else starts its own.
 */
import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from './cli-args';
import { startLocalStack } from './local-stack';
import { localDir } from './paths';
import { runningEmulators } from './running-emulators';
import { reloadLine } from './runtime/hot-reload';
import { stateFiles, writeJson } from './state-files';

const { flags, values } = parseArgs(process.argv.slice(2), ['port']);
const persist = flags.has('persist');
const apiPort = Number(values.get('port') ?? process.env['PORT'] ?? 3000);
if (!Number.isInteger(apiPort) || apiPort < 0 || apiPort > 65535)
  throw new Error(`Bad port ${values.get('port')}`);

const files = stateFiles(localDir);
const bundlesDir = join(localDir, 'bundles');
const emulators = await runningEmulators(localDir);
if (emulators) console.log(`Using the emulators of npm run emulators (pid ${emulators.pid}).`);

const stack = await startLocalStack({
  apiPort,
  persist,
  dataDir: localDir,
  ...(emulators ? { emulators } : {}),
  schedules: !flags.has('no-schedules'),
  // With the rest of the runner's state: REKINDLE_LOCAL_DIR moves it too (default .local/bundles).
  bundleCacheDir: bundlesDir,
  log: true,
});
writeJson(files.endpoints, stack.endpoints);

const e = stack.endpoints;
console.log(`
Rekindle is running locally${persist || stack.emulators.persist ? ' (data kept in .local/)' : ' (in memory; --persist keeps data)'}.

  API            ${e.apiUrl}
  OpenAPI        ${e.apiUrl}/openapi.json
  SES inbox      ${e.sesUrl}/
  SMS page       ${e.smsUrl}/
  S3 endpoint    ${e.s3Endpoint}   (path-style; bucket ${e.bucket})
  DynamoDB       ${e.dynamodbEndpoint}
  SQS / SNS      ${e.sqsEndpoint} / ${e.snsEndpoint}

  Bootstrap API key (read, write, admin):
  ${e.apiKey || '(none: functions/auth/create-api-key.ts could not be loaded)'}

  Try: curl -H "authorization: Bearer ${e.apiKey || '<key>'}" ${e.apiUrl}/profiles
  Drop a file: aws --endpoint-url ${e.s3Endpoint} s3 cp people.csv s3://${e.bucket}/imports/profiles/people.csv
  Endpoints written to .local/endpoints.json. Ctrl-C stops.
`);
for (const s of stack.bindings().filter((b) => b.kind === 'schedule')) {
  console.log(`  Schedule ${s.id}: ${s.expression} (${s.timezone}) -> ${s.function}`);
}
// A changed handler is picked up without a restart: its next invocation starts cold from a new bundle.
stack.functions.hotReload((reload) => console.log(reloadLine(reload)));
console.log(
  `  Ready in ${(performance.now() / 1000).toFixed(1)} s. Watching functions/ and lib/: a changed source is picked up at the next invocation.`,
);
// Bundles are built when first needed, so a cold cache does not hold the start up; meanwhile they are
// brought up to date in the background, so that first invocations seldom wait for a build.
void stack.functions.prebuildBundles().then(({ rebuilt, fresh, failed, ms }) => {
  if (stopping) return;
  console.log(
    `[local] bundles up to date in ${relative(process.cwd(), bundlesDir) || bundlesDir}: ${rebuilt.length} built, ${fresh.length} unchanged (${(ms / 1000).toFixed(1)} s)`,
  );
  for (const { name, message } of failed)
    console.warn(`[local] ${name} does not bundle: ${message} (it fails until its source is fixed)`);
});

let stopping = false;
const shutdown = async (signal: string): Promise<void> => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping...`);
  const timer = setTimeout(() => {
    console.warn('Still stopping after 10 s: exiting.');
    process.exit(1);
  }, 10_000);
  timer.unref();
  await stack.stop();
  rmSync(files.endpoints, { force: true });
  process.exit(0);
};
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
