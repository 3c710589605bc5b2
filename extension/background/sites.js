// Per-site settings: on/off (storage.local, keyed by hostname, so it survives
// reloads and restarts) and the sites the moderator enabled for automatic
// scanning beyond the built-in ones (optional host permission + a registered
// content script for that origin). Both lists are read and written through
// the stored records (storage.js): a damaged list is moved aside with its
// good entries kept, and the built-in sites are scanned whatever is stored.

import { api } from '../common/api.js';
import { AUTO_SITES_KEY, SITES_KEY } from '../common/records.js';
import { records } from './storage.js';

/** Hostnames switched off by the moderator. @type {Set<string>} */
const disabled = new Set();
/** Hostnames enabled for automatic scanning through optional permissions. @type {Set<string>} */
const auto = new Set();

/** Host permission patterns in the manifest: scanned out of the box. */
const builtin = (api.runtime.getManifest().host_permissions ?? []).map(patternRegex);

/** @param {string} pattern  e.g. "*://*.vk.com/*" */
function patternRegex(pattern) {
  const m = /^(\*|https?):\/\/([^/]+)\//.exec(pattern);
  if (!m) return /^$/;
  if (m[2] === '*') return /^.+$/;
  const sub = m[2].startsWith('*.');
  const host = (sub ? m[2].slice(2) : m[2]).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${sub ? '(?:[^.]+\\.)+' : ''}${host}$`);
}

/** Loads the settings; call once at start. */
export async function loadSites() {
  // The two keys are checked as they are read (the whole start-up check is not waited for).
  const { [SITES_KEY]: sites, [AUTO_SITES_KEY]: autoSites } = await records.readMany([SITES_KEY, AUTO_SITES_KEY]);
  disabled.clear();
  for (const [host, v] of Object.entries(sites ?? {})) if (v && v.enabled === false) disabled.add(host);
  auto.clear();
  for (const host of Array.isArray(autoSites) ? autoSites : []) auto.add(host);
}

/** @param {string} url */
export function hostOf(url) {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/** @param {string} host */
export function siteEnabled(host) {
  return !disabled.has(host);
}

/** @param {string} host */
export function isBuiltin(host) {
  return builtin.some((re) => re.test(host));
}

/** @param {string} host */
export function isAuto(host) {
  return auto.has(host);
}

/**
 * Switches a site on or off (persisted).
 * @param {string} host
 * @param {boolean} enabled
 */
export async function setSiteEnabled(host, enabled) {
  if (enabled) disabled.delete(host);
  else disabled.add(host);
  const sites = await records.read(SITES_KEY);
  const next = { ...(sites ?? {}) };
  if (enabled) delete next[host];
  else next[host] = { enabled: false };
  await records.set({ [SITES_KEY]: next });
}

/** @param {string} host */
function scriptId(host) {
  return `site-${host}`;
}

/** @param {string} host */
function originPatterns(host) {
  return [`*://${host}/*`];
}

/**
 * Registers the content script for a site the moderator granted (the popup
 * asked for the optional host permission in the click's user gesture).
 * @param {string} host
 * @returns {Promise<boolean>} whether the permission is there and the script registered
 */
export async function enableAuto(host) {
  const granted = await api.permissions.contains({ origins: originPatterns(host) });
  if (!granted) return false;
  await register(host);
  auto.add(host);
  await records.set({ [AUTO_SITES_KEY]: [...auto] });
  return true;
}

/** @param {string} host */
async function register(host) {
  const id = scriptId(host);
  const existing = await api.scripting.getRegisteredContentScripts({ ids: [id] });
  if (existing.length) return;
  /** @type {any} */
  const script = {
    id,
    matches: originPatterns(host),
    js: ['content/content.js'],
    allFrames: true,
    runAt: 'document_start',
    persistAcrossSessions: true,
  };
  try {
    await api.scripting.registerContentScripts([{ ...script, matchOriginAsFallback: true }]);
  } catch {
    // Browsers without matchOriginAsFallback for registered scripts.
    await api.scripting.registerContentScripts([script]);
  }
}

/** Forgets sites whose permission was removed. @param {string[]} origins */
export async function permissionsRemoved(origins) {
  for (const host of [...auto]) {
    if (!origins.some((o) => o.includes(`//${host}/`))) continue;
    auto.delete(host);
    await api.scripting.unregisterContentScripts({ ids: [scriptId(host)] }).catch(() => {});
  }
  await records.set({ [AUTO_SITES_KEY]: [...auto] });
}

/** Makes the registered scripts match the stored list (a browser may not persist them). */
export async function reconcileAuto() {
  for (const host of [...auto]) {
    const granted = await api.permissions.contains({ origins: originPatterns(host) }).catch(() => false);
    if (granted) await register(host).catch((e) => console.warn('flaglight: could not register', host, String(e)));
    else auto.delete(host);
  }
}

/** The site lists the options page shows and edits. */
export function listSites() {
  const patterns = api.runtime.getManifest().host_permissions ?? [];
  const hosts = patterns.map((p) => /^[^:]+:\/\/([^/]+)\//.exec(p)?.[1]).filter((h) => typeof h === 'string');
  return { builtin: [...new Set(hosts)], auto: [...auto].sort(), disabled: [...disabled].sort() };
}
