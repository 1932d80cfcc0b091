/**
 * `npm run create-api-key -- --name <name> --scopes read,write[,admin] [--table <ApiKeys table>]`
 *
 * Creates an API key and prints it once (only its SHA-256 is stored). Without `--table` it uses the
 * running local stack (`.local/`); with `--table` it writes to that DynamoDB table in AWS, with
 * your usual AWS credentials and region (the table name is a stack output).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createApiKey } from '../functions/auth/create-api-key';
import type { Scope } from '../lib/definition';
import { parseArgs } from '../local/cli-args';
import type { LocalEndpoints } from '../local/local-stack';
import { localDir } from '../local/paths';
import { readJson, stateFiles } from '../local/state-files';

const { values } = parseArgs(process.argv.slice(2), ['name', 'scopes', 'table']);
const SCOPES: readonly Scope[] = ['read', 'write', 'admin'];

const name = values.get('name');
const scopes = (values.get('scopes') ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
if (!name || scopes.length === 0 || scopes.some((s) => !SCOPES.includes(s as Scope))) {
  console.error('Usage: npm run create-api-key -- --name <name> --scopes read,write,admin [--table <table>]');
  process.exit(1);
}

let tableName = values.get('table');
let client: DynamoDBDocumentClient | undefined;
if (!tableName) {
  const endpoints = readJson<LocalEndpoints>(stateFiles(localDir).endpoints);
  if (!endpoints) {
    console.error('The local stack is not running (start it with npm start), and no --table was given.');
    process.exit(1);
  }
  tableName = endpoints.tables.apiKeys;
  // The operator's own client on the local DynamoDB (not a function's: no grants to check).
  client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: endpoints.dynamodbEndpoint,
      region: endpoints.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
}

const { key, keyId } = await createApiKey({
  tableName,
  name,
  scopes: scopes as Scope[],
  ...(client ? { client } : {}),
});
console.log(
  `API key ${keyId} (${scopes.join(', ')}) for "${name}":\n\n  ${key}\n\nIt is shown once; only its hash is stored.`,
);
