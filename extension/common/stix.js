// Sightings as a STIX 2.1 bundle, for threat-intelligence platforms
// (OpenCTI, MISP's STIX import, TAXII servers).
//
// - The exporter: one `identity` (the moderator's installation), the
//   creator of every object and where everything was sighted.
// - One observable per item: crypto addresses as the community
//   `cryptocurrency-wallet`, cards as `payment-card`, IBANs, YooMoney and
//   WebMoney as `bank-account`, phones as `phone-number` (each a new-sco
//   extension with its published extension-definition id), payment links as
//   `url`, Telegram handles and the pages' accounts as `user-account`
//   (account_type the network), watched phrases as a custom
//   `x-flaglight-phrase` observable (STIX has none).
// - Per item an `observed-data` (first/last seen, how often), and for a
//   watched item an `indicator` whose pattern matches its observable.
// - Per item and page a `sighting` (first/last seen, count) of the item's
//   indicator when watched, else of its observed-data, with an
//   `observed-data` of that page (the item and the page's `url`). Counts
//   compacted into days (sightings-db.js) are one more sighting per item.
//
// Cards and IBANs are masked (the last four characters) unless the caller
// passes their clear values, which the moderator asks for with a warning;
// a masked card gets no indicator (a pattern on a mask matches nothing real).
// Ids are name-based (uuid5.js), so exporting twice gives the same ids.

import { ID_KINDS, SENSITIVE } from './sighting-items.js';
import { canonicalJson, uuid5 } from './uuid5.js';

/** The namespace STIX 2.1 gives for observable ids (section 2.9). */
const SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';
/** flaglight's namespace for the ids of everything else. */
const OWN_NAMESPACE = '1f6e3c58-2b7d-4c0a-9e55-7a3d2f1b8c64';

/** Extension-definition ids of the community observables (github.com/muchdogesec/stix2extensions). */
export const EXTENSIONS = {
  'cryptocurrency-wallet': 'extension-definition--be78509e-6958-51b1-8b26-d17ee0eba2d7',
  'payment-card': 'extension-definition--b160c6ee-26b6-591c-8885-c192db67cac9',
  'bank-account': 'extension-definition--f19f3291-6a84-5674-b311-d75a925d5bd9',
  'phone-number': 'extension-definition--14a97ee2-e666-5ada-a6bd-b7177f79e211',
};

const SYMBOL = { btc: 'BTC', eth: 'ETH', trx: 'TRX', ltc: 'LTC', doge: 'DOGE', zec: 'ZEC', xmr: 'XMR' };
const PROVIDER = { yoomoney: 'YooMoney', webmoney: 'WebMoney' };
/** STIX's account-type vocabulary where it has the network; else the network's own name. */
const ACCOUNT_TYPE = { x: 'twitter', facebook: 'facebook' };

/**
 * What an export is made of.
 * @typedef {object} ExportData
 * @property {any[]} items        item records (sightings-db.js)
 * @property {any[]} sightings    sighting records of those items
 * @property {Map<string, any>} watch      watch-list entries by key
 * @property {Map<string, string>} clear   clear values of cards and IBANs, when asked for
 * @property {{id: string, name: string}} exporter
 * @property {number} now
 */

