// Highlight styles, shared by the background (which inserts them into each
// document with scripting.insertCSS, out of the page's sight and out of reach
// of its CSP) and the content script (which adopts them into shadow roots,
// where document styles do not reach).
//
// Names are random per page (chosen by the content script) so a page reading
// CSS.highlights cannot tell which tool registered them. Each style is
// distinguishable without colour (underline style and thickness) and stays
// readable on light and dark pages: translucent backgrounds, no text colour,
// underline colours of middle lightness.

export const SEVERITIES = ['low', 'medium', 'high', 'critical'];

/** Underline style per severity: the cue that does not depend on colour. */
const SEVERITY_STYLE = {
  low: { bg: 'rgba(91, 123, 213, 0.20)', line: 'dotted', color: '#5b7bd5', thickness: '2px' },
  medium: { bg: 'rgba(230, 180, 0, 0.28)', line: 'dashed', color: '#b88a00', thickness: '2px' },
  high: { bg: 'rgba(240, 110, 0, 0.30)', line: 'wavy', color: '#e06800', thickness: '2px' },
  critical: { bg: 'rgba(220, 0, 0, 0.32)', line: 'solid', color: '#d00000', thickness: '3px' },
};

/**
 * Donation requests get their own look whatever the severity: a double
 * underline (no other category uses it) in teal; severity still shows in the
 * thickness and the strength of the background.
 */
const DONATION = {
  low: { bg: 'rgba(0, 170, 120, 0.16)', thickness: '2px' },
  medium: { bg: 'rgba(0, 170, 120, 0.24)', thickness: '2px' },
  high: { bg: 'rgba(0, 170, 120, 0.32)', thickness: '3px' },
  critical: { bg: 'rgba(0, 170, 120, 0.42)', thickness: '4px' },
};

/**
 * The post-level model's words: the category and severity's colours, but a
 * line ABOVE the word instead of below, so a model word reads apart from a
 * pack finding without colour: dotted (low), dashed (medium), wavy (high),
 * double (critical; never solid, so that a word both a pack and the model
 * mark never looks like a reviewer's flag, solid lines above and below).
 */
const MODEL_LINE = { low: 'dotted', medium: 'dashed', high: 'wavy', critical: 'double' };

/** The temporary highlight of a finding the moderator jumped to. */
const FLASH = 'background-color: rgba(255, 214, 0, 0.9); color: #000; text-decoration: underline solid #000 2px;';

/**
 * A reviewer's flag: violet, and lined above and below (no automatic finding
 * has an overline), so it reads as the reviewer's own mark without colour.
 * Translucent background, no text colour: readable on light and dark pages.
 */
const FLAG = 'background-color: rgba(150, 70, 230, 0.22); text-decoration: underline overline solid #8f4fe0 2px; text-underline-offset: 2px;';

/**
 * CSS for a set of highlight names.
 * @param {Record<string, string>} names  "category:severity", "category:severity:model"
 *   (the post-level model's words), "flash" or "flag" -> highlight name
 */
export function highlightCss(names) {
  const rules = [];
  for (const [key, name] of Object.entries(names)) {
    if (!/^[a-z][a-z0-9]{5,31}$/.test(name)) continue;
    if (key === 'flash') {
      rules.push(`::highlight(${name}) { ${FLASH} }`);
      continue;
    }
    if (key === 'flag') {
      rules.push(`::highlight(${name}) { ${FLAG} }`);
      continue;
    }
    const [category, severity, source] = key.split(':');
    const s = SEVERITY_STYLE[severity] ?? SEVERITY_STYLE.low;
    if (category === 'watched') {
      // A watched phrase (sightings): the alert magenta of the badge, boxed underline.
      rules.push(`::highlight(${name}) { background-color: rgba(214, 0, 143, 0.22); text-decoration: underline solid #d6008f 3px; text-underline-offset: 3px; }`);
    } else if (source === 'model') {
      const bg = category === 'donation' ? (DONATION[severity] ?? DONATION.low).bg : s.bg;
      const color = category === 'donation' ? '#00896a' : s.color;
      const line = MODEL_LINE[/** @type {keyof MODEL_LINE} */ (severity)] ?? MODEL_LINE.low;
      rules.push(`::highlight(${name}) { background-color: ${bg}; text-decoration: overline ${line} ${color} ${s.thickness}; }`);
    } else if (category === 'donation') {
      const d = DONATION[severity] ?? DONATION.low;
      rules.push(
        `::highlight(${name}) { background-color: ${d.bg}; text-decoration: underline double #00896a ${d.thickness}; text-underline-offset: 2px; }`,
      );
    } else {
      rules.push(
        `::highlight(${name}) { background-color: ${s.bg}; text-decoration: underline ${s.line} ${s.color} ${s.thickness}; text-underline-offset: 2px; }`,
      );
    }
  }
  return rules.join('\n');
}
