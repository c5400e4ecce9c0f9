import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { createHmacCommandSignature } from '../../src/adapters/security/hmac-command-signature';
import { dailyRiskSignedFields } from '../../src/contracts/command-signatures';
import { dailyRiskScheduleId, type DailyRiskCommand } from '../../src/contracts/daily-risk-contracts';
import type { DailyRiskConfig } from '../../src/config/config';
import { ensureDailyRiskSchedule } from '../../src/system/daily-risk-schedule';
import { temporalAddress } from '../support/test-system';

const settings: DailyRiskConfig = {
  scheduleEnabled: true, hour: 21, minute: 0, days: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], timeZone: 'UTC',
  catchupWindowMinutes: 180, concurrency: 16, lookbackDays: 252,
};

describe('the daily-risk schedule', () => {
  it('when it is ensured twice with another time and zone, then it is created once and updated: a calendar in the zone, overlap SKIP, the catch-up window, a signed command', async () => {
    const connection = await Connection.connect({ address: temporalAddress() });
    const client = new Client({ connection });
    const taskQueue = `daily-risk-schedule-${Date.now()}`;
    const signer = createHmacCommandSignature(randomBytes(32));
    try {
      expect(await ensureDailyRiskSchedule(client, { taskQueue, settings, signer, now: new Date() })).toBe('created');
      await client.schedule.getHandle(dailyRiskScheduleId(taskQueue)).pause('paused by an operator');
      expect(await ensureDailyRiskSchedule(client, { taskQueue, settings: { ...settings, hour: 17, minute: 30, timeZone: 'America/New_York', catchupWindowMinutes: 60 }, signer, now: new Date() })).toBe('updated');
      const described = await client.schedule.getHandle(dailyRiskScheduleId(taskQueue)).describe();
      expect(described.spec.timezone).toBe('America/New_York');
      expect(described.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 17, end: 17, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] });
      const days = described.spec.calendars?.[0]?.dayOfWeek as Array<{ start: string; end: string }>;
      expect(days.map((r) => `${r.start}-${r.end}`)).toEqual(['MONDAY-MONDAY', 'TUESDAY-TUESDAY', 'WEDNESDAY-WEDNESDAY', 'THURSDAY-THURSDAY', 'FRIDAY-FRIDAY']);
      expect(described.policies.overlap).toBe('SKIP');
      expect(described.policies.catchupWindow).toBe(60 * 60_000);
      // An operator's pause survives the worker's restart.
      expect(described.state.paused).toBe(true);
      expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'dailyRiskWorkflow', taskQueue });
      const [command] = (described.action as { args: DailyRiskCommand[] }).args;
      expect(signer.verify('daily-risk', dailyRiskSignedFields(command!), command!.signature)).toBe(true);
      expect(command).toMatchObject({ requestedBy: 'daily-risk-schedule' });
      expect(command).not.toHaveProperty('date');
    } finally {
      await client.schedule.getHandle(dailyRiskScheduleId(taskQueue)).delete().catch(() => undefined);
      await connection.close();
    }
  });
});
