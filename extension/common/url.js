// Page identity for reviewer flags: the URL with its fragment and tracking
// parameters dropped, so a flag made on a link from a newsletter is found
// again when the moderator comes back by another route.

/** Query parameters that only track where a visit came from. */
const TRACKING = [
  /^utm_/i, /^fbclid$/i, /^gclid$/i, /^dclid$/i, /^gbraid$/i, /^wbraid$/i, /^msclkid$/i,
  /^mc_(cid|eid)$/i, /^igshid$/i, /^yclid$/i, /^_openstat$/i, /^ref_src$/i, /^ref_url$/i,
  /^s_cid$/i, /^spm$/i, /^vero_id$/i, /^si$/i, /^__cft__/i, /^__tn__$/i, /^_hsenc$/i, /^_hsmi$/i,
];

/**
 * The key under which a page's flags are stored.
 * @param {string} href
 * @returns {string}
 */
export function normalizeUrl(href) {
  let u;
  try {
    u = new URL(href);
  } catch {
    return href;
  }
  u.hash = '';
  const keep = [];
  for (const [k, v] of u.searchParams) {
    if (!TRACKING.some((re) => re.test(k))) keep.push([k, v]);
  }
  keep.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  u.search = keep.length ? '?' + new URLSearchParams(keep).toString() : '';
  u.hostname = u.hostname.toLowerCase();
  return u.toString();
}
