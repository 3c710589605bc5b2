// The site lists: sites scanned automatically (the built-in ones, and those
// the moderator added: an optional host permission plus a registered content
// script, background/sites.js) and sites switched off (the same switch as the
// popup's "Scan this site").

import { api } from '../common/api.js';
import { el } from '../common/ui.js';
import { $, ask, status } from './common.js';
import { t } from '../common/i18n.js';

/**
 * A hostname from what the moderator typed ("https://Forum.example.org/x" or
 * "forum.example.org"), as URL.hostname gives it; null when it is none.
 * @param {string} text
 */
export function hostFrom(text) {
  const t = text.trim();
  if (!t) return null;
  try {
    const h = new URL(t.includes('://') ? t : `https://${t}`).hostname;
    return /^[a-z0-9.-]{1,253}$/.test(h) && h.includes('.') ? h : null;
  } catch {
    return null;
  }
}

export async function loadSites() {
  let res;
  try {
    res = await ask({ type: 'sites' });
  } catch (e) {
    status('auto-status', t('sites_read_failed', e.message), 'error');
    return;
  }
  $('builtin-sites').textContent = res.builtin.join(', ');
  fill('auto-sites', res.auto, t('sites_stop'), (h) => t('sites_stop_aria', h), removeAuto, t('sites_none_yet'));
  fill('off-sites', res.disabled, t('sites_switch_on'), (h) => t('sites_switch_on_aria', h), switchOn, t('sites_none'));
}

/**
 * @param {string} id
 * @param {string[]} hosts
 * @param {string} action
 * @param {(host: string) => string} aria
 * @param {(host: string) => Promise<void>} onClick
 * @param {string} empty
 */
function fill(id, hosts, action, aria, onClick, empty) {
  const ul = $(id);
  ul.replaceChildren();
  if (!hosts.length) ul.append(el('li', 'empty', empty));
  for (const h of hosts) {
    const li = el('li');
    const b = el('button', '', action);
    b.type = 'button';
    b.setAttribute('aria-label', aria(h));
    b.addEventListener('click', () => onClick(h));
    const name = el('span', 'host', h);
    name.translate = false;
    name.dir = 'ltr';
    li.append(name, b);
    ul.append(li);
  }
}

/** @param {string} host */
async function removeAuto(host) {
  try {
    await ask({ type: 'siteRemove', host });
    status('auto-status', t('sites_auto_removed', host), 'ok');
  } catch (e) {
    status('auto-status', e.message, 'error');
  }
  loadSites();
}

/** @param {string} host */
async function switchOn(host) {
  try {
    await ask({ type: 'setSite', host, enabled: true });
    status('off-status', t('sites_on_again', host), 'ok');
  } catch (e) {
    status('off-status', e.message, 'error');
  }
  loadSites();
}

export function initSites() {
  $('auto-form').addEventListener('submit', (/** @type {Event} */ e) => {
    e.preventDefault();
    const host = hostFrom($('auto-host').value);
    if (!host) {
      status('auto-status', t('sites_type_name', 'forum.example.org'), 'error');
      return;
    }
    // permissions.request must run in the gesture: nothing awaited before it.
    api.permissions.request({ origins: [`*://${host}/*`] }).then(
      async (granted) => {
        if (!granted) {
          status('auto-status', t('sites_refused', host), 'error');
          return;
        }
        try {
          const res = await ask({ type: 'siteAdd', host });
          status('auto-status', res.ok ? t('sites_auto_added', host) : t('sites_add_failed', host), res.ok ? 'ok' : 'error');
          if (res.ok) $('auto-host').value = '';
        } catch (err) {
          status('auto-status', /** @type {any} */ (err).message, 'error');
        }
        loadSites();
      },
      (err) => status('auto-status', String(err?.message ?? err), 'error'),
    );
  });
  $('off-form').addEventListener('submit', async (/** @type {Event} */ e) => {
    e.preventDefault();
    const host = hostFrom($('off-host').value);
    if (!host) {
      status('off-status', t('sites_type_name', 'vk.com'), 'error');
      return;
    }
    try {
      await ask({ type: 'setSite', host, enabled: false });
      status('off-status', t('sites_off_done', host), 'ok');
      $('off-host').value = '';
    } catch (err) {
      status('off-status', /** @type {any} */ (err).message, 'error');
    }
    loadSites();
  });
  loadSites();
}
