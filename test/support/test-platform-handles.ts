/** What global setup leaves on globalThis for global teardown (both run in Jest's parent process). */
export interface TestPlatformHandles {
  stopTemporal(): Promise<void>;
  stopPostgres(): Promise<void>;
  /** Removed by teardown: holds the PostgreSQL data directory. */
  tempDir: string;
}

const HANDLES_KEY = Symbol.for('riskflow.test.platform');

type HandleHolder = { [HANDLES_KEY]?: TestPlatformHandles };

export function saveTestPlatformHandles(handles: TestPlatformHandles): void {
  (globalThis as HandleHolder)[HANDLES_KEY] = handles;
}

export function takeTestPlatformHandles(): TestPlatformHandles | undefined {
  const holder = globalThis as HandleHolder;
  const handles = holder[HANDLES_KEY];
  delete holder[HANDLES_KEY];
  return handles;
}
