// Sightings as a MISP event (the JSON MISP's "Add event from JSON" and its
// REST API import), with the standard misp-objects templates: btc-wallet,
// coin-address (other crypto), credit-card, bank-account (IBAN, YooMoney,
// WebMoney), phone-number, url (payment links), telegram-account, and for
// the pages' accounts twitter-account, facebook-page / facebook-group /
// facebook-account, reddit-subreddit / reddit-account, instagram-account,
// youtube-channel and social-media-group (VK, OK, TikTok). Each page an item
// was seen on is a url object (its first and last time, title), referenced
// from the item's object as "found-on"; the item's object carries its first
// and last time and, in its comment, how often and on how many sites.
//
// Template uuids and versions are those of github.com/MISP/misp-objects
// (checked against the vendored definitions by tests/unit/exports.test.mjs and the e2e export test). Cards and
// IBANs are masked to their last four characters unless their clear values
// are passed (with correlation off for a mask: two cards may share them).

import { SENSITIVE } from './sighting-items.js';
import { uuid5 } from './uuid5.js';

const NAMESPACE = '9a3c1d27-6f4e-4b8a-b2d0-5e7c8f1a3b96';

/** name -> [template uuid, template version, meta-category, description] */
export const TEMPLATES = {
  'btc-wallet': ['22910C83-DD0E-4ED2-9823-45F8CAD562A4', '3', 'financial', 'An object to describe a Bitcoin wallet. Best to be used with btc-transaction object.'],
  'coin-address': ['d0e6997e-78da-4815-a6a1-cfc1c1cb8a46', '7', 'financial', 'An address used in a cryptocurrency'],
  'credit-card': ['2b9c57aa-daba-4330-a738-56f18743b0c7', '3', 'financial', 'A payment card like credit card, debit card or any similar cards which can be used for financial transactions.'],
  'bank-account': ['b4712203-95a8-4883-80e9-b566f5df11c9', '3', 'financial', 'An object describing bank account information based on account description from goAML 4.0.'],
  'phone-number': ['c4b5a67c-63d2-11ec-90d6-0242ac120003', '1', 'mobile', 'Phone number based on the E.164 international public telecommunication numbering plan'],
  url: ['60efb77b-40b5-4c46-871b-ed1ed999fce5', '10', 'network', 'url object describes an url along with its normalized field (like extracted using faup parsing library) and its metadata.'],
  'telegram-account': ['06f02ecf-5afb-42c5-9cb0-b362e222f52c', '2', 'misc', 'Information related to a telegram account'],
  'twitter-account': ['8066563f-881e-4f6a-9d6c-a9d15b8658bb', '7', 'misc', 'Twitter account.'],
  'facebook-page': ['e76892db-c168-4289-b957-56e3021c46b9', '1', 'misc', 'Facebook page.'],
  'facebook-group': ['165c5507-1cba-4cec-9be4-66e21b590ee6', '2', 'misc', 'Public or private facebook group.'],
  'facebook-account': ['b9862b95-7d78-4938-a2b5-13e45c60f25a', '1', 'misc', 'Facebook account.'],
  'reddit-subreddit': ['5a00464c-5379-4e66-ab21-d356ba426155', '2', 'misc', 'Public or private subreddit.'],
  'reddit-account': ['6802f885-2003-494a-b234-61aadce62731', '2', 'misc', 'Reddit account.'],
  'instagram-account': ['656ced16-23f3-4322-925d-c9c961684999', '1', 'misc', 'Instagram account.'],
  'youtube-channel': ['cb9f492b-9930-4388-98e1-5d0cdcfa51df', '1', 'misc', 'A YouTube channel.'],
  'social-media-group': ['c4939ec4-ab53-4c35-9a98-3d4d4caf5b6c', '1', 'misc', 'Social media group object template describing a public or private group or channel.'],
};

/** A MISP attribute type's default category (describeTypes.json). */
const CATEGORY = {
  btc: 'Financial fraud',
  xmr: 'Financial fraud',
  'cc-number': 'Financial fraud',
  iban: 'Financial fraud',
  'bank-account-nr': 'Financial fraud',
  'phone-number': 'Financial fraud',
  text: 'Other',
  comment: 'Other',
  datetime: 'Other',
  boolean: 'Other',
  url: 'Network activity',
  link: 'External analysis',
  hostname: 'Network activity',
  domain: 'Network activity',
};

