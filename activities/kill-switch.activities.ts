import { ApplicationFailure, Context } from '@temporalio/activity';
import { cancelOrderSignedFields, killSwitchSignedFields } from '../src/contracts/command-signatures';
import { killSwitchWorkflowId, type HaltedScope, type KillSwitchCommand, type KillSwitchEngaged, type KillSwitchCancelOutcome } from '../src/contracts/kill-switch-contracts';
import { FAILURE_TYPES } from '../src/contracts/failure-types';
import { toTradingStateView } from '../src/contracts/risk-limit-views';
import type { AuditLog } from '../src/ports/audit.port';
import type { Clock } from '../src/ports/clock.port';
import type { CommandSigner, CommandVerifier } from '../src/ports/command-signature.port';
import type { KillSwitchReads } from '../src/ports/daily-risk.port';
import type { OrderCancellation } from '../src/ports/order-cancellation.port';
import type { RiskLimitsPort } from '../src/ports/risk-limits.port';
import { failFast } from './activity-failures';
import { currentExecution, refuseCommand } from './command-acceptance';

export interface KillSwitchActivityDeps {
  readonly verifier: CommandVerifier;
  readonly signer: CommandSigner;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly riskLimits: Pick<RiskLimitsPort, 'setTradingState'>;
  readonly killSwitch: KillSwitchReads;
  readonly orderCancellation: OrderCancellation;
}

/** The kill switch's activities: accept and halt (one side effect: the states), then cancel each open order. */
export function createKillSwitchActivities(deps: KillSwitchActivityDeps) {
  const { verifier, signer, audit, clock, riskLimits, killSwitch, orderCancellation } = deps;
  return {
    /**
     * Accepts the signed kill switch (refusals audited), halts its scope (each state change audited
     * and queued for the webhooks) and answers the open orders to cancel. Safe to retry: a second
     * halt of a halted scope changes nothing and announces nothing.
     */
    async engageKillSwitch(command: KillSwitchCommand): Promise<KillSwitchEngaged> {
      return failFast(async () => {
        const execution = currentExecution(Context.current().info);
        const refusal = !verifier.verify('kill-switch', killSwitchSignedFields(command), command.signature)
          ? 'the signature is missing or does not match the command'
          : killSwitchWorkflowId(command.killId) !== execution.workflowId ? `the command is for ${killSwitchWorkflowId(String(command.killId))}, not ${execution.workflowId}` : null;
        if (refusal !== null) throw await refuseCommand(audit, 'kill-switch', { type: 'kill-switch', id: execution.workflowId }, command.requestedBy, refusal, execution);
        const reason = `kill switch: ${command.reason}`;
        const halted = { portfolios: [] as HaltedScope[], accounts: [] as HaltedScope[] };
        const deliveryIds: string[] = [];
        const halt = async (scope: 'portfolio' | 'account', id: string) => {
          const changed = await riskLimits.setTradingState(scope, id, 'HALTED', reason, command.requestedBy);
          // A scope the books do not hold: the same command would meet it again.
          if (changed === null) throw ApplicationFailure.create({ type: FAILURE_TYPES.InvalidCommand, message: `${scope} ${id} does not exist`, nonRetryable: true });
          if (scope === 'portfolio') halted.portfolios.push({ portfolioId: id, ...toTradingStateView(changed) });
          else halted.accounts.push({ accountId: id, ...toTradingStateView(changed) });
          deliveryIds.push(...changed.deliveryIds);
        };
        const { scope } = command;
        if ('portfolioId' in scope) await halt('portfolio', scope.portfolioId);
        for (const id of 'accountId' in scope ? [scope.accountId] : 'all' in scope ? await killSwitch.accountIds() : []) await halt('account', id);
        return { halted, openOrders: await killSwitch.openOrders(scope), deliveryIds };
      });
    },

    /** Cancels one open order through its workflow with a cancel signed in the kill switch's principal's name. */
    async cancelOrderForKillSwitch(request: { orderId: string; requestedBy: string }): Promise<KillSwitchCancelOutcome> {
      const cancel = { requestedBy: request.requestedBy, issuedAt: clock.now().toISOString() };
      return orderCancellation.cancel(request.orderId, { ...cancel, signature: signer.sign('cancel-order', cancelOrderSignedFields(request.orderId, cancel)) });
    },
  };
}

export type KillSwitchActivities = ReturnType<typeof createKillSwitchActivities>;
