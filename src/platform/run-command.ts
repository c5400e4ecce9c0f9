import { spawn } from 'node:child_process';
import { OutputTail } from './output-tail';

export interface CommandResult {
  /** Exit code, or undefined when the process could not start or was killed by a signal. */
  readonly exitCode: number | undefined;
  /** Tail of the combined stdout and stderr, or the spawn error message. */
  readonly output: string;
}

/** Runs a command to completion without a shell and collects its output; never throws. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number },
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const tail = new OutputTail();
    const child = spawn(command, args, {
      env: options.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs,
      killSignal: 'SIGKILL',
    });
    child.stdout.on('data', (chunk: Buffer) => tail.append(chunk));
    child.stderr.on('data', (chunk: Buffer) => tail.append(chunk));
    child.once('error', (error) => resolve({ exitCode: undefined, output: `${tail.text()}${error.message}` }));
    child.once('close', (code) => resolve({ exitCode: code ?? undefined, output: tail.text() }));
  });
}
