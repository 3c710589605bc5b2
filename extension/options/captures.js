// The options page's "Preserving evidence" section: the package-signing
// key's public half (to give a team, so they can verify packages), whether
// to preserve a page when a flag is saved, Chrome's MHTML copy, and the
// optional RFC 3161 timestamp authority. The background owns the settings
// (background/captures.js); this page asks it to change them.

import { api } from '../common/api.js';
import { download } from '../common/download.js';
import { formatDate, t } from '../common/i18n.js';
import { $, ask, status } from './common.js';

/** @type {{tsaUrl: string, auto: boolean, mhtml: boolean}|null} */
let current = null;
let publicKey = '';

async function load() {
  let res;
  try {
    res = await ask({ type: 'captureSettings' });
  } catch (e) {
    status('capture-status', /** @type {any} */ (e).message, 'error');
    return;
  }
  current = res.settings;
  publicKey = res.key.publicKey;
  $('public-key').value = publicKey;
  // The fingerprint in groups of four, as people read it out to each other.
  $('key-fingerprint').textContent = res.key.fingerprint.replace(/(.{4})(?=.)/g, '$1 ');
  $('key-created').textContent = formatDate(res.key.created);
  $('capture-auto').checked = res.settings.auto;
  $('capture-mhtml').checked = res.settings.mhtml;
  $('capture-mhtml-row').hidden = !res.pageCapture;
  $('tsa-url').value = res.settings.tsaUrl;
}

/** The public key as a PEM file (openssl and most tools read it). */
function pem() {
  const lines = publicKey.match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

$('key-copy').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(publicKey);
    status('key-status', t('options_key_copied'), 'ok');
  } catch {
    $('public-key').select();
    status('key-status', t('options_key_select'), '');
  }
});

$('key-download').addEventListener('click', () => download('flaglight-public-key.pem', 'application/x-pem-file', pem()));

/** @param {string} tsaUrl @param {boolean} auto @param {boolean} mhtml */
async function save(tsaUrl, auto, mhtml) {
  try {
    const res = await ask({ type: 'captureSettingsSet', tsaUrl, auto, mhtml });
    current = res.settings;
    status('capture-status', tsaUrl ? t('options_capture_saved_tsa', tsaUrl) : t('options_capture_saved'), 'ok');
  } catch (e) {
    status('capture-status', /** @type {any} */ (e).message, 'error');
  }
}

$('capture-form').addEventListener('submit', (/** @type {Event} */ e) => {
  e.preventDefault();
  const tsaUrl = String($('tsa-url').value).trim();
  const auto = !!$('capture-auto').checked;
  const mhtml = !!$('capture-mhtml').checked;
  if (!tsaUrl || tsaUrl === current?.tsaUrl) {
    save(tsaUrl, auto, mhtml);
    return;
  }
  let origin;
  try {
    const u = new URL(tsaUrl);
    const loopback = u.hostname === 'localhost' || /^127(\.\d{1,3}){3}$/.test(u.hostname);
    if (!(u.protocol === 'https:' || (u.protocol === 'http:' && loopback)) || u.username || u.password) throw new Error('scheme');
    origin = `${u.protocol}//${u.hostname}/*`;
  } catch {
    status('capture-status', t('options_tsa_bad_url'), 'error');
    return;
  }
  // permissions.request must run in the gesture: nothing awaited before it.
  api.permissions.request({ origins: [origin] }).then(
    (granted) => {
      if (!granted) {
        status('capture-status', t('options_tsa_refused', new URL(tsaUrl).hostname), 'error');
        return;
      }
      save(tsaUrl, auto, mhtml);
    },
    (err) => status('capture-status', String(err?.message ?? err), 'error'),
  );
});

load();
