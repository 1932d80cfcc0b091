import type { AddressInfo } from 'node:net';
import sesModule from 'aws-ses-v2-local';

export interface SesLocal {
  /** SES v2 API endpoint; also the web inbox (`/`), `GET /store` and `POST /clear-store`. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts aws-ses-v2-local. Its mail store is a module-level singleton kept in memory: every server
 * started in one process shares it, and it is lost when the process ends.
 */
type SesServer = typeof sesModule;
/** The package is CommonJS with `exports.default`: Node's ESM loader hands over the exports object. */
const sesServer: SesServer =
  (sesModule as unknown as { default?: SesServer }).default ?? (sesModule as unknown as SesServer);

/**
 * What the emulator answers to GetAccount (it reads AWS_SES_ACCOUNT per request): a production
 * account whose quota the sender keeps under. LOCAL_SES_MAX_SEND_RATE and LOCAL_SES_MAX_24H_SEND
 * change it (a test of the daily quota sets a small one).
 */
export const localSesAccount = (env: NodeJS.ProcessEnv = process.env) => ({
  DedicatedIpAutoWarmupEnabled: false,
  Details: {
    AdditionalContactEmailAddresses: [],
    ContactLanguage: 'EN',
    MailType: 'MARKETING',
    ReviewDetails: { CaseId: 'local', Status: 'GRANTED' },
    UseCaseDescription: 'Rekindle local stack',
    WebsiteURL: 'http://localhost',
  },
  EnforcementStatus: 'HEALTHY',
  ProductionAccessEnabled: true,
  SendingEnabled: true,
  SendQuota: {
    Max24HourSend: Number(env['LOCAL_SES_MAX_24H_SEND'] ?? 1_000_000),
    MaxSendRate: Number(env['LOCAL_SES_MAX_SEND_RATE'] ?? 1000),
    SentLast24Hours: 0,
  },
  SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
});

export const startSesLocal = async (options: { port?: number } = {}): Promise<SesLocal> => {
  process.env['AWS_SES_ACCOUNT'] ??= JSON.stringify(localSesAccount());
  const server = await sesServer({ host: '127.0.0.1', port: options.port ?? 0 });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};
