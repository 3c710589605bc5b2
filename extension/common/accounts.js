// The account or channel a page belongs to, read from its URL and its own
// metadata (canonical link, og:url, twitter:site, app links): a VK group or
// user, a t.me channel, an X handle, a Facebook page or group, a Reddit
// community or user, an Instagram, YouTube, TikTok or OK account.
//
// Each account gets a key that does not depend on how the page was reached:
// vk.com/club1, vk.com/public1 and a post vk.com/wall-1_2 are all "vk:club1";
// t.me/name, t.me/s/name and a post t.me/name/15 are "telegram:name", which
// is also the key of the handle @name or the link t.me/name found in a
// page's text (sighting-items.js), so a channel is recognised whether it was
// visited or mentioned. Names that the network treats case-insensitively are
// lower-cased; ids are kept as written.
//
// Written here rather than taken from a library: what counts as "the page's
// account" is specific to these networks' URL layouts (reserved paths such as
// vk.com/feed or x.com/home are not accounts), and no package knows them.

import { normalizeUrl } from './url.js';

/**
 * @typedef {object} Account
 * @property {string} key       e.g. "vk:club123", "telegram:name", "x:name"
 * @property {string} network   vk, telegram, x, facebook, reddit, instagram, youtube, tiktok, ok
 * @property {string} type      group, user, channel, page, community
 * @property {string} label     how it is shown: "vk.com/club123", "t.me/name", "x.com/name"
 * @property {string} url       the account's own page (https)
 */

/** Network names, for filters and exports. */
export const NETWORKS = ['vk', 'telegram', 'x', 'facebook', 'reddit', 'instagram', 'youtube', 'tiktok', 'ok'];

/**
 * The network a host belongs to ('' for none of them).
 * @param {string} host
 */
export function networkOf(host) {
  const h = host.toLowerCase().replace(/^www\./, '');
  const is = (/** @type {string} */ d) => h === d || h.endsWith(`.${d}`);
  if (is('vk.com') || is('vk.ru')) return 'vk';
  if (h === 't.me' || h === 'telegram.me' || h === 'web.telegram.org' || h === 'telegram.dog') return 'telegram';
  if (is('x.com') || is('twitter.com')) return 'x';
  if (is('facebook.com') || h === 'fb.com') return 'facebook';
  if (is('reddit.com')) return 'reddit';
  if (is('instagram.com')) return 'instagram';
  if (is('youtube.com')) return 'youtube';
  if (is('tiktok.com')) return 'tiktok';
  if (is('ok.ru')) return 'ok';
  return '';
}

const VK_RESERVED = new Set(
  'feed im friends groups search settings audio audios video videos music apps games docs login join notifications bookmarks fave support dev ads pay services market clips stickers gifts edit restore terms privacy about jobs press blog legal mail messages photos albums tags id0 wall verify help'.split(' '),
);
const X_RESERVED = new Set(
  'home explore search notifications messages i settings compose login logout signup tos privacy hashtag intent share jobs account download about lists topics communities premium verified-choose'.split(' '),
);
const FB_RESERVED = new Set(
  'watch marketplace gaming events groups login home friends messages notifications settings search hashtag stories reel reels photo photos share sharer help policies privacy business ads pages people dialog plugins checkpoint recover bookmarks saved memories fundraisers donate live news feeds me media'.split(' '),
);
const IG_RESERVED = new Set('p reel reels explore accounts direct tv about legal developer web challenge emails session stories'.split(' '));
const OK_RESERVED = new Set('feed messages friends guests notifications video music games dk search settings apps gifts discussions groups marks profile group'.split(' '));

/**
 * @param {string} network
 * @param {string} type
 * @param {string} id       the key's part after "network:"
 * @param {string} label
 * @param {string} url
 * @returns {Account}
 */
function account(network, type, id, label, url) {
  return { key: `${network}:${id}`, network, type, label, url };
}

/** @param {string} s */
function lower(s) {
  return s.toLowerCase();
}

