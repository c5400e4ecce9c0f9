import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { PlannedRebalance } from '../../activities/rebalance.activities';
import {
  awaitPlanUpdate, decideRebalanceUpdate, REBALANCE_MESSAGE_FAILURES, rebalanceWorkflowId,
  type RebalanceDecisionCommand, type RebalanceDecisionRecord, type RebalancePlanDto, type RebalanceState, type StartRebalanceCommand,
} from '../../src/contracts/rebalance-contracts';
import { recordHistory } from '../support/recorded-histories';
import { CallLog, gate, mockActivities, waitUntil, withMockedWorker } from '../support/workflow-harness';

const PLAN_VERSION = 'sha256:plan-1';

const command = (approvalDeadlineSeconds = 60): StartRebalanceCommand => ({
  rebalanceId: randomUUID(), portfolioId: randomUUID(), mode: 'manual', method: { kind: 'target-weights', targets: {} } as unknown as StartRebalanceCommand['method'],
  settings: {} as StartRebalanceCommand['settings'], approvalDeadlineSeconds, requestedBy: 'trader-1', issuedAt: new Date().toISOString(), signature: 'checked-by-the-mocked-activity',
});

const decision = (cmd: StartRebalanceCommand, kind: 'approve' | 'reject', decidedBy: string): RebalanceDecisionCommand => ({
  rebalanceId: cmd.rebalanceId, decision: kind, planVersion: PLAN_VERSION, comment: kind === 'reject' ? 'not today' : null, decidedBy, issuedAt: new Date().toISOString(), signature: 'checked-by-the-mocked-activity',
});

/** Waits until `log` holds `count` calls of `name` (the activity has started). */
async function calledTimes(log: CallLog, name: string, count: number): Promise<void> {
  await waitUntil(() => log.names().filter((n) => n === name).length >= count);
  expect(log.names().filter((n) => n === name)).toHaveLength(count);
}

/**
 * The activities of a rebalance with a plan waiting for `approvalsRequired` approvers and no legs;
 * the check of a decision's signature waits at `held` (it records the decision as it returns).
 */
function rebalanceActivities(log: CallLog, held: { wait: () => Promise<void> }, approvalsRequired = 1) {
  const planned: PlannedRebalance = {
    status: 'PENDING_APPROVAL', plan: { version: PLAN_VERSION, legs: [] } as unknown as RebalancePlanDto, reason: null, approvalsRequired,
  };
  return mockActivities({
    planPortfolioRebalance: async () => planned,
    acceptRebalanceDecision: log.record('acceptRebalanceDecision', async (_id: string, d: RebalanceDecisionCommand): Promise<RebalanceDecisionRecord> => {
      await held.wait();
      return { decision: d.decision, decidedBy: d.decidedBy, planVersion: d.planVersion, comment: d.comment, decidedAt: new Date(0).toISOString() };
    }),
    marketOpenForRebalance: async () => ({ open: true, closed: [], opensAt: null, waitMs: null }),
    revalidateRebalance: async () => ({ stale: false }),
    signRebalanceLegs: async () => [],
    recordRebalanceProgress: async () => undefined,
  });
}

async function start(client: Client, taskQueue: string, cmd: StartRebalanceCommand) {
  const handle = await client.workflow.start('rebalanceWorkflow', { workflowId: rebalanceWorkflowId(cmd.rebalanceId), taskQueue, args: [cmd] });
  expect((await handle.executeUpdate(awaitPlanUpdate)).status).toBe('PENDING_APPROVAL');
  return handle;
}

/** The failure type a refused update carries (a refusal comes at once: one still waiting after 10 s was accepted). */
async function refusedWith(update: Promise<unknown>): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const accepted = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('accepted: still waiting after 10 s'), 10_000);
  });
  const err = await Promise.race([update.then(() => 'accepted and answered', (e: unknown) => e), accepted]).finally(() => clearTimeout(timer));
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return ((err as WorkflowUpdateFailedError).cause as { type?: string } | undefined)?.type;
}

