import { condition, defineUpdate, proxyLocalActivities, setHandler } from '@temporalio/workflow';

export const pingUpdate = defineUpdate<string>('ping');

/** The ceiling: a workflow that answers its update at once and ends. Nothing can be faster. */
export async function ceilingWorkflow(): Promise<void> {
  let answered = false;
  setHandler(pingUpdate, () => {
    answered = true;
    return 'pong';
  });
  await condition(() => answered);
}

const { decideInFirstTask } = proxyLocalActivities<{ decideInFirstTask(ms: number): Promise<string> }>({ startToCloseTimeout: '10 seconds' });

/** The ceiling plus one local activity in its first task, answered with the activity's result: the shape of an order's decision. */
export async function ceilingWithLocalActivityWorkflow(activityMs: number): Promise<void> {
  const decided = decideInFirstTask(activityMs);
  setHandler(pingUpdate, () => decided);
  await decided;
}
