// The UI's language: messages, plural forms, numbers, dates and direction,
// in one small module shared by every context (background, content script,
// popup, panel, options page) and by Node tests.
//
// Messages come from _locales/<lang>/messages.json through the browser's
// i18n.getMessage, which picks the browser's UI language and falls back to
// the manifest's default_locale (en). Everything else is derived from the
// language of the messages actually in use (the message "locale"), not from
// the browser's own notion: started with --lang=ar, Chromium 156 on Linux
// serves the Arabic messages while getUILanguage() says en-US and
// @@bidi_dir says ltr (measured). Numbers, dates and plurals must agree with
// the words around them, so they follow the messages.
//
// Plural forms are separate messages named KEY_<category>, where category is
// what Intl.PluralRules gives for the language: en one/other, ru
// one/few/many/other, ar zero/one/two/few/many/other. tests/unit/i18n.test.mjs
// checks every locale has exactly the forms its language needs.

import { api } from './api.js';

/** Languages written right to left (the ones a locale could be added for). */
const RTL = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'sd', 'yi', 'dv', 'ug', 'ckb']);

/**
 * A message table installed by tests (Node has no extension API):
 * name -> {message, placeholders}.
 * @type {{locale: string, messages: Record<string, {message: string, placeholders?: Record<string, {content: string}>}>}|null}
 */
let table = null;

/**
 * Uses a messages.json object instead of the browser's (Node tests, and a
 * page that wants another language than the browser's).
 * @param {Record<string, any>|null} messages  parsed messages.json, or null for the browser's
 */
export function useMessages(messages) {
  table = messages ? { locale: String(messages.locale?.message ?? 'en'), messages } : null;
  cache.clear();
}

/**
 * Chrome's substitution rules for a message from a table: $NAME$ placeholders
 * resolve to their content, $1..$9 to the substitutions, $$ to $.
 * @param {{message: string, placeholders?: Record<string, {content: string}>}} m
 * @param {string[]} subs
 */
function substitute(m, subs) {
  const ph = Object.fromEntries(Object.entries(m.placeholders ?? {}).map(([k, v]) => [k.toLowerCase(), v.content]));
  const numbered = (/** @type {string} */ s) => s.replace(/\$(\d)/g, (_, d) => subs[Number(d) - 1] ?? '');
  return m.message
    .split('$$')
    .map((part) => part.replace(/\$([A-Za-z0-9_@]+)\$/g, (all, name) => (name.toLowerCase() in ph ? numbered(ph[name.toLowerCase()]) : all)))
    .join('$');
}

/** @param {string} key @param {string[]} subs */
function raw(key, subs) {
  if (table) {
    const m = table.messages[key] ?? Object.entries(table.messages).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
    return m ? substitute(m, subs) : '';
  }
  const i18n = api?.i18n;
  if (!i18n) return '';
  // Chrome accepts at most 9 substitutions and throws on more.
  return i18n.getMessage(key, subs.slice(0, 9)) ?? '';
}

/**
 * A UI string. Substitutions fill the message's placeholders in order; a
 * missing key gives the key itself, so it is visible (and the locale check
 * catches it) instead of an empty label.
 * @param {string} key
 * @param {...(string|number)} subs  numbers are formatted for the language
 */
export function t(key, ...subs) {
  const s = raw(key, subs.map((v) => (typeof v === 'number' ? formatNumber(v) : String(v))));
  return s || key;
}

/** Whether a message exists (for names that may or may not have one, like a category). @param {string} key */
export function has(key) {
  return raw(key, []) !== '';
}

/**
 * A string with a count: KEY_<plural category of n> with n formatted as its
 * first substitution.
 * @param {string} key
 * @param {number} n
 * @param {...(string|number)} more  further substitutions ($2, $3, ...)
 */
export function plural(key, n, ...more) {
  const form = pluralRules().select(n);
  const k = has(`${key}_${form}`) ? `${key}_${form}` : `${key}_other`;
  return t(k, n, ...more);
}

/**
 * A count's message split around the number, for markup that shows the
 * number in an element of its own: [text before it, text after it].
 * @param {string} key
 * @param {number} n
 * @returns {[string, string]|null}
 */
export function pluralParts(key, n) {
  const form = pluralRules().select(n);
  const k = has(`${key}_${form}`) ? `${key}_${form}` : `${key}_other`;
  const s = t(k, '\u0001');
  const i = s.indexOf('\u0001');
  return i < 0 ? null : [s.slice(0, i), s.slice(i + 1)];
}

/** @type {Map<string, any>} */
const cache = new Map();

/** @template T @param {string} name @param {() => T} make @returns {T} */
function cached(name, make) {
  if (!cache.has(name)) cache.set(name, make());
  return cache.get(name);
}

/** The language of the messages in use: "en", "ru", "ar", ... */
export function uiLanguage() {
  return cached('lang', () => {
    const m = table ? table.locale : raw('locale', []);
    return /^[a-z]{2,3}$/.test(m) ? m : 'en';
  });
}

/**
 * The locale for Intl: the browser's UI locale when it is the language of the
 * messages (en-GB keeps its dates), else that language alone.
 */