/** @param {string} name @returns {Account} */
function telegram(name) {
  const id = name.startsWith('+') || name.startsWith('c/') ? name : lower(name);
  return account('telegram', 'channel', id, `t.me/${id}`, `https://t.me/${id}`);
}

/** A Telegram username: 5-32 letters, digits and underscores, starting with a letter. @param {string} s */
function isTelegramName(s) {
  return /^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(s);
}

/** @param {string[]} seg @param {URLSearchParams} q @returns {Account|null} */
function vk(seg, q) {
  // A post or photo opened over the feed: vk.com/feed?w=wall-1_2, ?z=photo-1_2.
  for (const p of [q.get('w'), q.get('z'), seg[0]]) {
    const m = p && /^(?:wall|photo|video|album|topic|board|market|clip|story)(-?)(\d+)_/.exec(p);
    if (m) return m[1] ? vkGroup(m[2]) : vkUser(m[2]);
  }
  const s = seg[0];
  if (!s) return null;
  let m = /^(?:club|public|event)(\d+)$/.exec(s);
  if (m) return vkGroup(m[1]);
  m = /^id(\d+)$/.exec(s);
  if (m) return vkUser(m[1]);
  if (/^[A-Za-z0-9_.]{2,32}$/.test(s) && !s.includes('..') && !VK_RESERVED.has(lower(s)) && !/\.php$/i.test(s) && !/^al_/.test(s)) {
    return account('vk', 'page', lower(s), `vk.com/${lower(s)}`, `https://vk.com/${lower(s)}`);
  }
  return null;
}
/** @param {string} n */
function vkGroup(n) {
  return account('vk', 'group', `club${n}`, `vk.com/club${n}`, `https://vk.com/club${n}`);
}
/** @param {string} n */
function vkUser(n) {
  return account('vk', 'user', `id${n}`, `vk.com/id${n}`, `https://vk.com/id${n}`);
}