const SYMBOL = { eth: 'ETH', trx: 'TRX', ltc: 'LTC', doge: 'DOGE', zec: 'ZEC', xmr: 'XMR' };
const PROVIDER = { yoomoney: 'YooMoney', webmoney: 'WebMoney' };
const PLATFORM = { vk: 'VKontakte', ok: 'Odnoklassniki', tiktok: 'TikTok', telegram: 'Telegram', x: 'Twitter', facebook: 'Facebook', reddit: 'Reddit', instagram: 'Instagram', youtube: 'YouTube' };

/** @param {number} ms */
const iso = (ms) => new Date(ms).toISOString();
/** @param {number} ms */
const epoch = (ms) => String(Math.floor(ms / 1000));

/**
 * @param {string} relation
 * @param {string} type
 * @param {string} value
 * @param {{toIds?: boolean, comment?: string, noCorrelation?: boolean, uuid: string}} o
 */
function attr(relation, type, value, o) {
  return {
    uuid: o.uuid,
    object_relation: relation,
    type,
    category: CATEGORY[/** @type {keyof typeof CATEGORY} */ (type)] ?? 'Other',
    value,
    to_ids: !!o.toIds,
    distribution: '5',
    disable_correlation: !!o.noCorrelation,
    comment: o.comment ?? '',
    deleted: false,
  };
}

/**
 * The object name and attributes (relation, type, value, options) of an item.
 * @param {any} item
 * @param {Map<string, string>} clear
 * @returns {[string, [string, string, string, any?][]]}
 */
