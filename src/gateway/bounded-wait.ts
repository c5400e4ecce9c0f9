/**
 * A workflow's result if it comes within `waitMs`, else 'running' (the workflow goes on; the caller
 * answers 202). A later rejection of an abandoned result is not left unhandled.
 */
export async function resultWithin<T>(result: Promise<T>, waitMs: number): Promise<T | 'running'> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'running'>((resolve) => {
    timer = setTimeout(() => resolve('running'), waitMs);
  });
  result.catch(() => undefined);
  try {
    return await Promise.race([result, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
