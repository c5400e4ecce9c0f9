import { ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { upsertSchedule } from '../adapters/temporal/upsert-schedule';
import { dailyRiskSignedFields } from '../contracts/command-signatures';
import { dailyRiskScheduleId, type DailyRiskCommand } from '../contracts/daily-risk-contracts';
import type { DailyRiskConfig } from '../config/config';
import type { CommandSigner } from '../ports/command-signature.port';

/** Who the scheduled runs are requested by (audited). */
export const DAILY_RISK_SCHEDULE_PRINCIPAL = 'daily-risk-schedule';

/** The Schedule as configured: a calendar (time, weekdays, time zone), one run at a time, an explicit catch-up window. */
export function dailyRiskScheduleOptions(options: { taskQueue: string; settings: DailyRiskConfig; signer: CommandSigner; now: Date }): ScheduleOptions {
  // No date: each run checks the day it starts on, in the schedule's time zone.
  const unsigned = { runId: 'scheduled', requestedBy: DAILY_RISK_SCHEDULE_PRINCIPAL, issuedAt: options.now.toISOString() };
  const command: DailyRiskCommand = { ...unsigned, signature: options.signer.sign('daily-risk', dailyRiskSignedFields(unsigned)) };
  const { settings } = options;
  return {
    scheduleId: dailyRiskScheduleId(options.taskQueue),
    spec: {
      calendars: [{ hour: settings.hour, minute: settings.minute, dayOfWeek: [...settings.days], comment: 'daily risk check' }],
      timezone: settings.timeZone,
    },
    action: { type: 'startWorkflow', workflowType: 'dailyRiskWorkflow', taskQueue: options.taskQueue, args: [command] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: `${settings.catchupWindowMinutes} minutes` },
  };
}

/**
 * Creates the deployment's `daily-risk` Schedule or brings it up to date (spec, action, policies),
 * keeping its paused state and notes: `temporal schedule toggle --pause` survives a restart.
 */
export async function ensureDailyRiskSchedule(client: Client, options: { taskQueue: string; settings: DailyRiskConfig; signer: CommandSigner; now: Date }): Promise<'created' | 'updated'> {
  return upsertSchedule(client, dailyRiskScheduleOptions(options));
}
