// A pack's localized texts. Packs give `name` and `description` (the pack's
// and each rule's) either as a string or as {"en": ..., "ru": ..., "ar": ...};
// the engine validates both forms (src/pack/parse.rs) and keeps the English
// text in its rule metadata. The other languages are read here, from the
// pack JSON the background already holds, and put beside the rules, so the
// card, the panel and the options page show them in the UI language.
//
// Why here and not in the engine's RuleMeta: the engine module is being
// restructured; once RuleMeta carries the translations (pack_name_i18n,
// description_i18n), localizeRules can read them from there instead.

import { pickText, uiLanguage } from './i18n.js';

/** @typedef {Record<string, string>|string} Text */

/**
 * The name of a pack JSON text as given (string or per-language object), or
 * null when it cannot be read.
 * @param {string} json
 * @returns {Text|null}
 */
export function packNames(json) {
  try {
    const name = JSON.parse(json)?.name;
    return typeof name === 'string' || (name && typeof name === 'object') ? name : null;
  } catch {
    return null;
  }
}

/**
 * Rule metadata from the engine with the pack names and rule descriptions in
 * the UI language (English, the engine's own text, when the pack has none).
 * Packs in English UI need no reading at all.
 * @param {any[]} rules           engine.rules(): {id, pack, pack_name, description, ...}
 * @param {{json: string}[]} packs  the packs the engine was compiled from
 * @param {string} [lang]
 */
export function localizeRules(rules, packs, lang = uiLanguage()) {
  if (lang === 'en') return rules;
  /** @type {Map<string, {name: unknown, rules: Map<string, unknown>}>} */
  const texts = new Map();
  for (const p of packs) {
    let doc;
    try {
      doc = JSON.parse(p.json);
    } catch {
      continue;
    }
    if (!doc || typeof doc.id !== 'string' || !Array.isArray(doc.rules)) continue;
    const byRule = new Map();
    for (const r of doc.rules) if (r && typeof r.id === 'string' && r.description && typeof r.description === 'object') byRule.set(r.id, r.description);
    texts.set(doc.id, { name: doc.name, rules: byRule });
  }
  return rules.map((r) => {
    const p = texts.get(r.pack);
    if (!p) return r;
    const d = p.rules.get(r.id);
    return {
      ...r,
      pack_name: typeof p.name === 'object' ? pickText(p.name, lang) || r.pack_name : r.pack_name,
      description: d ? pickText(d, lang) || r.description : r.description,
    };
  });
}
