import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ExitPlanRequestDto, ExitStateDto } from './exit-contracts';
import type { PlaceOrderCommand } from './order-contracts';

/** Starts the exit workflow of one position; signed by the gateway (or by the worker, for an order's exit plan). */
export interface StartExitCommand {
  readonly positionId: string;
  readonly portfolioId: string;
  readonly symbol: string;
  readonly plan: ExitPlanRequestDto;
  /** Close everything at once (`POST /v1/positions/:id/close` on a position without an exit workflow). */
  readonly closeNow: boolean;
  readonly requestedBy: string;
  readonly issuedAt: string;
  readonly signature: string;
  /** Continue as new past this many history events (the default is the server's suggestion); tests make it small. */
  readonly historyEventLimit?: number;
}

export type ExitAction = 'amend' | 'close' | 'pause' | 'resume';

/** A person's command to a running exit: amend its plan, close now, pause, resume. Signed by the gateway. */
export interface ExitCommand {
  readonly positionId: string;
  readonly action: ExitAction;
  /** For `amend`: the parts of the plan that change. */
  readonly amendment: ExitPlanRequestDto | null;
  readonly requestedBy: string;
  readonly issuedAt: string;
  readonly signature: string;
}

/** What an exit workflow shows: the position, the plan and its progress. */
export interface ExitView {
  readonly positionId: string;
  readonly portfolioId: string;
  readonly symbol: string;
  readonly workflowId: string;
  readonly state: ExitStateDto;
}

/** A tranche the workflow sends now: its order, signed by the worker for the order path. */
export interface ExitTrancheOrder {
  readonly trancheId: string;
  readonly order: PlaceOrderCommand;
}

/** What one step of an exit yields: the state after it and the tranches to send. */
export interface ExitStep {
  readonly state: ExitStateDto;
  readonly orders: readonly ExitTrancheOrder[];
}

export const exitStateQuery = defineQuery<ExitView>('exitState');
/** Answers once the exit has started (its plan resolved and stored): sent with update-with-start. */
export const awaitExitStartedUpdate = defineUpdate<ExitView>('awaitExitStarted');
/** Every command answers with the exit after it took effect; a refused one fails the update with its reason. */
export const amendExitPlanUpdate = defineUpdate<ExitView, [ExitCommand]>('amendExitPlan');
export const closePositionUpdate = defineUpdate<ExitView, [ExitCommand]>('closePosition');
export const pauseExitUpdate = defineUpdate<ExitView, [ExitCommand]>('pauseExit');
export const resumeExitUpdate = defineUpdate<ExitView, [ExitCommand]>('resumeExit');

/** Failure types of exit commands (stable; the gateway maps them to HTTP). */
export const EXIT_MESSAGE_FAILURES = {
  ExitClosed: 'ExitClosed',
  ExitCommandRefused: 'ExitCommandRefused',
  ExitPositionMismatch: 'ExitPositionMismatch',
} as const;
