// The model's sensitivity as the options page offers it: five plain steps
// from "most findings" to "fewest false alarms", each a threshold on the
// post's calibrated probability. The middle step is the model file's own
// threshold for the script (chosen on the development split); each step
// away moves it by a fixed amount in log-odds, so the steps mean the same
// for a script whose threshold is 0.14 and one whose threshold is 0.5.

/** Steps, 0 (most findings) .. LEVELS - 1 (fewest false alarms). */
export const LEVELS = 5;
/** The model's own threshold. */
export const DEFAULT_LEVEL = 2;
/** Log-odds between two steps. */
const STEP = 0.7;

const logit = (/** @type {number} */ p) => Math.log(p / (1 - p));
const sigmoid = (/** @type {number} */ x) => 1 / (1 + Math.exp(-x));

/**
 * The threshold of a step, for a model whose own threshold is `base`
 * (rounded to 3 decimals, within the engine's 0.01-0.99).
 * @param {number} base
 * @param {number} level
 */
export function levelThreshold(base, level) {
  const x = logit(Math.min(0.99, Math.max(0.01, base))) + (level - DEFAULT_LEVEL) * STEP;
  return Math.round(Math.min(0.99, Math.max(0.01, sigmoid(x))) * 1000) / 1000;
}

/**
 * The step nearest a stored threshold (a threshold set by hand, or for an
 * older model file, shows as the nearest step).
 * @param {number} base
 * @param {number|undefined} threshold  undefined: the model's own
 */
export function levelOf(base, threshold) {
  if (threshold === undefined) return DEFAULT_LEVEL;
  let best = DEFAULT_LEVEL;
  let gap = Infinity;
  for (let l = 0; l < LEVELS; l++) {
    const d = Math.abs(logit(levelThreshold(base, l)) - logit(Math.min(0.99, Math.max(0.01, threshold))));
    if (d < gap) {
      gap = d;
      best = l;
    }
  }
  return best;
}
