import { ScheduleAlreadyRunning, type Client, type ScheduleOptions } from '@temporalio/client';

/**
 * Creates a Schedule, or brings an existing one up to date (spec, action, policies) while keeping
 * what operators set on it: its paused state and notes (`temporal schedule toggle --pause` survives).
 */
export async function upsertSchedule(client: Client, schedule: ScheduleOptions): Promise<'created' | 'updated'> {
  try {
    await client.schedule.create(schedule);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(schedule.scheduleId).update((previous) => ({
      ...previous, spec: schedule.spec, action: schedule.action, policies: { ...previous.policies, ...schedule.policies },
    }));
    return 'updated';
  }
}
