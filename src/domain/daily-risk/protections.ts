/**
 * Protections in the freqtrade sense. Stop-out cooldown: after `limit` stop-outs within the
 * lookback, new entries are blocked until `cooldownMinutes` after the last one (the portfolio is
 * REDUCING for that long, then ACTIVE again unless something else changed its state). The drawdown
 * lock is the daily run's MAX_DRAWDOWN limit (REDUCING by default), latched until an admin resets it.
 */
export interface CooldownSettings {
  readonly stopOutLimit: number | null;
  readonly stopOutLookbackMinutes: number;
  readonly cooldownMinutes: number;
}

export type CooldownDecision = { readonly cooldown: false } | { readonly cooldown: true; readonly until: Date; readonly reason: string };

/** Whether the stop-outs (times, any order) start a cooldown at `now`. */
export function cooldownAfterStopOuts(stopOutTimes: readonly Date[], settings: CooldownSettings, now: Date): CooldownDecision {
  if (settings.stopOutLimit === null) return { cooldown: false };
  const since = now.getTime() - settings.stopOutLookbackMinutes * 60_000;
  const recent = stopOutTimes.filter((t) => t.getTime() > since && t.getTime() <= now.getTime());
  if (recent.length < settings.stopOutLimit) return { cooldown: false };
  const last = Math.max(...recent.map((t) => t.getTime()));
  const until = new Date(last + settings.cooldownMinutes * 60_000);
  return {
    cooldown: true, until,
    reason: `protection: ${recent.length} stop-outs within ${settings.stopOutLookbackMinutes} minutes; new entries blocked until ${until.toISOString()}`,
  };
}
