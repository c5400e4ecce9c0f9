/** The daily risk run's pure core: a portfolio's day judged, breaches latched into trading states, protections, run dates. */
export * from './day-beta-exposure';
export * from './day-risk-budgets';
export * from './limit-breaches';
export * from './portfolio-day';
export * from './protections';
export * from './run-dates';
export * from './de-risking-proposal';
