// Posts by risk: a tab's findings gathered by the post (block) they are in,
// each post given one combined score, so a moderator can work a page from
// the top down instead of through a flat list.
//
// The score treats the three kinds of signal as independent, as they are
// built: the post-level model (its calibrated probability), the packs'
// extremism findings and the donation findings. Each gives a value 0-1 and
// the post's risk is the chance that at least one is right (a "noisy OR"):
//
//   risk = 1 - (1 - model) (1 - packs) (1 - donation)
//
// A pack finding's value is its score / 100 (the engine's: 25 low, 50
// medium, 75 high, 90 critical, a little more when several rules hit the
// post). Several rules of a post combine the same way, except low-severity
// findings (bare mentions of a name): only the strongest of them counts, so
// a news post naming a group ten times is still a post with a mention.
// Pure functions: the panel uses them and tests/unit/risk.test.mjs checks them.

/**
 * @typedef {object} PanelFinding  a finding as the background lists it for the panel
 * @property {number} frameId
 * @property {number} chunk
 * @property {number} n
 * @property {number} block
 * @property {string} text
 * @property {string} post
 * @property {string} pack
 * @property {string} ruleId
 * @property {string} category
 * @property {string} severity
 * @property {string} kind
 * @property {number} score
 * @property {number} weight
 *
 * @typedef {object} Reason  one rule's findings in a post
 * @property {string} rule      pack/ruleId
 * @property {string} category
 * @property {string} severity  the highest of its findings
 * @property {string} kind
 * @property {string} text      the text of its strongest finding
 * @property {number} count
 * @property {number} value     0-1
 *
 * @typedef {object} Post
 * @property {string} key       frameId:chunk:block
 * @property {number} order     position of its first finding in the list (page order)
 * @property {number} risk      0-1
 * @property {{probability: number, words: {text: string, weight: number}[], pack: string}|null} model
 * @property {Reason[]} reasons pack findings by rule, strongest first
 * @property {boolean} mentionsOnly  no model, nothing above low severity
 * @property {string} severity  the highest severity of its findings (the model's included)
 * @property {PanelFinding} top the finding a click scrolls to
 * @property {PanelFinding[]} findings  all of them, in page order
 * @property {string} post      the start of the post's text
 * @property {string} signature changes whenever what the panel shows of the post changes
 */

export const SEVERITY_RANK = { low: 0, medium: 1, high: 2, critical: 3 };
const SEVERITIES = ['low', 'medium', 'high', 'critical'];

/** @param {number[]} values @returns {number} */
function noisyOr(values) {
  let keep = 1;
  for (const v of values) keep *= 1 - Math.min(1, Math.max(0, v));
  return 1 - keep;
}

/**
 * The posts of a list of findings, riskiest first (equal risks in page order).
 * @param {PanelFinding[]} findings  in page order
 * @param {Map<string, {fp: string, post: Post}>} [cache]  the last call's posts: a
 *   post whose findings are the same ones is not scored again (a feed's
 *   update changes a few posts of thousands). Updated in place.
 * @returns {Post[]}
 */
export function postsByRisk(findings, cache) {
  /** @type {Map<string, {order: number, list: PanelFinding[]}>} */
  const by = new Map();
  findings.forEach((f, i) => {
    const key = `${f.frameId}:${f.chunk}:${f.block}`;
    const p = by.get(key);
    if (p) p.list.push(f);
    else by.set(key, { order: i, list: [f] });
  });
  const posts = [];
  for (const [key, { order, list }] of by) {
    // A chunk's findings never change; a drop only removes some. So the
    // same count and the same first and last finding are the same findings.
    const fp = `${list.length}:${list[0].n}:${list[list.length - 1].n}`;
    const hit = cache?.get(key);
    if (hit && hit.fp === fp) {
      hit.post.order = order;
      hit.post.findings = list;
      posts.push(hit.post);
    } else {
      const p = post(key, order, list);
      cache?.set(key, { fp, post: p });
      posts.push(p);
    }
  }
  if (cache && cache.size > by.size) for (const key of cache.keys()) if (!by.has(key)) cache.delete(key);
  posts.sort((a, b) => b.risk - a.risk || a.order - b.order);
  return posts;
}

/**
 * @param {string} key
 * @param {number} order
 * @param {PanelFinding[]} list
 * @returns {Post}
 */
