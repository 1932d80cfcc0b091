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

export const startSesLocal = async (options: { port?: number } = {}): Promise<SesLocal> => {
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
