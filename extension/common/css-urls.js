// url(...) references in CSS text, found and rewritten in one place for the
// page copy (content/snapshot.js in the frame, background/page-copy.js for
// sheets fetched there). Quoted and unquoted forms, escaped quotes inside.

const URL_RE = /url\(\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|([^"'()\s]*))\s*\)/gi;

/** @param {string} s */
function unescapeCss(s) {
  return s.replace(/\\(.)/g, '$1');
}

/**
 * Every url() in `css`, in order (duplicates kept).
 * @param {string} css
 * @returns {string[]}
 */
export function cssUrls(css) {
  return [...css.matchAll(URL_RE)].map((m) => unescapeCss(m[1] ?? m[2] ?? m[3] ?? ''));
}

/**
 * `css` with every url() replaced by what `fn` returns for it, written
 * url("...") with quotes and backslashes escaped.
 * @param {string} css
 * @param {(url: string) => string} fn
 */
export function rewriteCssUrls(css, fn) {
  return css.replace(URL_RE, (_all, dq, sq, bare) => {
    const out = fn(unescapeCss(dq ?? sq ?? bare ?? ''));
    return `url("${out.replace(/["\\\n]/g, (c) => (c === '\n' ? '%0A' : `\\${c}`))}")`;
  });
}
