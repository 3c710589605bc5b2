// Highlight styles (common/styles.js): every automatic finding's style reads
// apart without colour — packs underline, the post-level model's words have
// their line above — and none looks like a reviewer's flag (solid lines
// above and below).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { highlightCss } from '../../extension/common/styles.js';

const SEVERITIES = ['low', 'medium', 'high', 'critical'];

/** The text-decoration of one key's rule. @param {string} key */
function decoration(key) {
  const css = highlightCss({ [key]: 'abcdefgh' });
  const m = /text-decoration: ([^;]+);/.exec(css);
  assert.ok(m, `${key}: ${css}`);
  return m[1].split(' ');
}

test('model words have a line above in the severity\'s own style; pack findings a line below; neither looks like a flag', () => {
  const flag = decoration('flag');
  assert.deepEqual(flag.slice(0, 3), ['underline', 'overline', 'solid']);
  for (const category of ['extremism', 'donation', 'team-words']) {
    const lines = new Set();
    for (const sev of SEVERITIES) {
      const pack = decoration(`${category}:${sev}`);
      const model = decoration(`${category}:${sev}:model`);
      assert.equal(pack[0], 'underline', `${category}:${sev}`);
      assert.equal(model[0], 'overline', `${category}:${sev}:model`);
      assert.ok(!model.includes('underline'));
      assert.notEqual(model[1], 'solid', 'a word a pack and the model both mark must not read as a flag');
      lines.add(model[1]);
    }
    assert.equal(lines.size, 4, `${category}: one line style per severity`);
  }
});
