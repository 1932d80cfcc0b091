// A fixture handler module, loaded with import() by the default loader's tests.
export const handler = async (
  event: unknown,
  context: { functionName: string; getRemainingTimeInMillis(): number },
) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    event,
    functionName: context.functionName,
    remaining: context.getRemainingTimeInMillis(),
  }),
});
