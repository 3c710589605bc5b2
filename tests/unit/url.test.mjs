import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeUrl } from '../../extension/common/url.js';

test('drops fragments and tracking parameters, keeps the rest in a stable order', () => {
  assert.equal(
    normalizeUrl('https://VK.com/wall-1_2?utm_source=x&z=1&fbclid=abc&a=2#reply5'),
    'https://vk.com/wall-1_2?a=2&z=1',
  );
  assert.equal(normalizeUrl('https://x.com/user/status/1?s=20&t=abc'), 'https://x.com/user/status/1?s=20&t=abc');
  assert.equal(normalizeUrl('https://t.me/channel/5?utm_medium=a'), 'https://t.me/channel/5');
  assert.equal(normalizeUrl('not a url'), 'not a url');
});
