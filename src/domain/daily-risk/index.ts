/** The daily risk run's pure core: a portfolio's day judged, breaches latched into trading states, protections, run dates. */
export * from './limit-breaches';
export * from './portfolio-day';
export * from './protections';
export * from './run-dates';
