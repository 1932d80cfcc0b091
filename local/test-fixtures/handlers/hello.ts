// Fixture: answers with what its container's environment holds (nothing of the runner's).
let invocations = 0;

export const handler = async (event: { pathParameters: { name: string } }) => {
  invocations += 1;
  return {
    greeting: `hello ${event.pathParameters.name}`,
    table: process.env['TABLE_PROFILES'] ?? null,
    otherTable: process.env['TABLE_EVENTS'] ?? null,
    leaked: process.env['REKINDLE_LEAK_CHECK'] ?? null,
    functionName: process.env['AWS_LAMBDA_FUNCTION_NAME'] ?? null,
    invocations,
    pid: process.pid,
  };
};
