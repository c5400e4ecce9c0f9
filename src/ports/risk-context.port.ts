import type { OrderProgress } from '../contracts/order-contracts';
import type { OrderSide, OrderType } from '../domain/orders/order';
import type { RiskContextInput } from '../domain/risk/risk-context';
import type { RiskDecision, RiskReason } from '../domain/risk/risk-decision';
import type { SubmissionCheckInput } from '../domain/risk/submission-check';
import type { TradingSignal } from '../domain/signals/trading-signal';
import type { Price } from '../domain/values/price';
import type { Quantity } from '../domain/values/quantity';

/** An order to record and decide. */
export interface OrderToDecide {
  readonly orderId: string;
  readonly workflowId: string;
  readonly portfolioId: string;
  readonly clientRequestId: string | null;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: Quantity;
  readonly limitPrice: Price | null;
  /** false: validate only. */
  readonly execute: boolean;
  readonly requestedBy: string;
  /** The workflow run that decides it: the same command presented by another run is a replay. */
  readonly workflowRunId: string;
  readonly strategyId: string | null;
  readonly signal: TradingSignal | null;
  /** The stops the resulting position is to carry. */
  readonly stopLoss: Price | null;
  readonly takeProfit: Price | null;
  /** EXIT: a risk-reducing exit, which the trading-state gate lets through a halt when it reduces. */
  readonly purpose?: 'EXIT';
}

/** The portfolio's state as loaded under its lock: everything the engine needs but the costs and the time. */
export type RiskSnapshot = Omit<RiskContextInput, 'costs' | 'asOf'>;

/** Decides from a snapshot: pure and fast, since it runs while the portfolio is locked. */
export type DecideOrder = (snapshot: RiskSnapshot) => RiskDecision;

/** Checks an approved order once more just before it goes to the broker; reasons to stop it, or none. */
export type CheckAtSubmission = (input: Omit<SubmissionCheckInput, 'asOf'>) => readonly RiskReason[];

/** An order to check without recording or reserving anything. */
export type OrderToEvaluate = Omit<OrderToDecide, 'orderId' | 'workflowId' | 'workflowRunId' | 'clientRequestId' | 'execute' | 'requestedBy'>;

export interface RiskContextPort {
  /**
   * Decides each order against the portfolios as they stand, independently of the others, from one
   * consistent read (a read-only snapshot transaction): nothing is recorded, locked or reserved.
   */
  evaluateOrders(orders: readonly OrderToEvaluate[], decide: DecideOrder): Promise<RiskDecision[]>;
  /**
   * The last check before the broker, once per order: an order still APPROVED that passes it is
   * cleared for submission (answered APPROVED, now and on every later call, whatever the quote does
   * since, so a retried submission never rejects an order that may be at the broker); one that fails
   * it becomes REJECTED with the reasons, under the portfolio's lock (its reservation freed,
   * audited). Any other order is answered as it stands.
   */
  confirmAtSubmission(orderId: string, check: CheckAtSubmission): Promise<OrderProgress>;
  /**
   * Records the order and its decision in one short transaction under the portfolio's row lock:
   * load the snapshot, decide, write. Two orders of one portfolio are decided one after the other
   * and each sees the other's reservation. A repeat returns the stored decision without deciding again.
   */
  decideUnderLock(order: OrderToDecide, decide: DecideOrder): Promise<OrderProgress>;
}

/** The order is recorded for another workflow run: its command is being replayed. */
export class CommandReplayedError extends Error {
  readonly code = 'COMMAND_REPLAYED';
  override readonly name = 'CommandReplayedError';
  constructor(readonly orderId: string, readonly recordedRunId: string, readonly presentedRunId: string) {
    super(`order ${orderId} was recorded by workflow run ${recordedRunId}; run ${presentedRunId} presents its command again`);
  }
}

export class PortfolioNotFoundError extends Error {
  readonly code = 'PORTFOLIO_NOT_FOUND';
  override readonly name = 'PortfolioNotFoundError';
  constructor(readonly portfolioId: string) {
    super(`portfolio ${portfolioId} does not exist`);
  }
}
