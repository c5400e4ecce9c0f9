/**
 * The analytics engine's public surface (pure; run as math activities). Endpoints map to:
 *   POST /v1/analytics/risk         → riskReport
 *   POST /v1/analytics/performance  → performanceMetrics (rollingPerformance for the rolling variant)
 *   POST /v1/analytics/attribution  → linkedAttribution (one period or many)
 *   POST /v1/analytics/risk-budget  → evaluateRiskBudget (entitiesFromPositions to build entities)
 * Every input error is an AnalyticsInputError with a stable code and the field it concerns (→ 400).
 */
export { AnalyticsInputError, type AnalyticsErrorCode } from './analytics-input-error';
export { riskReport, type RiskReport, type RiskReportInput, type SeriesRiskInput, type PortfolioRiskInput, type AssetRiskContribution } from './risk/risk-report';
export { tailRisk, historicalVar, historicalExpectedShortfall, parametricVar, parametricExpectedShortfall, type TailRisk, type ByConfidence } from './risk/tail-risk';
export { maxDrawdown, type MaxDrawdown, type DrawdownDates } from './risk/drawdown';
export { betaAdjustedExposure, sectorExposure, concentration, type ExposurePosition, type BetaAdjustedExposure, type SectorExposure, type Concentration } from './risk/exposure';
export { riskContributions, componentVar, type RiskContributions } from './risk/risk-contributions';
export { stressTest, type StressScenario, type StressResult } from './risk/stress-scenarios';
export { performanceMetrics, type PerformanceMetrics, type PerformanceOptions } from './performance/performance-metrics';
export { rollingPerformance, ROLLING_METRICS, type RollingWindow, type RollingOptions } from './performance/rolling-performance';
export { brinsonAttribution, type AttributionHolding, type AttributionPeriodInput, type AttributionOptions, type BrinsonMethod, type PeriodAttribution, type GroupAttribution } from './attribution/brinson-attribution';
export { linkedAttribution, type LinkedAttribution, type LinkedAttributionOptions } from './attribution/linked-attribution';
export { holdingContributions, rankContributions, type Contribution, type RankedContributions } from './attribution/top-contributors';
export { linkingMultipliers, type LinkingMethod } from './attribution/multi-period-linking';
export { evaluateRiskBudget, entitiesFromPositions, PORTFOLIO_ID, type BudgetEntity, type RiskBudgetDefinition, type RiskBudgetEvaluation, type EntityBudget } from './risk-budget/risk-budget';
export { ALLOCATION_TYPES, allocationShares, type AllocationType, type BudgetAllocation } from './risk-budget/budget-allocation';
export { BUDGET_METRICS, type BudgetMetric, type UsageBasis } from './risk-budget/risk-usage';
