// Posts by risk (common/risk.js): findings gathered by post, one combined
// score per post from independent signals (the model, the packs, donation
// findings), mentions that never add up; the model's line in each UI
// language (common/model-text.js); the options page's sensitivity steps
// (options/sensitivity.js).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { postsByRisk } from '../../extension/common/risk.js';
import { modelLineText, modelWords } from '../../extension/common/model-text.js';
import { useMessages } from '../../extension/common/i18n.js';
import { DEFAULT_LEVEL, LEVELS, levelOf, levelThreshold } from '../../extension/options/sensitivity.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const messages = async (/** @type {string} */ lang) => JSON.parse(await readFile(path.join(ROOT, 'extension', '_locales', lang, 'messages.json'), 'utf8'));

const SCORE = { low: 25, medium: 50, high: 75, critical: 90 };
let n = 0;
/** A finding as the background lists it for the panel. */
function f(block, over = {}) {
  const severity = over.severity ?? 'low';
  return {
    frameId: 0,
    chunk: 1,
    n: n++,
    block,
    text: 'ISIS',
    post: `post ${block}`,
    pack: 'extremism-en',
    ruleId: 'org',
    category: 'extremism',
    severity,
    kind: 'keyword',
    score: SCORE[severity],
    weight: 0,
    ...over,
  };
}
const model = (block, p, text, weight) => f(block, { kind: 'model', pack: 'flaglight-extremism', ruleId: 'model', severity: 'medium', score: Math.round(p * 100), text, weight });

test('posts: the model and a pack finding on one post rank above a post with only a mention, and above either signal alone', () => {
  const list = [
    f(0, { severity: 'low' }), // a news post naming a group
    model(1, 0.6, 'brothers', 1200), // model only
    f(2, { severity: 'high', ruleId: 'glorify' }), // pack only
    model(3, 0.6, 'kuffar', 2000),
    f(3, { severity: 'high', ruleId: 'glorify' }), // both
  ];
  const posts = postsByRisk(list);
  assert.deepEqual(
    posts.map((p) => p.key),
    ['0:1:3', '0:1:2', '0:1:1', '0:1:0'],
  );
  const both = posts[0];
  assert.ok(Math.abs(both.risk - (1 - 0.4 * 0.25)) < 1e-9, `noisy or: ${both.risk}`);
  assert.equal(both.model?.probability, 0.6);
  assert.deepEqual(both.reasons.map((r) => r.rule), ['extremism-en/glorify']);
  assert.equal(both.mentionsOnly, false);
  assert.equal(posts.at(-1)?.mentionsOnly, true, 'a post with a mention alone is collapsed');
  assert.equal(posts.at(-1)?.risk, 0.25);
});

test('posts: mentions do not add up; distinct strong rules and donation findings do', () => {
  const mentions = postsByRisk([f(0), f(0, { ruleId: 'org2' }), f(0, { ruleId: 'org3' }), f(0)]);
  assert.equal(mentions.length, 1);
  assert.equal(mentions[0].risk, 0.25, 'four mentions of three names: still one mention');
  assert.equal(mentions[0].reasons.find((r) => r.rule === 'extremism-en/org')?.count, 2);
  const strong = postsByRisk([f(0, { severity: 'medium', ruleId: 'a' }), f(0, { severity: 'medium', ruleId: 'b' })]);
  assert.equal(strong[0].risk, 0.75);
  const donation = postsByRisk([f(0, { severity: 'high', category: 'donation', pack: 'donation', ruleId: 'request', kind: 'donation_request' }), f(0, { severity: 'high', ruleId: 'glorify' })]);
  assert.ok(Math.abs(donation[0].risk - (1 - 0.25 * 0.25)) < 1e-9);
});

test('posts: equal risks keep page order; a click goes to the strongest reason; frames and chunks are separate posts', () => {
  const posts = postsByRisk([f(0, { frameId: 0 }), f(0, { frameId: 3 }), f(0, { chunk: 2 })]);
  assert.deepEqual(posts.map((p) => p.key), ['0:1:0', '3:1:0', '0:2:0']);
  const a = model(5, 0.97, 'kuffar', 2300);
  const b = model(5, 0.97, 'brothers', 900);
  const c = f(5, { severity: 'medium', ruleId: 'org-islamic-state', text: 'Islamic State' });
  const [p] = postsByRisk([c, b, a]);
  assert.equal(p.top, a, 'the model says more than a medium pack finding: its heaviest word');
  const d = f(6, { severity: 'critical', ruleId: 'slogan' });
  const [q] = postsByRisk([model(6, 0.3, 'state', 500), d]);
  assert.equal(q.top, d);
  assert.equal(q.severity, 'critical');
});

