/**
 * `npm run invoke -- <function> [--input '<json>']`: runs one function once against the running
 * local stack (`npm start`), through its Lambda Invoke API: in one of the function's containers. A scheduled function gets the input its schedule
 * would give now. `npm run invoke -- --list` lists the functions and their triggers.
 */
import { type FunctionSpec, functions } from '../lib/definition';
import { parseArgs } from '../local/cli-args';
import type { LocalEndpoints } from '../local/local-stack';
import { localDir } from '../local/paths';
import { invokeThroughApi } from '../local/runtime/lambda-api';
import { scheduleEvent } from '../local/schedule/scheduler';
import { readJson, stateFiles } from '../local/state-files';

const { flags, values, rest } = parseArgs(process.argv.slice(2), ['input']);

const describeTrigger = (t: FunctionSpec['triggers'][number]): string => {
  switch (t.kind) {
    case 'http':
      return `${t.method} ${t.path}`;
    case 'httpDefault':
      return 'HTTP $default';
    case 'httpAuthorizer':
      return 'HTTP authorizer';
    case 's3':
      return `s3 ${t.prefix} via ${t.queue}`;
    case 'queue':
      return `queue ${t.queue}`;
    case 'schedule':
      return `schedule ${t.id}`;
    case 'deployment':
      return `deployment ${t.id}`;
  }
};

if (flags.has('list') || rest.length === 0) {
  for (const fn of functions)
    console.log(`${fn.name.padEnd(22)} ${fn.triggers.map(describeTrigger).join(', ')}`);
  if (!flags.has('list')) {
    console.error("\nUsage: npm run invoke -- <function> [--input '<json>']");
    process.exitCode = 1;
  }
} else {
  const name = rest[0]!;
  const fn = functions.find((f) => f.name === name);
  if (!fn) {
    console.error(`No function ${name}; npm run invoke -- --list shows them.`);
    process.exit(1);
  }
  const files = stateFiles(localDir);
  const endpoints = readJson<LocalEndpoints>(files.endpoints);
  if (!endpoints?.lambdaEndpoint) {
    console.error('The local stack is not running: start it with npm start.');
    process.exit(1);
  }
  const schedule = fn.triggers.find((t) => t.kind === 'schedule');
  const input = values.get('input');
  const event: unknown =
    input !== undefined
      ? JSON.parse(input)
      : schedule?.kind === 'schedule'
        ? scheduleEvent(schedule.input, new Date(Math.floor(Date.now() / 1000) * 1000))
        : {};
  if (input === undefined && fn.triggers.some((t) => t.kind === 'http' || t.kind === 'httpDefault')) {
    console.error(
      `${fn.name} is an HTTP function: pass its API Gateway event with --input, or call ${endpoints.apiUrl}.`,
    );
  }
  const started = Date.now();
  try {
    const result = await invokeThroughApi(endpoints.lambdaEndpoint, fn.name, event);
    console.log(JSON.stringify(result, null, 2) ?? 'undefined');
    console.error(`${fn.name} finished in ${Date.now() - started} ms`);
    process.exit(0);
  } catch (error) {
    console.error(`${fn.name} failed after ${Date.now() - started} ms:`, error);
    process.exit(1);
  }
}
