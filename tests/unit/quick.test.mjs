// The options page's quick list: parsing, the engine's errors mapped back to
// list lines, the way back from JSON, and the quick-add row. The packs it
// makes are checked by the real engine (the Wasm build, loaded in Node).

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import init from '../../extension/pkg/flaglight.js';
import { checkPack } from '../../extension/common/pack-check.js';
import { addToQuick, lineOfError, nextVersion, packToQuick, quickToPack } from '../../extension/options/quick.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BASE = { id: 'my-pack', name: 'My pack', version: '1.0.0' };

before(async () => {
  await init({ module_or_path: await readFile(path.join(root, 'extension', 'pkg', 'flaglight_bg.wasm')) });
});

const LIST = `# comment
join the caliphate
+ Brothers, J0IN the caliphate!
[donation high]
send to the brothers
/btc\\s*wallet\\s*\\d+/
+ btc wallet 42
- btc wallet
джихад*
[donation high]
\\+380 fund
`;

test('groups become rules; examples attach to the entry above; a group named twice is one group', () => {
  const q = quickToPack(LIST, BASE);
  assert.deepEqual(q.problems, []);
  assert.deepEqual(
    q.pack.rules.map((r) => [r.id, r.kind, r.patterns, r.examples ?? null]),
    [
      ['extremism-medium', 'keyword', ['join the caliphate'], { match: ['Brothers, J0IN the caliphate!'] }],
      ['donation-high', 'keyword', ['send to the brothers', 'джихад*', '+380 fund'], null],
      ['donation-high-regex', 'regex', ['btc\\s*wallet\\s*\\d+'], { match: ['btc wallet 42'], no_match: ['btc wallet'] }],
    ],
  );
  assert.equal(q.pack.id, 'my-pack');
  const r = checkPack(q.json, 'quick list');
  assert.deepEqual(r.errors, []);
  assert.equal(r.ok, true);
});

test('an invalid regex is reported at its list line; a failing example at its own line', () => {
  const text = '[extremism high]\nfine words\n/unit(/\n+ nothing here matches\n';
  const q = quickToPack(text, BASE);
  const r = checkPack(q.json, 'quick list');
  assert.equal(r.ok, false);
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0].path, 'rules[1].patterns[0]');
  assert.equal(lineOfError(r.errors[0], q.lines), 3);

  const q2 = quickToPack('[extremism high]\nfine words\n+ other words\n- fine words\n', BASE);
  const r2 = checkPack(q2.json, 'quick list');
  assert.equal(r2.ok, false);
  assert.deepEqual(
    r2.errors.map((e) => [e.path, lineOfError(e, q2.lines)]),
    [
      ['rules[0].examples.match[0]', 3],
      ['rules[0].examples.no_match[0]', 4],
    ],
  );
  // In the JSON the error points at the example itself.
  const jsonLine = q2.json.split('\n').findIndex((l) => l.includes('"other words"')) + 1;
  assert.equal(r2.errors[0].line, jsonLine);
});

test('what the list itself gets wrong is reported at its line', () => {
  const q = quickToPack('+ an example first\n[extremism high low]\n//\n[unclosed\n', BASE);
  assert.deepEqual(
    q.problems.map((p) => p.line),
    [1, 2, 3, 4],
  );
});

test('a bad category is the group line; a bad pack id is the pack', () => {
  const q = quickToPack('[Bad_Category! high]\nword\n', { ...BASE, id: 'Bad Id' });
  const r = checkPack(q.json, 'quick list');
  const lines = r.errors.map((e) => [e.path, lineOfError(e, q.lines)]);
  assert.ok(lines.some(([p, l]) => p === 'id' && l === 0), JSON.stringify(lines));
  assert.ok(lines.some(([p, l]) => p.startsWith('rules[0]') && l === 1), JSON.stringify(lines));
});

test('JSON back to the list and again gives the same rules; packs the list cannot show stay JSON', async () => {
  const q = quickToPack(LIST, { ...BASE, license: 'CC0-1.0' });
  const back = packToQuick(q.json);
  assert.ok(back);
  assert.deepEqual(back.base, { ...BASE, license: 'CC0-1.0' });
  const again = quickToPack(back.text, back.base);
  assert.equal(again.json, q.json);

  for (const f of ['extremism-en.json', 'donation.json']) {
    const json = await readFile(path.join(root, 'extension', 'packs', f), 'utf8');
    assert.equal(packToQuick(json), null, `${f} has options and descriptions`);
  }
  assert.equal(packToQuick('{ not json'), null);
});

test('the quick-add row puts a keyword in its group, or starts the group', () => {
  const t1 = addToQuick('# c\n[extremism high]\nfoo\n\n[donation low]\nbar\n', 'baz', 'extremism', 'high');
  assert.equal(t1, '# c\n[extremism high]\nfoo\nbaz\n\n[donation low]\nbar\n');
  const t2 = addToQuick('[extremism high]\nfoo\n', 'qiwi', 'donation', 'medium');
  assert.equal(t2, '[extremism high]\nfoo\n\n[donation medium]\nqiwi\n');
  const t3 = addToQuick('', '+7 fund', 'donation', 'low');
  assert.equal(t3, '[donation low]\n\\+7 fund\n');
  assert.deepEqual(quickToPack(t3, BASE).pack.rules[0].patterns, ['+7 fund']);
  const t4 = addToQuick('[extremism high]\n', '/a+b/', 'extremism', 'high');
  assert.equal(quickToPack(t4, BASE).pack.rules[0].kind, 'regex');
});

test('versions go up by one', () => {
  assert.equal(nextVersion('1.0.0'), '1.0.1');
  assert.equal(nextVersion('2.9'), '2.10');
  assert.equal(nextVersion('x'), '1.0.1');
});
