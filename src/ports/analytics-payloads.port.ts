/** Where large analytics inputs and results wait while a workflow refers to them. */
export interface AnalyticsPayloads {
  /** Stores JSON text under `id` (compressed); storing the same id again keeps the first. */
  store(id: string, json: string): Promise<void>;
  /** The JSON text stored under `id`, or null. */
  load(id: string): Promise<string | null>;
}