test('posts: the signature changes with what is shown, and only then', () => {
  const base = [model(0, 0.8, 'kuffar', 2000), f(0, { severity: 'high', ruleId: 'g' })];
  const [a] = postsByRisk(base);
  const [b] = postsByRisk(base.map((x) => ({ ...x })));
  assert.equal(a.signature, b.signature);
  const [c] = postsByRisk([...base, f(0, { severity: 'low', ruleId: 'm' })]);
  assert.notEqual(a.signature, c.signature);
});

test('the model line: heaviest word first, a word twice summed, in English, Russian and Arabic', async () => {
  const words = modelWords([
    { text: 'Brothers', weight: 1440 },
    { text: 'Allah', weight: 2710 },
    { text: 'brothers', weight: 1220 },
    { text: 'kuffar', weight: 2330 },
  ]);
  assert.deepEqual(words.map((w) => w.text), ['Allah', 'Brothers', 'kuffar']);
  assert.ok(Math.abs(words[1].weight - 2.66) < 1e-9);
  useMessages(await messages('en'));
  try {
    assert.equal(modelLineText(0.87, modelWords([{ text: 'caliphate', weight: 420 }, { text: 'lions', weight: 310 }])), 'model 0.87 — words that weighed most: caliphate (+0.42), lions (+0.31)');
  } finally {
    useMessages(null);
  }
  useMessages(await messages('ru'));
  try {
    assert.equal(modelLineText(0.87, modelWords([{ text: 'халифата', weight: 2580 }, { text: 'братья', weight: 1340 }])), 'модель 0,87 — больше всего весили слова: халифата (+2,58), братья (+1,34)');
  } finally {
    useMessages(null);
  }
  useMessages(await messages('ar'));
  try {
    const line = modelLineText(0.5, modelWords([{ text: 'الخلافة', weight: 2060 }]));
    assert.match(line, /^النموذج .+ — الكلمات الأكثر وزنًا: الخلافة \(.+\)$/);
    assert.ok(line.includes(new Intl.NumberFormat('ar', { minimumFractionDigits: 2 }).format(0.5)), line);
  } finally {
    useMessages(null);
  }
});

test('sensitivity: five steps around the model file\'s threshold, monotonic, the middle one the file\'s own', () => {
  for (const base of [0.14, 0.34, 0.4, 0.5, 0.9]) {
    const steps = [...Array(LEVELS).keys()].map((l) => levelThreshold(base, l));
    assert.equal(steps[DEFAULT_LEVEL], Math.round(base * 1000) / 1000);
    for (let i = 1; i < steps.length; i++) assert.ok(steps[i] > steps[i - 1], `${base}: ${steps}`);
    for (const s of steps) assert.ok(s >= 0.01 && s <= 0.99);
    for (let l = 0; l < LEVELS; l++) assert.equal(levelOf(base, levelThreshold(base, l)), l);
    assert.equal(levelOf(base, undefined), DEFAULT_LEVEL);
  }
  // A threshold set for another model file shows as the nearest step.
  assert.equal(levelOf(0.14, 0.99), LEVELS - 1);
  assert.equal(levelOf(0.14, 0.01), 0);
});

test('posts: with a cache, a post whose findings are the same ones is not scored again; a changed or new one is', () => {
  const a = [model(0, 0.8, 'kuffar', 2000), f(0, { severity: 'high', ruleId: 'g' })];
  const b = [f(1, { severity: 'low' })];
  const cache = new Map();
  const first = postsByRisk([...a, ...b], cache);
  const again = postsByRisk([...a.map((x) => ({ ...x })), ...b.map((x) => ({ ...x }))], cache);
  assert.equal(again.find((p) => p.key === '0:1:0'), first.find((p) => p.key === '0:1:0'), 'the same post object');
  // A finding of post 1 more (a rescan's new chunk would be a new key; a drop leaves fewer).
  const grown = postsByRisk([...a, ...b, f(1, { severity: 'critical', ruleId: 'slogan' })], cache);
  const p1 = grown.find((p) => p.key === '0:1:1');
  assert.equal(p1?.severity, 'critical');
  assert.ok(Math.abs((p1?.risk ?? 0) - (1 - 0.1 * 0.75)) < 1e-9, 'rescored');
  postsByRisk(a, cache);
  assert.deepEqual([...cache.keys()], ['0:1:0'], 'posts gone from the page leave the cache');
});
