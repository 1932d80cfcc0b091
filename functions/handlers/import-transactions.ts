// Placeholder until the handler is written; see lib/definition.ts for its trigger.
export const handler = async (): Promise<never> => {
  throw new Error('import-transactions is not implemented yet');
};
