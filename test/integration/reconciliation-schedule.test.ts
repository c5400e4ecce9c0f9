import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { createHmacCommandSignature } from '../../src/adapters/security/hmac-command-signature';
import { reconciliationScheduleId } from '../../src/contracts/reconciliation-contracts';
import { ensureReconciliationSchedule } from '../../src/system/reconciliation-schedule';
import { temporalAddress } from '../support/test-system';

describe('the reconcile-orders schedule', () => {
  it('when the default queue\'s schedule is named, then it is reconcile-orders; another queue gets its own', () => {
    expect(reconciliationScheduleId('riskflow-orders')).toBe('reconcile-orders');
    expect(reconciliationScheduleId('tenant-b')).toBe('reconcile-orders@tenant-b');
  });

  it('when it is ensured twice with another interval, then it is created once and updated, one run at a time', async () => {
    const connection = await Connection.connect({ address: temporalAddress() });
    const client = new Client({ connection });
    try {
      const signer = createHmacCommandSignature(randomBytes(32));
      const options = { taskQueue: 'schedule-test', signer, now: new Date() };
      expect(await ensureReconciliationSchedule(client, { ...options, intervalMinutes: 5 })).toBe('created');
      expect(await ensureReconciliationSchedule(client, { ...options, intervalMinutes: 7 })).toBe('updated');
      const described = await client.schedule.getHandle(reconciliationScheduleId('schedule-test')).describe();
      expect(described.spec.intervals?.map((i) => i.every)).toEqual([7 * 60_000]);
      expect(described.policies.overlap).toBe('SKIP');
      expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'reconcileOrdersWorkflow', taskQueue: 'schedule-test' });
    } finally {
      await client.schedule.getHandle(reconciliationScheduleId('schedule-test')).delete().catch(() => undefined);
      await connection.close();
    }
  });
});