export function intlLocale() {
  return cached('intl', () => {
    const lang = uiLanguage();
    let ui;
    try {
      ui = table ? '' : (api?.i18n?.getUILanguage?.() ?? '');
    } catch {
      ui = '';
    }
    return ui.toLowerCase().split(/[-_]/)[0] === lang ? ui.replace('_', '-') : lang;
  });
}

/** "rtl" or "ltr": the direction of the messages in use. */
export function uiDir() {
  return cached('dir', () => {
    const lang = uiLanguage();
    // @@bidi_dir speaks for the browser's UI language; trust it only when
    // that is the language of the messages (see the top of this file).
    const ui = table ? '' : (raw('@@ui_locale', []) || '').toLowerCase().split(/[-_]/)[0];
    if (ui === lang) {
      const d = raw('@@bidi_dir', []);
      if (d === 'rtl' || d === 'ltr') return d;
    }
    return RTL.has(lang) ? 'rtl' : 'ltr';
  });
}

function pluralRules() {
  return cached('plural', () => new Intl.PluralRules(intlLocale()));
}

/** A number as the language writes it (grouping, digits). @param {number} n @param {Intl.NumberFormatOptions} [opts] */
export function formatNumber(n, opts) {
  if (!opts) return cached('num', () => new Intl.NumberFormat(intlLocale())).format(n);
  return new Intl.NumberFormat(intlLocale(), opts).format(n);
}

/**
 * A moment as the language writes it.
 * @param {number|string|Date} when  ms since the epoch, ISO 8601 or a Date
 * @param {'datetime'|'date'|'time'} [style]
 */
export function formatDate(when, style = 'datetime') {
  const d = when instanceof Date ? when : new Date(when);
  if (Number.isNaN(d.getTime())) return '';
  const f = cached(`date:${style}`, () =>
    new Intl.DateTimeFormat(
      intlLocale(),
      style === 'date' ? { dateStyle: 'medium' } : style === 'time' ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' },
    ),
  );
  return f.format(d);
}

/** A list ("a, b and c") as the language writes it. @param {string[]} items */
export function formatList(items) {
  try {
    return cached('list', () => new Intl.ListFormat(intlLocale(), { type: 'conjunction' })).format(items);
  } catch {
    return items.join(', ');
  }
}

/** A severity's name (low, medium, high, critical). @param {string} severity */
export function severityName(severity) {
  return has(`severity_${severity}`) ? t(`severity_${severity}`) : severity;
}

/**
 * A category's name: the built-in ones (extremism, donation) are messages;
 * a pack's or reviewer's own category is shown as written.
 * @param {string} category
 */
export function categoryName(category) {
  const key = `category_${category}`;
  return /^[a-z0-9_]+$/i.test(category) && has(key) ? t(key) : category;
}

/** A finding kind's name (keyword, regex, card, btc, donation_request, ...): a message when there is one. @param {string} kind */
export function kindName(kind) {
  return /^[a-z0-9_]+$/.test(kind) && has(`kind_${kind}`) ? t(`kind_${kind}`) : kind;
}

/**
 * The category a reviewer typed: a built-in category's name in the UI
 * language ("экстремизм") is that category's id ("extremism"); anything else
 * is kept as typed.
 * @param {string} text
 * @param {string[]} known  category ids that may be named
 */
export function categoryFromName(text, known) {
  const s = text.trim().toLocaleLowerCase(intlLocale());
  for (const c of new Set([...known, 'extremism', 'donation'])) if (categoryName(c).toLocaleLowerCase(intlLocale()) === s) return c;
  return text;
}

/**
 * A pack's text in the UI language: packs give `name` and `description`
 * either as a string or as {"en": ..., "ru": ..., "ar": ...} (English is
 * the fallback; the engine validates both forms).
 * @param {unknown} text
 * @param {string} [lang]
 */
export function pickText(text, lang = uiLanguage()) {
  if (typeof text === 'string') return text;
  if (!text || typeof text !== 'object' || Array.isArray(text)) return '';
  const m = /** @type {Record<string, unknown>} */ (text);
  const base = lang.split('-')[0];
  for (const k of [lang, base, 'en']) if (typeof m[k] === 'string' && m[k]) return /** @type {string} */ (m[k]);
  const first = Object.values(m).find((v) => typeof v === 'string' && v);
  return typeof first === 'string' ? first : '';
}

/**
 * Fills an extension page from its markup: data-i18n="key" sets the text,
 * data-i18n-attr="attr:key attr:key" sets attributes; the document gets the
 * language and direction of the messages.
 * @param {Document} [doc]
 */
export function localizePage(doc = document) {
  doc.documentElement.lang = uiLanguage();
  doc.documentElement.dir = uiDir();
  for (const e of doc.querySelectorAll('[data-i18n]')) e.textContent = t(/** @type {string} */ (e.getAttribute('data-i18n')));
  for (const e of doc.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of (e.getAttribute('data-i18n-attr') ?? '').split(/\s+/).filter(Boolean)) {
      const [attr, key] = pair.split(':');
      if (attr && key) e.setAttribute(attr, t(key));
    }
  }
  const title = doc.querySelector('title[data-i18n]');
  if (title) doc.title = title.textContent ?? '';
}
