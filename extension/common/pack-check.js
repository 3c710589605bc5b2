// Checks one rule pack the way `flaglight check-pack` does: validation (every
// error with its line, column and path), compiling, then every rule's
// examples. Used by the options page as the moderator types and by the
// background before it keeps a pack, so both refuse the same packs.
// The caller initializes the Wasm module first.

import { WasmEngine, validate_pack } from '../pkg/flaglight.js';

/**
 * @typedef {object} LocatedError
 * @property {string} source
 * @property {number} line     1-based; 0 when not known
 * @property {number} column   1-based, in characters
 * @property {string} path     e.g. "rules[2].patterns[0]"; '' for the whole document
 * @property {string|null} rule_id
 * @property {string} reason
 * @property {string} message  source:line:column: path (rule "id"): reason
 *
 * @typedef {{id: string, name: string, version: string, languages: string[], rules: number}} PackSummary
 *
 * @typedef {object} CheckResult
 * @property {boolean} ok
 * @property {PackSummary|null} summary   when the pack is valid (its examples may still fail)
 * @property {LocatedError[]} errors      validation and compile errors, then failing examples
 */

/**
 * @param {string} json
 * @param {string} source  the name errors carry
 * @returns {CheckResult}
 */
export function checkPack(json, source) {
  const s = /** @type {any} */ (validate_pack(json, source));
  if (!s.ok) return { ok: false, summary: null, errors: s.errors };
  /** @type {PackSummary} */
  const summary = { id: s.id, name: s.name, version: s.version, languages: s.languages, rules: s.rules };
  let engine;
  try {
    engine = new WasmEngine([source], [json]);
  } catch (err) {
    return { ok: false, summary, errors: Array.isArray(err) ? err : [plainError(source, String(err))] };
  }
  let failures;
  try {
    failures = /** @type {any[]} */ (engine.check_examples());
  } finally {
    engine.free();
  }
  const errors = failures.map((f) => exampleError(json, source, f));
  return { ok: errors.length === 0, summary, errors };
}

/** @param {string} source @param {string} reason @returns {LocatedError} */
function plainError(source, reason) {
  return { source, line: 0, column: 0, path: '', rule_id: null, reason, message: `${source}: ${reason}` };
}

/**
 * A failing example as a located error: the path names the example
 * (`rules[3].examples.no_match[1]`) and the line and column are the
 * example's own in the text, so an editor can point at it.
 * @param {string} json
 * @param {string} source
 * @param {{rule: string, loc: {line: number, column: number}, example: string, expected_match: boolean}} f
 * @returns {LocatedError}
 */
export function exampleError(json, source, f) {
  const list = f.expected_match ? 'match' : 'no_match';
  let path = '';
  /** @type {any[]} */
  let rules = [];
  try {
    rules = JSON.parse(json).rules ?? [];
  } catch {
    // valid by now; keep going without a path
  }
  const ri = rules.findIndex((r) => r?.id === f.rule);
  if (ri >= 0) {
    const k = (rules[ri].examples?.[list] ?? []).indexOf(f.example);
    path = k >= 0 ? `rules[${ri}].examples.${list}[${k}]` : `rules[${ri}]`;
  }
  const { line, column } = findAfter(json, JSON.stringify(f.example), f.loc) ?? f.loc;
  const reason = f.expected_match
    ? `the example ${JSON.stringify(f.example)} is not found by this rule`
    : `the example ${JSON.stringify(f.example)} is found by this rule, and must not be`;
  const where = line > 0 ? `:${line}:${column}` : '';
  return { source, line, column, path, rule_id: f.rule, reason, message: `${source}${where}: ${path || 'rules'} (rule ${JSON.stringify(f.rule)}): ${reason}` };
}

/**
 * Line and column of the first occurrence of `needle` from the start of a line on.
 * (The example's JSON form is searched: an escaped quote in the pack text may
 * be written differently, and then the rule's own place is used.)
 * @param {string} text
 * @param {string} needle
 * @param {{line: number, column: number}} from
 */
function findAfter(text, needle, from) {
  let offset = 0;
  for (let l = 1; l < from.line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return null;
    offset = nl + 1;
  }
  const at = text.indexOf(needle, offset);
  if (at < 0) return null;
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = [...before.slice(before.lastIndexOf('\n') + 1)].length + 1;
  return { line, column };
}
