import { rm } from 'node:fs/promises';
import { takeTestPlatformHandles } from './test-platform-handles';

/** Stops the run's Temporal dev server and PostgreSQL and removes the temporary data directory. */
export default async function globalTeardown(): Promise<void> {
  const handles = takeTestPlatformHandles();
  if (handles === undefined) return;
  const results = await Promise.allSettled([handles.stopTemporal(), handles.stopPostgres()]);
  await rm(handles.tempDir, { recursive: true, force: true });
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
}
