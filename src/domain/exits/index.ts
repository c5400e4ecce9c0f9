export * from './exit-plan';
export * from './exit-plan-error';
export * from './exit-plan-request';
export * from './exit-presets';
export * from './exit-state';
