// Fixture: a scheduled function.
export const handler = async () => undefined;
