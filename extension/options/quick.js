// The quick list: a moderator's pack written one entry per line, turned into
// the pack JSON the engine validates (and back, when the JSON says nothing
// the list cannot). Pure functions: no DOM, no Wasm, so Node tests them.
//
//   # a comment
//   [extremism high]        a group: category and severity of the lines below
//   join the caliphate      a keyword or phrase
//   джихад*                 a stem (the word may go on: джихада, джихадом)
//   /unit[- ]?\d{3}/        a regular expression
//   + Brothers, J0IN the caliphate!   an example the entry above must find
//   - join the club                   an example it must not find
//   \+380                   a keyword that starts with + - # [ / or \ : write \ first
//
// Lines before any group are [extremism medium]. Each group becomes one
// keyword rule ("extremism-high") and, if it has regexes, one regex rule
// ("extremism-high-regex"); a group named twice is one group.

import { t } from '../common/i18n.js';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'];
export const DEFAULT_CATEGORY = 'extremism';
export const DEFAULT_SEVERITY = 'medium';

/**
 * Where each part of a generated rule came from in the list (1-based lines).
 * @typedef {object} RuleLines
 * @property {number} line        the group's line (its header, or its first entry)
 * @property {number[]} patterns
 * @property {number[]} match
 * @property {number[]} no_match
 *
 * @typedef {object} QuickResult
 * @property {object} pack          the pack object (base fields and rules)
 * @property {string} json          the pack as JSON text
 * @property {RuleLines[]} lines    by rule index
 * @property {{line: number, message: string}[]} problems  what the list itself got wrong
 */

/**
 * @param {string} text  the quick list
 * @param {Record<string, unknown>} base  the pack's other fields (id, name, version, ...)
 * @returns {QuickResult}
 */
export function quickToPack(text, base) {
  /** @type {{line: number, message: string}[]} */
  const problems = [];
  /** @type {Map<string, {rule: any, lines: RuleLines}>} */
  const rules = new Map();
  let group = { category: DEFAULT_CATEGORY, severity: DEFAULT_SEVERITY, line: 0 };
  /** The rule of the entry just above (examples attach to it). @type {{rule: any, lines: RuleLines}|null} */
  let last = null;

  /** @param {'keyword'|'regex'} kind @param {number} line */
  const ruleFor = (kind, line) => {
    const key = `${group.category}\u0000${group.severity}\u0000${kind}`;
    let r = rules.get(key);
    if (!r) {
      const id = `${group.category}-${group.severity}${kind === 'regex' ? '-regex' : ''}`;
      r = {
        rule: { id, category: group.category, severity: group.severity, kind, patterns: [] },
        lines: { line: group.line || line, patterns: [], match: [], no_match: [] },
      };
      rules.set(key, r);
    }
    return r;
  };

  const all = text.split('\n');
  for (let i = 0; i < all.length; i++) {
    const n = i + 1;
    const line = all[i].trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      if (!line.endsWith(']')) {
        problems.push({ line: n, message: t('quick_group_unclosed') });
        continue;
      }
      const words = line.slice(1, -1).split(/[\s,]+/).filter(Boolean).map((w) => w.toLowerCase());
      const severities = words.filter((w) => SEVERITIES.includes(w));
      const categories = words.filter((w) => !SEVERITIES.includes(w));
      if (severities.length > 1 || categories.length > 1) {
        problems.push({ line: n, message: t('quick_group_shape') });
      }
      group = { category: categories[0] ?? DEFAULT_CATEGORY, severity: severities[0] ?? DEFAULT_SEVERITY, line: n };
      last = null;
      continue;
    }
    if (line.startsWith('+') || line.startsWith('-')) {
      const example = line.slice(1).trim();
      if (!last) {
        problems.push({ line: n, message: t('quick_example_alone') });
        continue;
      }
      if (!example) {
        problems.push({ line: n, message: t('quick_example_empty') });
        continue;
      }
      const list = line.startsWith('+') ? 'match' : 'no_match';
      last.rule.examples ??= {};
      (last.rule.examples[list] ??= []).push(example);
      last.lines[list].push(n);
      continue;
    }
    if (line.length >= 2 && line.startsWith('/') && line.endsWith('/')) {
      const body = line.slice(1, -1);
      if (!body.trim()) {
        problems.push({ line: n, message: t('quick_regex_empty') });
        continue;
      }
      last = ruleFor('regex', n);
      last.rule.patterns.push(body);
      last.lines.patterns.push(n);
      continue;
    }
    const keyword = line.startsWith('\\') ? line.slice(1).trim() : line;
    if (!keyword) continue;
    last = ruleFor('keyword', n);
    last.rule.patterns.push(keyword);
    last.lines.patterns.push(n);
  }

  // Keyword rules before regex rules in each group, groups in order.
  const ordered = [...rules.values()];
  const pack = { ...base, rules: ordered.map((r) => orderedRule(r.rule)) };
  return { pack, json: JSON.stringify(pack, null, 2) + '\n', lines: ordered.map((r) => r.lines), problems };
}

/** Fields in the order the README shows them. @param {any} r */
function orderedRule(r) {
  const out = { id: r.id, category: r.category, severity: r.severity, kind: r.kind, patterns: r.patterns };
  if (r.examples) {
    /** @type {any} */
    const ex = {};
    if (r.examples.match) ex.match = r.examples.match;
    if (r.examples.no_match) ex.no_match = r.examples.no_match;
    /** @type {any} */ (out).examples = ex;
  }
  return out;
}

