/**
 * Strategy presets: complete plans every field of which a request may override (a request's
 * field replaces the preset's field whole; `null` removes it). Fractions of the entry price.
 *
 * The arbitrage preset's take-profit (1 %) lies below its last two ladder levels (+1.2 %,
 * +1.5 %): as written in issue #10. The take-profit closes everything left, so with the preset as
 * it stands a rise takes 25 % at +0.5 %, 25 % at +0.8 % and the remaining 50 % at +1 %; a request
 * that wants the whole ladder overrides the take-profit (e.g. `{ "pct": "0.02" }` or `null`).
 */
export const EXIT_PRESETS = {
  arbitrage: {
    stopLoss: { pct: '0.005' },
    takeProfit: { pct: '0.01' },
    trailing: { activation: '0.005', distance: '0.002', maxDistance: '0.01' },
    ladder: [
      { profitTarget: '0.005', fraction: '0.25', moveStopTo: '0.002' },
      { profitTarget: '0.008', fraction: '0.25', moveStopTo: '0.003' },
      { profitTarget: '0.012', fraction: '0.25', moveStopTo: '0.005' },
      { profitTarget: '0.015', fraction: '0.25', moveStopTo: '0.008' },
    ],
  },
  'trend-following': {
    stopLoss: { pct: '0.03' },
    takeProfit: { pct: '0.06' },
  },
  'market-making': {
    stopLoss: { pct: '0.02' },
    takeProfit: { pct: '0.04' },
  },
} as const;

export type ExitPresetName = keyof typeof EXIT_PRESETS;
export const EXIT_PRESET_NAMES = Object.keys(EXIT_PRESETS) as ExitPresetName[];
