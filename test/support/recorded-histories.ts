import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

/** Where the replay test finds the recorded histories of every workflow type. */
export const HISTORIES = path.resolve(__dirname, '../fixtures/histories');

/**
 * RISKFLOW_RECORD_HISTORIES=<label> (lower-case letters, digits, dashes) asks the scenarios to record
 * their histories as <scenario>.<label>.json, beside the older recordings; undefined when not asked.
 */
export const RECORDING_LABEL: string | undefined = ((label) => (label !== undefined && /^[a-z0-9-]+$/.test(label) ? label : undefined))(process.env.RISKFLOW_RECORD_HISTORIES);

/** Writes the workflow's history as the scenario `name`'s recording under RECORDING_LABEL (only when recording). */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (RECORDING_LABEL === undefined) return;
  await mkdir(HISTORIES, { recursive: true });
  await writeFile(path.join(HISTORIES, `${name}.${RECORDING_LABEL}.json`), historyToJSON(await handle.fetchHistory()));
}
