import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes, registered on the Temporal server at start; filter on them in the UI. */
export const PORTFOLIO_ID_ATTRIBUTE = defineSearchAttributeKey('PortfolioId', SearchAttributeType.KEYWORD);
export const SYMBOL_ATTRIBUTE = defineSearchAttributeKey('Symbol', SearchAttributeType.KEYWORD);
export const ORDER_STATUS_ATTRIBUTE = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);

export const RISKFLOW_SEARCH_ATTRIBUTES = {
  PortfolioId: 'Keyword',
  Symbol: 'Keyword',
  OrderStatus: 'Keyword',
} as const;
