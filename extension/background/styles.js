// Highlight styles. Names are random per page (chosen by the content script)
// so a page cannot tell the tool is there from CSS.highlights. Each style is
// distinguishable without colour (underline style and thickness) and stays
// readable on light and dark pages (translucent backgrounds, no text colour).

const SEVERITY_STYLE = {
  low: { bg: 'rgba(91, 123, 213, 0.22)', line: 'dotted', color: '#5b7bd5', thickness: '2px' },
  medium: { bg: 'rgba(230, 180, 0, 0.30)', line: 'dashed', color: '#b88a00', thickness: '2px' },
  high: { bg: 'rgba(240, 110, 0, 0.32)', line: 'wavy', color: '#e06800', thickness: '2px' },
  critical: { bg: 'rgba(220, 0, 0, 0.32)', line: 'solid', color: '#d00000', thickness: '3px' },
};

const CATEGORY_TINT = {
  donation: { bg: 'rgba(0, 170, 120, 0.28)', line: 'double' },
};

/**
 * CSS for a set of highlight names.
 * @param {Record<string, string>} names  "category:severity" -> highlight name
 */
export function stylesFor(names) {
  const rules = [];
  for (const [key, name] of Object.entries(names)) {
    const [category, severity] = key.split(':');
    const s = SEVERITY_STYLE[severity] ?? SEVERITY_STYLE.low;
    const tint = CATEGORY_TINT[category];
    const bg = tint?.bg ?? s.bg;
    const line = tint?.line ?? s.line;
    rules.push(
      `::highlight(${name}) { background-color: ${bg}; text-decoration: underline ${line} ${s.color} ${s.thickness}; text-underline-offset: 2px; }`,
    );
  }
  return rules.join('\n');
}
