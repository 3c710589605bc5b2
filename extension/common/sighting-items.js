// What a sighting is of: an item, keyed so that the same identifier or
// account gets the same key wherever it is seen.
//
// - Identifiers (card, IBAN, crypto addresses, YooMoney, WebMoney, phone,
//   payment link, Telegram) are keyed by the engine's canonical value
//   (separators removed, digits ASCII: `ids_in` in src/wasm.rs), lower-cased
//   where the format ignores case (Ethereum's mixed case is a checksum,
//   payment-link hosts and names, Telegram usernames).
// - Cards and IBANs are never kept in clear: their key is a keyed hash
//   (HMAC-SHA-256 with a key made on install that never leaves the
//   profile) and only their last four characters are shown.
// - A Telegram handle (@name), a link (t.me/name, t.me/s/name) and the
//   channel page t.me/name share the key "telegram:name" (accounts.js).
// - Watched phrases are items of kind "phrase".

/** Identifier kinds, as the engine names them. */
export const ID_KINDS = ['card', 'iban', 'btc', 'eth', 'trx', 'ltc', 'doge', 'zec', 'xmr', 'yoomoney', 'webmoney', 'phone', 'payment_link', 'telegram'];
/** Kinds kept as keyed hashes with the last four characters in clear. */
export const SENSITIVE = new Set(['card', 'iban']);

/**
 * @typedef {object} Item
 * @property {string} key      "btc:bc1q…", "card:h:<hash>", "telegram:name", "vk:club1", "phrase:<text>"
 * @property {'id'|'account'|'phrase'} type
 * @property {string} kind     an identifier kind, a network (accounts), or "phrase"
 * @property {string} label    how it is shown (masked for cards and IBANs)
 * @property {string} detail   scheme or address type ("Visa", "P2WPKH (bech32)"), account type
 * @property {string} [network]  accounts: the network
 * @property {string} [url]      accounts: the account's page
 */

/**
 * A keyed hash, as hex: `(text) => Promise<string>`; made by `hasher`.
 * @typedef {(text: string) => Promise<string>} Keyed
 */

/**
 * A keyed hash function over a CryptoKey (HMAC-SHA-256), truncated to 128
 * bits: enough that two cards never share a key, short enough to index.
 * @param {CryptoKey} key
 * @returns {Keyed}
 */
export function hasher(key) {
  const enc = new TextEncoder();
  return async (text) => {
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(text)));
    let hex = '';
    for (let i = 0; i < 16; i++) hex += mac[i].toString(16).padStart(2, '0');
    return hex;
  };
}

/** The masked form of a card or IBAN: its last four characters. @param {string} value */
export function masked(value) {
  return `•••• ${value.slice(-4)}`;
}

/**
 * The Telegram username or invite an identifier value names, as its key
 * part: "@Name", "t.me/Name", "t.me/s/Name" -> "name"; "t.me/+abc",
 * "t.me/joinchat/abc" -> "+abc" (invites are case-sensitive).
 * @param {string} value
 */
export function telegramId(value) {
  const v = value.trim();
  let m = /^@([A-Za-z0-9_]{4,32})$/.exec(v);
  if (m) return m[1].toLowerCase();
  m = /^(?:https?:\/\/)?(?:www\.)?(?:t|telegram)\.me\/(?:\+|joinchat\/)([A-Za-z0-9_-]{8,64})(?:[/?#].*)?$/i.exec(v);
  if (m) return `+${m[1]}`;
  m = /^(?:https?:\/\/)?(?:www\.)?(?:t|telegram)\.me\/(?:s\/)?([A-Za-z0-9_]{4,32})(?:[/?#].*)?$/i.exec(v);
  if (m) return m[1].toLowerCase();
  return v.toLowerCase();
}

/**
 * The item of an identifier the engine found.
 * @param {{kind: string, value: string, detail?: string}} id
 * @param {Keyed} keyed
 * @returns {Promise<Item & {clear?: string}>}  clear: a card's or IBAN's value (never stored)
 */
export async function idItem(id, keyed) {
  const kind = id.kind;
  const detail = id.detail ?? '';
  if (SENSITIVE.has(kind)) {
    const value = kind === 'iban' ? id.value.toUpperCase() : id.value;
    return { key: `${kind}:h:${await keyed(`${kind}:${value}`)}`, type: 'id', kind, label: masked(value), detail, clear: value };
  }
  if (kind === 'telegram') {
    const tid = telegramId(id.value);
    return { key: `telegram:${tid}`, type: 'id', kind, label: tid.startsWith('+') ? `t.me/${tid}` : `@${tid}`, detail };
  }
  // Case carries no meaning in these: Ethereum's mixed case is a checksum, bech32 is one case, link hosts and names.
  const value = kind === 'eth' || kind === 'payment_link' || (kind === 'btc' && /^bc1/i.test(id.value)) ? id.value.toLowerCase() : id.value;
  return { key: `${kind}:${value}`, type: 'id', kind, label: value, detail };
}

/**
 * The item of a page's account (accounts.js).
 * @param {import('./accounts.js').Account} a
 * @returns {Item}
 */
export function accountItem(a) {
  return { key: a.key, type: 'account', kind: a.network, label: a.label, detail: a.type, network: a.network, url: a.url };
}

/** Most characters of a watched phrase (the engine's keyword limit). */
export const MAX_PHRASE = 200;

/** The item of a watched phrase. @param {string} text @returns {Item} */
export function phraseItem(text) {
  const t = text.trim().replace(/\s+/g, ' ').slice(0, MAX_PHRASE);
  return { key: `phrase:${t.toLowerCase()}`, type: 'phrase', kind: 'phrase', label: t, detail: '' };
}

/** Whether a string is an item key this code makes. @param {unknown} k */
export function isItemKey(k) {
  return typeof k === 'string' && k.length >= 3 && k.length <= 512 && /^[a-z_]{1,20}:./.test(k);
}

/** The item type a key belongs to. @param {string} key @returns {'id'|'account'|'phrase'} */
export function typeOfKey(key) {
  const kind = key.slice(0, key.indexOf(':'));
  if (kind === 'phrase') return 'phrase';
  return ID_KINDS.includes(kind) ? 'id' : 'account';
}
