// The worker's workflows plus the ceiling workflow, bundled together for the benchmark.
export * from '../workflows';
export { ceilingWorkflow, ceilingWithLocalActivityWorkflow } from './ceiling.workflow';
