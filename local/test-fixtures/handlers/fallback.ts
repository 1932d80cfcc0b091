// Fixture: the $default route.
export const handler = async () => ({ statusCode: 404, body: 'none' });