function post(key, order, list) {
  const words = list.filter((f) => f.kind === 'model');
  const model = words.length
    ? {
        probability: Math.max(...words.map((f) => f.score)) / 100,
        words: words.map((f) => ({ text: f.text, weight: f.weight })),
        pack: words[0].pack,
      }
    : null;
  /** @type {Map<string, Reason & {best: PanelFinding}>} */
  const rules = new Map();
  for (const f of list) {
    if (f.kind === 'model') continue;
    const rule = `${f.pack}/${f.ruleId}`;
    const value = f.score / 100;
    const r = rules.get(rule);
    if (!r) {
      rules.set(rule, { rule, category: f.category, severity: f.severity, kind: f.kind, text: f.text, count: 1, value, best: f });
      continue;
    }
    r.count += 1;
    if (value > r.value || (SEVERITY_RANK[f.severity] ?? 0) > (SEVERITY_RANK[r.severity] ?? 0)) {
      Object.assign(r, { severity: f.severity, kind: f.kind, text: f.text, value, best: f });
    }
  }
  const reasons = [...rules.values()].sort((a, b) => (SEVERITY_RANK[b.severity] ?? 0) - (SEVERITY_RANK[a.severity] ?? 0) || b.value - a.value);
  const part = (/** @type {boolean} */ donation) => {
    const mine = reasons.filter((r) => (r.category === 'donation') === donation);
    const strong = mine.filter((r) => r.severity !== 'low').map((r) => r.value);
    const low = Math.max(0, ...mine.filter((r) => r.severity === 'low').map((r) => r.value));
    return noisyOr([...strong, low]);
  };
  const risk = noisyOr([model?.probability ?? 0, part(false), part(true)]);
  const mentionsOnly = !model && reasons.every((r) => r.severity === 'low');
  // A click goes to the strongest reason: the highest severity pack finding,
  // or the model's heaviest word when the model says more.
  const heaviest = words.slice().sort((a, b) => b.weight - a.weight)[0];
  const strongest = reasons[0]?.best;
  const top = heaviest && (!strongest || (model?.probability ?? 0) >= (strongest.score ?? 0) / 100) ? heaviest : (strongest ?? list[0]);
  let sev = 0;
  for (const f of list) sev = Math.max(sev, SEVERITY_RANK[f.severity] ?? 0);
  const severity = SEVERITIES[sev];
  const postText = list.find((f) => f.post)?.post ?? '';
  const signature = JSON.stringify([
    severity,
    Math.round(risk * 1000),
    model && [Math.round(model.probability * 100), model.words.map((w) => [w.text, w.weight])],
    reasons.map((r) => [r.rule, r.severity, r.text, r.count]),
    top.chunk,
    top.n,
    postText,
  ]);
  return {
    key,
    order,
    risk,
    model,
    reasons: reasons.map(({ best: _best, ...r }) => r),
    mentionsOnly,
    severity,
    top,
    findings: list,
    post: postText,
    signature,
  };
}

/**
 * A list with each post's model words as one entry (the heaviest word, with
 * every word in `words`): the model says one thing about a post, so it is
 * one finding in counts and lists, however many words it names.
 * @template {{frameId?: number, chunk: number, block: number, kind: string, weight: number, text: string}} F
 * @param {F[]} findings
 * @returns {(F & {words?: {text: string, weight: number}[]})[]}
 */
export function collapseModel(findings) {
  /** @type {Map<string, F & {words: {text: string, weight: number}[]}>} */
  const posts = new Map();
  /** @type {(F & {words?: {text: string, weight: number}[]})[]} */
  const out = [];
  for (const f of findings) {
    if (f.kind !== 'model') {
      out.push(f);
      continue;
    }
    const key = `${f.frameId ?? 0}:${f.chunk}:${f.block}`;
    const p = posts.get(key);
    const word = { text: f.text, weight: f.weight };
    if (!p) {
      const entry = { ...f, words: [word] };
      posts.set(key, entry);
      out.push(entry);
    } else {
      p.words.push(word);
      if (f.weight > p.weight) Object.assign(p, { ...f, words: p.words });
    }
  }
  return out;
}

/**
 * How many findings a list holds when a post's model words count once.
 * @param {{chunk: number, block: number, kind: string, frameId?: number}[]} findings
 */
export function countFindings(findings) {
  let n = 0;
  /** @type {Set<string>} */
  const posts = new Set();
  for (const f of findings) {
    if (f.kind !== 'model') n += 1;
    else posts.add(`${f.frameId ?? 0}:${f.chunk}:${f.block}`);
  }
  return n + posts.size;
}
