/** Workers say they are alive; the gateway's health asks when one last did. */
export interface WorkerPresence {
  /** Records that this worker is alive now. */
  beat(workerId: string, taskQueue: string, at: Date): Promise<void>;
  /** When a worker of the task queue was last alive, or null when none ever was. */
  lastSeen(taskQueue: string): Promise<Date | null>;
  /** Forgets a worker that stops in order. */
  leave(workerId: string): Promise<void>;
}
