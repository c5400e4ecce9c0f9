import { spawn } from 'node:child_process';
import path from 'node:path';

// The drill starts its own Temporal and PostgreSQL (it kills them), so it does not use the shared ones.
jest.setTimeout(300_000);

describe('fault drill (short form)', () => {
  it('when the worker, the gateway, Temporal and PostgreSQL are each SIGKILLed under a stream of orders, then every order is answered and the books stay consistent', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/fault-drill.ts'], {
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, DRILL_SECONDS: '25', DRILL_ROUNDS: '1', DRILL_CLIENTS: '3' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const report = output.split('\n').filter((l) => l.startsWith('[drill')).join('\n');
    expect({ code, report }).toEqual({ code: 0, report: expect.stringContaining('books consistent') });
    expect(report).not.toContain('VIOLATION');
  });
});
