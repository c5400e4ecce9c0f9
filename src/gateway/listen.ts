import type { Server } from 'node:http';
import type { Express } from 'express';

export interface RunningServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Listens and resolves once bound (port 0 picks a free one); close() ends idle keep-alive sockets too. */
export function listen(app: Express, host: string, port: number): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(port, host, (err?: Error) => {
      if (err) {
        reject(err);
        return;
      }
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          server.closeIdleConnections();
        }),
      });
    });
    server.on('error', reject);
  });
}
