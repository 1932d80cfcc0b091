// Fixture: answers with a message from a module of its own; the hot-reload test edits a copy of both.
import { message } from './reloadable-message';

export const handler = async () => ({ message, pid: process.pid });
