import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes: filter on them in the Temporal UI. Registered on the server at start. */
export const PORTFOLIO_ID_ATTRIBUTE = defineSearchAttributeKey('PortfolioId', SearchAttributeType.KEYWORD);
export const SYMBOL_ATTRIBUTE = defineSearchAttributeKey('Symbol', SearchAttributeType.KEYWORD);
export const ORDER_STATUS_ATTRIBUTE = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);
export const REBALANCE_STATUS_ATTRIBUTE = defineSearchAttributeKey('RebalanceStatus', SearchAttributeType.KEYWORD);
export const EXIT_STATUS_ATTRIBUTE = defineSearchAttributeKey('ExitStatus', SearchAttributeType.KEYWORD);

/** The one table of Riskflow's search attributes; registration derives names and types from it. */
export const RISKFLOW_SEARCH_ATTRIBUTES = [PORTFOLIO_ID_ATTRIBUTE, SYMBOL_ATTRIBUTE, ORDER_STATUS_ATTRIBUTE, REBALANCE_STATUS_ATTRIBUTE, EXIT_STATUS_ATTRIBUTE] as const;
