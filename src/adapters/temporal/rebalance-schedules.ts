import { ScheduleNotFoundError, type CalendarSpec, type Client } from '@temporalio/client';
import { rebalanceScheduleId, type ScheduledRebalanceCommand } from '../../contracts/rebalance-contracts';
import type { RebalanceCalendar, RebalanceSchedules } from '../../ports/rebalance-schedules.port';
import { upsertSchedule } from './upsert-schedule';

/** A portfolio's rebalance schedule as a Temporal Schedule that starts scheduledRebalanceWorkflow. */
export function createRebalanceSchedules(client: Client, taskQueue: string): RebalanceSchedules {
  const handle = (portfolioId: string) => client.schedule.getHandle(rebalanceScheduleId(portfolioId));
  async function remove(portfolioId: string): Promise<boolean> {
    try {
      await handle(portfolioId).delete();
      return true;
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return false;
      throw err;
    }
  }
  return {
    /** Creates or replaces the portfolio's schedule (one per portfolio, an operator's pause kept); overlapping runs are skipped (a DCA still running blocks the next). */
    async put(command: ScheduledRebalanceCommand, calendar: RebalanceCalendar, timeZone: string): Promise<void> {
      const spec: CalendarSpec = {
        minute: [...calendar.minute], hour: [...calendar.hour],
        ...(calendar.dayOfWeek && { dayOfWeek: [...calendar.dayOfWeek] as CalendarSpec['dayOfWeek'] }),
        ...(calendar.dayOfMonth && { dayOfMonth: [...calendar.dayOfMonth] }),
        ...(calendar.month && { month: [...calendar.month] as CalendarSpec['month'] }),
      };
      await upsertSchedule(client, {
        scheduleId: command.scheduleId,
        spec: { calendars: [spec], timezone: timeZone },
        action: { type: 'startWorkflow', workflowType: 'scheduledRebalanceWorkflow', args: [command], taskQueue, workflowId: command.scheduleId },
        policies: { overlap: 'SKIP', catchupWindow: '1 hour' },
      });
    },
    remove,
    /** The next times the schedule fires (empty when there is none). */
    async nextRuns(portfolioId: string): Promise<string[]> {
      try {
        return (await handle(portfolioId).describe()).info.nextActionTimes.map((t) => t.toISOString());
      } catch (err) {
        if (err instanceof ScheduleNotFoundError) return [];
        throw err;
      }
    },
  };
}

