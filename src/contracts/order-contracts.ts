import type { ExitPlanRequestDto } from './exit-contracts';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OrderSide, OrderStatus, OrderType } from '../domain/orders/order';
import type { RiskReason } from '../domain/risk/risk-decision';
import type { TradingSignal } from '../domain/signals/trading-signal';
import type { DecimalString } from '../domain/values/decimal';

/** What the gateway hands the order workflow. Every amount is a decimal string. */
export interface PlaceOrderCommand {
  readonly orderId: string;
  readonly portfolioId: string;
  readonly clientRequestId: string | null;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: DecimalString;
  readonly limitPrice: DecimalString | null;
  /** false: validate only, never reach the broker. */
  readonly execute: boolean;
  /** The principal the gateway authenticated. */
  readonly requestedBy: string;
  // Absent, not null, when not given: a command signed before these fields existed verifies the same.
  /** The strategy the order belongs to (counts against its open positions). */
  readonly strategyId?: string;
  /** The strategy's view behind the order: checked for confidence, direction and edge. */
  readonly signal?: TradingSignal;
  /** The stops the resulting position is to carry, for its exit workflow. */
  readonly stops?: { readonly stopLoss: DecimalString | null; readonly takeProfit: DecimalString | null };
  /** The exit plan the position gets once the order fills: its exit workflow starts then. */
  readonly exitPlan?: ExitPlanRequestDto;
  /** EXIT: a risk-reducing exit (exit workflows set it); it passes a HALTED trading state when it reduces a position. Signed like every field. */
  readonly purpose?: 'EXIT';
  /** The order workflow's revision the command was issued for (ORDER_WORKFLOW_REVISION); absent from older commands. */
  readonly workflowRevision?: number;
  /** When the gateway issued the command (ISO 8601). */
  readonly issuedAt: string;
  /** The gateway's signature over every other field (see command-signatures.ts). */
  readonly signature: string;
}

/**
 * The order workflow's steps as they are today (the collar checked again in the step that sends the
 * order, bookings in the workflow task, verified cancels, exit plans on fill). A command that names
 * this revision runs them without asking a patch: each patch marker also upserts a search attribute,
 * a visibility write on the Temporal server for every order. A command without it (an order started
 * before, a rebalance's or an exit's leg) asks the patch.
 */
export const ORDER_WORKFLOW_REVISION = 2;

/** A cancel as the gateway sends it: who asks, when, signed over the order id and both. */
export interface CancelOrderCommand {
  readonly requestedBy: string;
  readonly issuedAt: string;
  readonly signature: string;
}

export interface RiskDecisionDto {
  readonly approved: boolean;
  readonly reasons: readonly RiskReason[];
  readonly referencePrice: DecimalString | null;
  readonly estimatedNotional: DecimalString | null;
  readonly evaluatedAt: string;
  /** What the decision assumed or could not check. */
  readonly notes?: readonly string[];
  /** What the order's signal promised against its costs. */
  readonly signal?: SignalAssessmentDto;
}

export interface SignalAssessmentDto {
  readonly strategyId: string;
  readonly confidence: number;
  readonly directionalEdge: number | null;
  readonly expectedEdge: DecimalString | null;
  readonly expectedCost: DecimalString | null;
}

export interface OrderFillDto {
  readonly fillId: string;
  readonly quantity: DecimalString;
  readonly price: DecimalString;
  readonly fee: DecimalString;
  readonly executedAt: string;
}

/** The order as the workflow knows it; the gateway answers with this. */
export interface OrderProgress {
  readonly orderId: string;
  readonly status: OrderStatus;
  readonly decision: RiskDecisionDto | null;
  readonly filledQuantity: DecimalString;
  readonly averageFillPrice: DecimalString | null;
  readonly rejectionReason: string | null;
  /** When the books recorded the order and last changed it (ISO 8601); absent from progress recorded before they were carried. */
  readonly createdAt?: string;
  readonly updatedAt?: string;
}

/** Waits for the pre-trade decision; sent with update-with-start so the answer is in history. */
export const awaitRiskDecisionUpdate = defineUpdate<OrderProgress>('awaitRiskDecision');
/** Cancels a resting order; the answer is the order after the attempt. */
export const cancelOrderUpdate = defineUpdate<OrderProgress, [CancelOrderCommand]>('cancelOrder');
/** The market for the order's symbol moved: a resting order checks whether it can fill. */
export const marketMovedSignal = defineSignal('marketMoved');
export const orderProgressQuery = defineQuery<OrderProgress>('orderProgress');
