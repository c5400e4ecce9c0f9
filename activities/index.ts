import { createOrderActivities, type OrderActivityDeps } from './order.activities';

export type ActivityDeps = OrderActivityDeps;

/** Every activity the worker registers, built over its ports. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createOrderActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