/** @param {number} ms */
const iso = (ms) => new Date(ms).toISOString();
/** A STIX pattern string literal. @param {string} s */
const lit = (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
/** @param {number} n */
const count = (n) => Math.max(1, Math.min(999_999_999, Math.round(n)));

/** The id of an object of ours. @param {string} type @param {string} name */
async function ownId(type, name) {
  return `${type}--${await uuid5(OWN_NAMESPACE, `${type}:${name}`)}`;
}

/** An observable's id from its identifying properties. @param {string} type @param {Record<string, unknown>} props */
async function scoId(type, props) {
  return `${type}--${await uuid5(SCO_NAMESPACE, canonicalJson(props))}`;
}

/** @param {string} type */
function ext(type) {
  return { [/** @type {keyof typeof EXTENSIONS} */ (EXTENSIONS)[type]]: { extension_type: 'new-sco' } };
}

/** The account part of an account or Telegram key ("telegram:name" -> "name"). @param {string} key */
function accountId(key) {
  return key.slice(key.indexOf(':') + 1);
}

/**
 * The observable of an item, and the pattern that matches it (null: none).
 * @param {any} item
 * @param {Map<string, string>} clear
 * @returns {Promise<{sco: Record<string, any>, pattern: string|null}>}
 */
export async function observableOf(item, clear) {
  const base = { spec_version: '2.1' };
  const k = item.kind;
  if (k in SYMBOL) {
    const sco = { type: 'cryptocurrency-wallet', ...base, id: await scoId('cryptocurrency-wallet', { value: item.label }), value: item.label, x_flaglight_symbol: SYMBOL[/** @type {keyof typeof SYMBOL} */ (k)], extensions: ext('cryptocurrency-wallet') };
    return { sco, pattern: `[cryptocurrency-wallet:value = ${lit(item.label)}]` };
  }
  if (SENSITIVE.has(k)) {
    const value = clear.get(item.key);
    const shown = value ?? `****${item.label.slice(-4)}`;
    const prop = k === 'card' ? 'value' : 'iban';
    const type = k === 'card' ? 'payment-card' : 'bank-account';
    const sco = {
      type,
      ...base,
      // A masked value is not unique: the id comes from the keyed hash then.
      id: await scoId(type, value ? { [prop]: value } : { x_flaglight_key: item.key }),
      [prop]: shown,
      ...(k === 'card' && item.detail ? { scheme: item.detail } : {}),
      x_flaglight_masked: !value,
      extensions: ext(type),
    };
    return { sco, pattern: value ? `[${type}:${prop} = ${lit(value)}]` : null };
  }
  if (k in PROVIDER) {
    const sco = { type: 'bank-account', ...base, id: await scoId('bank-account', { account_number: item.label }), account_number: item.label, x_flaglight_provider: PROVIDER[/** @type {keyof typeof PROVIDER} */ (k)], extensions: ext('bank-account') };
    return { sco, pattern: `[bank-account:account_number = ${lit(item.label)}]` };
  }
  if (k === 'phone') {
    const sco = { type: 'phone-number', ...base, id: await scoId('phone-number', { value: item.label }), value: item.label, extensions: ext('phone-number') };
    return { sco, pattern: `[phone-number:value = ${lit(item.label)}]` };
  }
  if (k === 'payment_link') {
    const value = /^https?:\/\//.test(item.label) ? item.label : `https://${item.label}`;
    return { sco: { type: 'url', ...base, id: await scoId('url', { value }), value }, pattern: `[url:value = ${lit(value)}]` };
  }
  if (k === 'phrase') {
    const sco = { type: 'x-flaglight-phrase', ...base, id: await scoId('x-flaglight-phrase', { value: item.label }), value: item.label };
    return { sco, pattern: `[x-flaglight-phrase:value = ${lit(item.label)}]` };
  }
  // Telegram handles and every page account.
  const network = k === 'telegram' ? 'telegram' : item.network || k;
  const accountType = ACCOUNT_TYPE[/** @type {keyof typeof ACCOUNT_TYPE} */ (network)] ?? network;
  const login = accountId(item.key);
  const sco = {
    type: 'user-account',
    ...base,
    id: await scoId('user-account', { account_type: accountType, account_login: login }),
    account_type: accountType,
    account_login: login,
    display_name: item.name || item.label,
    ...(item.url ? { x_flaglight_url: item.url } : {}),
    ...(item.detail && !ID_KINDS.includes(item.detail) ? { x_flaglight_account_kind: item.detail } : {}),
  };
  return { sco, pattern: `[user-account:account_type = ${lit(accountType)} AND user-account:account_login = ${lit(login)}]` };
}

/**
 * The bundle, as an object (JSON.stringify it to save).
 * @param {ExportData} d
 */
export async function stixBundle(d) {
  const now = iso(d.now);
  const identity = {
    type: 'identity',
    spec_version: '2.1',
    id: await ownId('identity', d.exporter.id),
    created: now,
    modified: now,
    name: d.exporter.name,
    identity_class: 'individual',
    description: 'A moderator using flaglight; the sightings are what flaglight recorded on pages they viewed.',
  };
  /** @type {any[]} */
  const objects = [identity];
  const mine = { created_by_ref: identity.id };
  /** @type {Map<string, any[]>} */
  const byItem = new Map();
  for (const s of d.sightings) {
    const l = byItem.get(s.item) ?? [];
    l.push(s);
    byItem.set(s.item, l);
  }
  /** @type {Map<string, string>} */
  const pageUrls = new Map();
  for (const item of d.items) {
    const { sco, pattern } = await observableOf(item, d.clear);
    objects.push(sco);
    const od = {
      type: 'observed-data',
      spec_version: '2.1',
      id: await ownId('observed-data', `${d.exporter.id}:${item.key}`),
      ...mine,
      created: iso(item.first),
      modified: now,
      first_observed: iso(item.first),
      last_observed: iso(item.last),
      number_observed: count(item.count),
      object_refs: [sco.id],
    };
    objects.push(od);
    let sightingOf = od.id;
    const w = d.watch.get(item.key);
    if (w && pattern) {
      const indicator = {
        type: 'indicator',
        spec_version: '2.1',
        id: await ownId('indicator', `${d.exporter.id}:${item.key}`),
        ...mine,
        created: iso(w.added),
        modified: now,
        name: `Watched: ${item.label}`,
        ...(w.note ? { description: w.note } : {}),
        indicator_types: ['attribution'],
        pattern,
        pattern_type: 'stix',
        pattern_version: '2.1',
        valid_from: iso(w.added),
      };
      objects.push(indicator);
      sightingOf = indicator.id;
    }
    for (const s of byItem.get(item.key) ?? []) {
      let pageId = pageUrls.get(s.page);
      if (!pageId) {
        const url = { type: 'url', spec_version: '2.1', id: await scoId('url', { value: s.page }), value: s.page };
        objects.push(url);
        pageId = url.id;
        pageUrls.set(s.page, pageId);
      }
      const pod = {
        type: 'observed-data',
        spec_version: '2.1',
        id: await ownId('observed-data', `${d.exporter.id}:${item.key}\u0000${s.page}`),
        ...mine,
        created: iso(s.first),
        modified: now,
        first_observed: iso(s.first),
        last_observed: iso(s.last),
        number_observed: count(s.count),
        object_refs: [sco.id, pageId],
      };
      objects.push(pod, {
        type: 'sighting',
        spec_version: '2.1',
        id: await ownId('sighting', `${d.exporter.id}:${item.key}\u0000${s.page}`),
        ...mine,
        created: iso(s.first),
        modified: now,
        first_seen: iso(s.first),
        last_seen: iso(s.last),
        count: count(s.count),
        sighting_of_ref: sightingOf,
        observed_data_refs: [pod.id],
        where_sighted_refs: [identity.id],
        description: `Seen on ${s.page}${s.title ? ` (${s.title})` : ''}`,
        ...(s.finding ? { x_flaglight_rule: `${s.finding.pack}/${s.finding.rule}` } : {}),
      });
    }
    const days = Object.entries(item.days ?? {});
    if (days.length) {
      const times = days.map(([day]) => Date.parse(`${day}T00:00:00Z`));
      objects.push({
        type: 'sighting',
        spec_version: '2.1',
        id: await ownId('sighting', `${d.exporter.id}:${item.key}\u0000days`),
        ...mine,
        created: iso(Math.min(...times)),
        modified: now,
        first_seen: iso(Math.min(...times)),
        last_seen: iso(Math.max(...times) + 86_399_999),
        count: count(days.reduce((n, [, x]) => n + x.n, 0)),
        sighting_of_ref: sightingOf,
        where_sighted_refs: [identity.id],
        summary: true,
        description: 'Older sightings, kept as counts per day.',
      });
    }
  }
  return { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects };
}