/**
 * The list line an engine error is about, from its path ("rules[2].patterns[1]").
 * @param {{path: string}} err
 * @param {RuleLines[]} lines
 * @returns {number}  0 when it is about the pack as a whole
 */
export function lineOfError(err, lines) {
  const m = /^rules\[(\d+)\](?:\.(patterns|examples\.match|examples\.no_match)\[(\d+)\])?/.exec(err.path ?? '');
  if (!m) return 0;
  const r = lines[Number(m[1])];
  if (!r) return 0;
  if (!m[2]) return r.line;
  const list = m[2] === 'patterns' ? r.patterns : m[2] === 'examples.match' ? r.match : r.no_match;
  return list[Number(m[3])] ?? r.line;
}

const RULE_KEYS = new Set(['id', 'category', 'severity', 'kind', 'patterns', 'examples']);

/**
 * Writes a pack as a quick list, when the list can say everything its rules
 * say (keyword and regex rules, no options or descriptions, the ids the list
 * gives). The pack's other fields stay with the pack, not in the list.
 * @param {string} json
 * @returns {{text: string, base: Record<string, unknown>}|null}
 */
export function packToQuick(json) {
  let pack;
  try {
    pack = JSON.parse(json);
  } catch {
    return null;
  }
  if (!pack || typeof pack !== 'object' || !Array.isArray(pack.rules)) return null;
  const { rules, ...base } = pack;
  /** @type {Map<string, string[]>} lines by group, in order */
  const groups = new Map();
  const clean = (/** @type {unknown} */ s) => typeof s === 'string' && s === s.trim() && s.length > 0 && !s.includes('\n');
  for (const r of rules) {
    if (!r || typeof r !== 'object' || Object.keys(r).some((k) => !RULE_KEYS.has(k))) return null;
    if (r.kind !== 'keyword' && r.kind !== 'regex') return null;
    if (typeof r.category !== 'string' || r.category !== r.category.toLowerCase() || /[\s,[\]]/.test(r.category) || SEVERITIES.includes(r.category)) return null;
    if (!SEVERITIES.includes(r.severity)) return null;
    if (r.id !== `${r.category}-${r.severity}${r.kind === 'regex' ? '-regex' : ''}`) return null;
    if (!Array.isArray(r.patterns) || !r.patterns.every(clean)) return null;
    const ex = r.examples ?? {};
    if (typeof ex !== 'object' || Object.keys(ex).some((k) => k !== 'match' && k !== 'no_match')) return null;
    const match = ex.match ?? [];
    const noMatch = ex.no_match ?? [];
    if (!Array.isArray(match) || !Array.isArray(noMatch) || !match.every(clean) || !noMatch.every(clean)) return null;
    if (!r.patterns.length && (match.length || noMatch.length)) return null;
    const key = `[${r.category} ${r.severity}]`;
    const out = groups.get(key) ?? [];
    for (const p of r.patterns) out.push(r.kind === 'regex' ? `/${p}/` : /^[+\-#[/\\]/.test(p) ? `\\${p}` : p);
    for (const e of match) out.push(`+ ${e}`);
    for (const e of noMatch) out.push(`- ${e}`);
    groups.set(key, out);
  }
  const parts = [];
  for (const [header, lines] of groups) parts.push([header, ...lines].join('\n'));
  return { text: parts.join('\n\n') + (parts.length ? '\n' : ''), base };
}

/**
 * Adds one keyword to a quick list under its group (made at the end when the
 * list has none), so the quick-add row and the list agree.
 * @param {string} text
 * @param {string} keyword
 * @param {string} category
 * @param {string} severity
 */
export function addToQuick(text, keyword, category, severity) {
  const entry = /^[+\-#[/\\]/.test(keyword) && !(keyword.length >= 2 && keyword.startsWith('/') && keyword.endsWith('/')) ? `\\${keyword}` : keyword;
  const lines = text.split('\n');
  let current = `${DEFAULT_CATEGORY} ${DEFAULT_SEVERITY}`;
  let insertAt = -1;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].trim();
    if (l.startsWith('[') && l.endsWith(']')) {
      const words = l.slice(1, -1).split(/[\s,]+/).filter(Boolean).map((w) => w.toLowerCase());
      const sev = words.find((w) => SEVERITIES.includes(w)) ?? DEFAULT_SEVERITY;
      const cat = words.find((w) => !SEVERITIES.includes(w)) ?? DEFAULT_CATEGORY;
      current = `${cat} ${sev}`;
    }
    // After the group's last non-empty line.
    if (current === `${category} ${severity}` && l) insertAt = i + 1;
  }
  if (insertAt < 0) {
    const body = text.replace(/\n*$/, '');
    return `${body}${body ? '\n\n' : ''}[${category} ${severity}]\n${entry}\n`;
  }
  lines.splice(insertAt, 0, entry);
  return lines.join('\n');
}

/**
 * The next version after a change: the last number goes up by one ("1.2" ->
 * "1.3"); anything else starts at 1.0.1.
 * @param {unknown} version
 */
export function nextVersion(version) {
  if (typeof version !== 'string' || !/^\d+(\.\d+)*$/.test(version)) return '1.0.1';
  const parts = version.split('.');
  parts[parts.length - 1] = String(Number(parts[parts.length - 1]) + 1);
  return parts.join('.');
}