export function objectOf(item, clear) {
  const k = item.kind;
  if (k === 'btc') return ['btc-wallet', [['wallet-address', 'btc', item.label, { toIds: true }]]];
  if (k in SYMBOL) {
    const sym = SYMBOL[/** @type {keyof typeof SYMBOL} */ (k)];
    return ['coin-address', [k === 'xmr' ? ['address-xmr', 'xmr', item.label, { toIds: true }] : ['address-crypto', 'text', item.label, { toIds: true }], ['symbol', 'text', sym]]];
  }
  if (SENSITIVE.has(k)) {
    const value = clear.get(item.key);
    const shown = value ?? item.label.slice(-4);
    const opts = value ? { toIds: true } : { noCorrelation: true, comment: 'Masked: the last four characters only.' };
    if (k === 'card') return ['credit-card', [['cc-number', 'cc-number', shown, opts], ...(item.detail ? [['comment', 'comment', item.detail]] : [])]];
    return ['bank-account', [['iban', 'iban', shown, opts]]];
  }
  if (k in PROVIDER) {
    const p = PROVIDER[/** @type {keyof typeof PROVIDER} */ (k)];
    return ['bank-account', [['account', 'bank-account-nr', item.label, { toIds: true }], ['institution-name', 'text', p], ['non-banking-institution', 'boolean', 'True']]];
  }
  if (k === 'phone') return ['phone-number', [['phone-number', 'phone-number', item.label, { toIds: true }]]];
  if (k === 'payment_link') {
    const url = /^https?:\/\//.test(item.label) ? item.label : `https://${item.label}`;
    return ['url', [['url', 'url', url, { toIds: true }]]];
  }
  const id = item.key.slice(item.key.indexOf(':') + 1);
  const network = k === 'telegram' ? 'telegram' : item.network || k;
  const link = item.url || '';
  const withLink = (/** @type {[string, string, string, any?][]} */ list) => (link ? [...list, ['link', 'link', link]] : list);
  switch (network) {
    case 'telegram':
      return ['telegram-account', [['username', 'text', id.startsWith('+') || id.startsWith('c/') ? `t.me/${id}` : id]]];
    case 'x':
      return ['twitter-account', withLink([['name', 'text', id]])];
    case 'facebook':
      if (item.detail === 'group') return ['facebook-group', withLink([['group-name', 'text', item.name || id.replace(/^groups\//, '')]])];
      if (item.detail === 'user') return ['facebook-account', withLink([['account-id', 'text', id]])];
      return ['facebook-page', withLink([['page-name', 'text', item.name || id]])];
    case 'reddit':
      if (id.startsWith('r/')) return ['reddit-subreddit', withLink([['display-name', 'text', id]])];
      return ['reddit-account', withLink([['account-name', 'text', id.replace(/^u\//, '')]])];
    case 'instagram':
      return ['instagram-account', withLink([['account-name', 'text', id]])];
    case 'youtube':
      return ['youtube-channel', withLink([id.startsWith('channel/') ? ['channel-id', 'text', id.slice(8)] : ['channel-name', 'text', item.name || id]])];
    default: {
      const platform = PLATFORM[/** @type {keyof typeof PLATFORM} */ (network)] ?? network;
      return ['social-media-group', [['group-name', 'text', item.name || item.label], ['group-alias', 'text', id], ['platform', 'text', platform], ...(link ? [['url', 'url', link]] : [])]];
    }
  }
}

/**
 * The MISP event, as an object ({"Event": ...}).
 * @param {import('./stix.js').ExportData} d
 */
export async function mispEvent(d) {
  const uid = (/** @type {string} */ name) => uuid5(NAMESPACE, `${d.exporter.id}:${name}`);
  /** @type {Map<string, any[]>} */
  const byItem = new Map();
  for (const s of d.sightings) {
    const l = byItem.get(s.item) ?? [];
    l.push(s);
    byItem.set(s.item, l);
  }
  /** @type {any[]} */
  const objects = [];
  /** @type {Map<string, any>} */
  const pages = new Map();
  const make = async (/** @type {string} */ name, /** @type {string} */ key, /** @type {[string, string, string, any?][]} */ attrs, /** @type {{first?: number, last?: number, comment?: string}} */ o) => {
    const [template, version, meta, description] = TEMPLATES[/** @type {keyof typeof TEMPLATES} */ (name)];
    return {
      name,
      'meta-category': meta,
      description,
      template_uuid: template,
      template_version: version,
      uuid: await uid(`object:${key}`),
      timestamp: epoch(d.now),
      distribution: '5',
      sharing_group_id: '0',
      comment: o.comment ?? '',
      deleted: false,
      ...(o.first ? { first_seen: iso(o.first) } : {}),
      ...(o.last ? { last_seen: iso(o.last) } : {}),
      Attribute: await Promise.all(attrs.map(async ([rel, type, value, opts], i) => attr(rel, type, value, { ...(opts ?? {}), uuid: await uid(`attr:${key}:${i}:${rel}`) }))),
      ObjectReference: [],
    };
  };
  for (const item of d.items) {
    const [name, attrs] = objectOf(item, d.clear);
    const w = d.watch.get(item.key);
    const obj = await make(name, item.key, attrs, {
      first: item.first,
      last: item.last,
      comment: `Seen ${item.count} times on ${item.hosts.length + (item.moreHosts ?? 0)} sites${w ? '; on the watch-list' : ''}.`,
    });
    for (const s of byItem.get(item.key) ?? []) {
      let page = pages.get(s.page);
      if (!page) {
        page = await make('url', `page:${s.page}`, [['url', 'url', s.page], ...(s.title ? [['text', 'text', s.title.slice(0, 500)]] : [])], { comment: 'A page where flaglight saw the items that refer to it.' });
        page.Attribute.push(attr('first-seen', 'datetime', iso(s.first), { uuid: await uid(`attr:page:${s.page}:first`) }));
        page.Attribute.push(attr('last-seen', 'datetime', iso(s.last), { uuid: await uid(`attr:page:${s.page}:last`) }));
        pages.set(s.page, page);
        objects.push(page);
      } else {
        const f = page.Attribute.find((/** @type {any} */ a) => a.object_relation === 'first-seen');
        const l = page.Attribute.find((/** @type {any} */ a) => a.object_relation === 'last-seen');
        if (f && iso(s.first) < f.value) f.value = iso(s.first);
        if (l && iso(s.last) > l.value) l.value = iso(s.last);
      }
      obj.ObjectReference.push({
        uuid: await uid(`ref:${item.key}\u0000${s.page}`),
        referenced_uuid: page.uuid,
        relationship_type: 'found-on',
        comment: `${s.count} times, ${iso(s.first)} to ${iso(s.last)}`,
        deleted: false,
      });
    }
    objects.push(obj);
  }
  const date = iso(d.now).slice(0, 10);
  return {
    Event: {
      uuid: await uid(`event:${d.now}`),
      info: `flaglight sightings, exported ${date}`,
      date,
      timestamp: epoch(d.now),
      published: false,
      analysis: '1',
      threat_level_id: '4',
      distribution: '0',
      Tag: [{ name: 'tlp:amber' }],
      Attribute: [],
      Object: objects,
    },
  };
}
