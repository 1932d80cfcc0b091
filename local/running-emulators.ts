import { processAlive } from './emulators/process-alive';
import type { EmulatorEndpoints } from './emulators/start-emulators';
import { readJson, stateFiles } from './state-files';

/** The emulators `npm run emulators` runs, when its process is alive and they answer. */
export const runningEmulators = async (dataDir: string): Promise<EmulatorEndpoints | undefined> => {
  const endpoints = readJson<EmulatorEndpoints>(stateFiles(dataDir).emulators);
  if (!endpoints || !processAlive(endpoints.pid)) return undefined;
  try {
    const answers = await Promise.all([
      fetch(`${endpoints.ses}/health-check`, { signal: AbortSignal.timeout(2000) }),
      fetch(`${endpoints.sms}/messages`, { signal: AbortSignal.timeout(2000) }),
      fetch(`${endpoints.fauxqs}/health`, { signal: AbortSignal.timeout(2000) }),
    ]);
    return answers.every((r) => r.ok) ? endpoints : undefined;
  } catch {
    return undefined;
  }
};