/** @param {string} host @param {string[]} seg @param {string} hash @returns {Account|null} */
function tg(host, seg, hash) {
  if (host === 'web.telegram.org') {
    // web.telegram.org/k/#@name, /a/#@name; a channel by its number: #-1001234567890.
    const h = decodeURIComponent(hash.replace(/^#/, ''));
    let m = /^@([A-Za-z][A-Za-z0-9_]{3,31})$/.exec(h);
    if (m) return telegram(m[1]);
    m = /^-100(\d{5,16})$/.exec(h);
    if (m) return telegram(`c/${m[1]}`);
    return null;
  }
  const [a, b] = seg;
  if (!a) return null;
  if (a === 's' && b && isTelegramName(b)) return telegram(b);
  if (a === 'c' && b && /^\d{5,16}$/.test(b)) return telegram(`c/${b}`);
  if (a === 'joinchat' && b && /^[A-Za-z0-9_-]{8,64}$/.test(b)) return telegram(`+${b}`);
  if (/^\+[A-Za-z0-9_-]{8,64}$/.test(a)) return telegram(a);
  if (isTelegramName(a) && !['share', 'proxy', 'socks', 'login', 'addstickers', 'addemoji', 'addtheme', 'setlanguage', 'confirmphone', 'contact', 'iv', 'joinchat'].includes(lower(a))) {
    return telegram(a);
  }
  return null;
}

/** @param {string[]} seg @returns {Account|null} */
function x(seg) {
  const s = seg[0];
  if (!s || !/^[A-Za-z0-9_]{1,15}$/.test(s) || X_RESERVED.has(lower(s))) return null;
  return account('x', 'user', lower(s), `x.com/${lower(s)}`, `https://x.com/${lower(s)}`);
}

/** @param {string[]} seg @param {URLSearchParams} q @returns {Account|null} */
function facebook(seg, q) {
  const s = seg[0] ?? '';
  const byId = (/** @type {string} */ id, type = 'page') => account('facebook', type, id, `facebook.com/${id}`, `https://www.facebook.com/${id}`);
  if (/^(profile|permalink|story)\.php$/i.test(s)) {
    const id = q.get('id');
    return id && /^\d{5,20}$/.test(id) ? byId(id, s.startsWith('profile') ? 'user' : 'page') : null;
  }
  if (s === 'groups' && seg[1] && /^[A-Za-z0-9._-]{2,80}$/.test(seg[1])) {
    const g = lower(seg[1]);
    return account('facebook', 'group', `groups/${g}`, `facebook.com/groups/${g}`, `https://www.facebook.com/groups/${g}`);
  }
  if ((s === 'pages' || s === 'people') && seg[2] && /^\d{5,20}$/.test(seg[2])) return byId(seg[2], s === 'people' ? 'user' : 'page');
  if (/^[A-Za-z0-9.-]{3,50}$/.test(s) && !FB_RESERVED.has(lower(s)) && !/\.php$/i.test(s)) return byId(lower(s));
  return null;
}

/** @param {string[]} seg @returns {Account|null} */
function reddit(seg) {
  const [a, b] = seg;
  if (!b || !/^[A-Za-z0-9_-]{2,32}$/.test(b)) return null;
  if (a === 'r') return account('reddit', 'community', `r/${lower(b)}`, `reddit.com/r/${lower(b)}`, `https://www.reddit.com/r/${lower(b)}`);
  if (a === 'u' || a === 'user') return account('reddit', 'user', `u/${lower(b)}`, `reddit.com/u/${lower(b)}`, `https://www.reddit.com/user/${lower(b)}`);
  return null;
}

/** @param {string[]} seg @returns {Account|null} */
function instagram(seg) {
  const s = seg[0] === 'stories' ? seg[1] : seg[0];
  if (!s || !/^[A-Za-z0-9._]{1,30}$/.test(s) || IG_RESERVED.has(lower(s))) return null;
  return account('instagram', 'user', lower(s), `instagram.com/${lower(s)}`, `https://www.instagram.com/${lower(s)}`);
}

/** @param {string[]} seg @returns {Account|null} */
function youtube(seg) {
  const [a, b] = seg;
  if (a && /^@[A-Za-z0-9._-]{3,30}$/.test(a)) return account('youtube', 'channel', lower(a), `youtube.com/${lower(a)}`, `https://www.youtube.com/${lower(a)}`);
  if (a === 'channel' && b && /^UC[A-Za-z0-9_-]{22}$/.test(b)) return account('youtube', 'channel', `channel/${b}`, `youtube.com/channel/${b}`, `https://www.youtube.com/channel/${b}`);
  if ((a === 'c' || a === 'user') && b && /^[A-Za-z0-9._-]{2,60}$/.test(b)) {
    return account('youtube', 'channel', `${a}/${lower(b)}`, `youtube.com/${a}/${lower(b)}`, `https://www.youtube.com/${a}/${lower(b)}`);
  }
  return null;
}

/** @param {string[]} seg @returns {Account|null} */
function tiktok(seg) {
  const s = seg[0];
  if (!s || !/^@[A-Za-z0-9._]{2,24}$/.test(s)) return null;
  return account('tiktok', 'user', lower(s), `tiktok.com/${lower(s)}`, `https://www.tiktok.com/${lower(s)}`);
}

/** @param {string[]} seg @returns {Account|null} */
function ok(seg) {
  const [a, b] = seg;
  let m = a && /^group(\d{5,20})$/.exec(a);
  if (m) return account('ok', 'group', `group/${m[1]}`, `ok.ru/group/${m[1]}`, `https://ok.ru/group/${m[1]}`);
  if ((a === 'group' || a === 'profile') && b && /^\d{5,20}$/.test(b)) {
    return account('ok', a === 'group' ? 'group' : 'user', `${a}/${b}`, `ok.ru/${a}/${b}`, `https://ok.ru/${a}/${b}`);
  }
  if (a && /^[A-Za-z0-9_.]{3,40}$/.test(a) && !OK_RESERVED.has(lower(a))) return account('ok', 'page', lower(a), `ok.ru/${lower(a)}`, `https://ok.ru/${lower(a)}`);
  return null;
}

/**
 * The account a URL belongs to, or null (a feed, a search, another site).
 * @param {string} href
 * @returns {Account|null}
 */
export function accountOfUrl(href) {
  let u;
  try {
    u = new URL(href);
  } catch {
    return null;
  }
  if (u.protocol === 'tg:') {
    // App links: tg://resolve?domain=name
    const d = u.searchParams.get('domain');
    return d && isTelegramName(d) ? telegram(d) : null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  const host = u.hostname.toLowerCase();
  const network = networkOf(host);
  if (!network) return null;
  let seg;
  try {
    seg = u.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return null;
  }
  switch (network) {
    case 'vk':
      return vk(seg, u.searchParams);
    case 'telegram':
      return tg(host.replace(/^www\./, ''), seg, u.hash);
    case 'x':
      return x(seg);
    case 'facebook':
      return facebook(seg, u.searchParams);
    case 'reddit':
      return reddit(seg);
    case 'instagram':
      return instagram(seg);
    case 'youtube':
      return youtube(seg);
    case 'tiktok':
      return tiktok(seg);
    case 'ok':
      return ok(seg);
    default:
      return null;
  }
}

/**
 * What the content script reads from a page's head for its account.
 * @typedef {object} PageMeta
 * @property {string[]} links    canonical link, og:url, al:*:url app links
 * @property {string[]} handles  twitter:site, twitter:creator ("@name")
 * @property {string} name       og:title (the account's display name on its own page)
 */

/**
 * Every account a page belongs to: its URL's, then its metadata's, without
 * repeats. A page's metadata may only name accounts of the network the page
 * is on (a news site's twitter:site is that site's account on X, which is
 * kept; a VK page's canonical link to another network is not).
 * @param {string} href
 * @param {PageMeta|null} [meta]
 * @returns {Account[]}
 */
export function pageAccounts(href, meta = null) {
  /** @type {Map<string, Account>} */
  const out = new Map();
  const add = (/** @type {Account|null} */ a) => {
    if (a && !out.has(a.key)) out.set(a.key, a);
  };
  add(accountOfUrl(href));
  let pageNet;
  try {
    pageNet = networkOf(new URL(href).hostname);
  } catch {
    return [...out.values()];
  }
  for (const link of meta?.links ?? []) {
    const a = accountOfUrl(link);
    if (a && (!pageNet || a.network === pageNet)) add(a);
  }
  for (const h of meta?.handles ?? []) {
    const m = /^@?([A-Za-z0-9_]{1,15})$/.exec(h.trim());
    if (m && (!pageNet || pageNet === 'x')) add(x([m[1]]));
  }
  return [...out.values()];
}

/**
 * The key a sighting's page is stored under: the URL without tracking
 * parameters and fragment (common/url.js, as flags), except where the
 * fragment is the page (web.telegram.org/k/#@name is a chat).
 * @param {string} href
 */
export function pageKey(href) {
  const base = normalizeUrl(href);
  try {
    const u = new URL(href);
    if (u.hostname === 'web.telegram.org' && u.hash.length > 1) return base + u.hash;
  } catch {
    // normalizeUrl kept it as it was
  }
  return base;
}

/**
 * The shortest form of a page URL for a line of text: host and path, no
 * scheme or "www.", the query and fragment kept only when they are short.
 * @param {string} href
 */
export function shortUrl(href) {
  try {
    const u = new URL(href);
    const path = u.pathname === '/' ? '' : u.pathname;
    const rest = `${u.search}${u.hash}`;
    return `${u.hostname.replace(/^www\./, '')}${path}${rest.length <= 24 ? rest : ''}`;
  } catch {
    return href;
  }
}