/** Waits until the workflow's approval deadline timer has fired (its history shows it). */
async function deadlineFired(handle: WorkflowHandle): Promise<void> {
  const started = Date.now();
  while (!(await handle.fetchHistory()).events?.some((e) => e.timerFiredEventAttributes)) {
    if (Date.now() - started > 20_000) throw new Error('the deadline timer did not fire');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('rebalance workflow with mock activities: decisions that arrive together', () => {
  it('when a rejection arrives while an approval is being checked, then the rejection is refused before anything is recorded and the approval decides', async () => {
    const cmd = command();
    const log = new CallLog();
    const held = gate();
    const result = await withMockedWorker(rebalanceActivities(log, held), async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, cmd);
      const approval = handle.executeUpdate(decideRebalanceUpdate, { args: [decision(cmd, 'approve', 'approver-1')] });
      await calledTimes(log, 'acceptRebalanceDecision', 1);
      expect(await refusedWith(handle.executeUpdate(decideRebalanceUpdate, { args: [decision(cmd, 'reject', 'approver-2')] }))).toBe(REBALANCE_MESSAGE_FAILURES.RebalanceNotPending);
      held.open();
      await approval;
      return (await handle.result()) as RebalanceState;
    });
    expect(result.status).toBe('COMPLETED');
    expect(result.decisions.map((d) => [d.decision, d.decidedBy])).toEqual([['approve', 'approver-1']]);
    expect(log.calls.map((c) => (c.args[1] as RebalanceDecisionCommand).decidedBy)).toEqual(['approver-1']);
  });

  it('when the same approver approves twice at once a plan that needs two, then the second is refused as already approved', async () => {
    const cmd = command();
    const log = new CallLog();
    const held = gate();
    await withMockedWorker(rebalanceActivities(log, held, 2), async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, cmd);
      const first = handle.executeUpdate(decideRebalanceUpdate, { args: [decision(cmd, 'approve', 'approver-1')] });
      await calledTimes(log, 'acceptRebalanceDecision', 1);
      expect(await refusedWith(handle.executeUpdate(decideRebalanceUpdate, { args: [decision(cmd, 'approve', 'approver-1')] }))).toBe(REBALANCE_MESSAGE_FAILURES.AlreadyApproved);
      held.open();
      expect((await first).status).toBe('PENDING_APPROVAL');
      await handle.terminate('the test is done');
    });
    expect(log.calls).toHaveLength(1);
  });

  it('when two approvers approve at once a plan that needs two, then both are recorded and the plan is approved', async () => {
    const cmd = command();
    const log = new CallLog();
    const held = gate();
    const result = await withMockedWorker(rebalanceActivities(log, held, 2), async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, cmd);
      const first = handle.executeUpdate(decideRebalanceUpdate, { args: [decision(cmd, 'approve', 'approver-1')] });
      await calledTimes(log, 'acceptRebalanceDecision', 1);
      const second = handle.executeUpdate(decideRebalanceUpdate, { args: [decision(cmd, 'approve', 'approver-2')] });
      await calledTimes(log, 'acceptRebalanceDecision', 2);
      // A third decision meets two approvals in flight that already decide the plan.
      expect(await refusedWith(handle.executeUpdate(decideRebalanceUpdate, { args: [decision(cmd, 'reject', 'approver-3')] }))).toBe(REBALANCE_MESSAGE_FAILURES.RebalanceNotPending);
      held.open();
      await Promise.all([first, second]);
      return (await handle.result()) as RebalanceState;
    });
    expect(result.status).toBe('COMPLETED');
    expect(result.decisions.map((d) => d.decidedBy).sort()).toEqual(['approver-1', 'approver-2']);
  });

  it('when the deadline passes while a decision that arrived in time is being checked, then it counts, and a decision arriving after the deadline is refused', async () => {
    const cmd = command(2);
    const log = new CallLog();
    const held = gate();
    const result = await withMockedWorker(rebalanceActivities(log, held), async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, cmd);
      const approval = handle.executeUpdate(decideRebalanceUpdate, { args: [decision(cmd, 'approve', 'approver-1')] });
      await calledTimes(log, 'acceptRebalanceDecision', 1);
      await deadlineFired(handle);
      expect(await refusedWith(handle.executeUpdate(decideRebalanceUpdate, { args: [decision(cmd, 'reject', 'approver-2')] }))).toBe(REBALANCE_MESSAGE_FAILURES.RebalanceNotPending);
      held.open();
      expect((await approval).status).not.toBe('PENDING_APPROVAL');
      const state = (await handle.result()) as RebalanceState;
      await recordHistory(handle, 'rebalance-decided-at-deadline');
      return state;
    });
    expect(result.status).toBe('COMPLETED');
    expect(result.decisions.map((d) => [d.decision, d.decidedBy])).toEqual([['approve', 'approver-1']]);
    expect(log.calls).toHaveLength(1);
  });

  it('when the deadline passes with no decision in flight, then the rebalance expires at once', async () => {
    const cmd = command(1);
    const log = new CallLog();
    const held = gate();
    held.open();
    const result = await withMockedWorker(rebalanceActivities(log, held), async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, cmd);
      return (await handle.result()) as RebalanceState;
    });
    expect(result.status).toBe('EXPIRED');
    expect(result.decisions).toEqual([]);
    expect(log.calls).toHaveLength(0);
  });
});
