// Fixture: the module the hot-reload test changes (in a copy) under a function's running containers.
export const message = 'first version';
