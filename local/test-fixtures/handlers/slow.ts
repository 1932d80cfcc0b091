// Fixture: runs past its one-second timeout when asked to.
import { setTimeout as sleep } from 'node:timers/promises';

export const handler = async (event: { sleepMs?: number }) => {
  await sleep(event.sleepMs ?? 0);
  return { slept: event.sleepMs ?? 0 };
};
