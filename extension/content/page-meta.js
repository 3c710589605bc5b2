// What a page says about its own account, read from its head for the
// sightings (background/sightings.js, common/accounts.js): its canonical
// link and og:url (a post's page often names its channel or group there),
// app links (tg://resolve?domain=name on a Telegram channel's page),
// twitter:site / twitter:creator, and og:title (the account's name on its
// own page). Read only; nothing in the page changes.

/** @param {string} sel @param {string} attr */
function attrs(sel, attr) {
  const out = [];
  for (const e of document.querySelectorAll(sel)) {
    const v = e.getAttribute(attr);
    if (v && v.length <= 2048) out.push(v.trim());
  }
  return out;
}

/** @returns {{links: string[], handles: string[], name: string}} */
export function readPageMeta() {
  const links = [
    ...attrs('link[rel~="canonical" i][href]', 'href').map((h) => {
      try {
        return new URL(h, location.href).href;
      } catch {
        return '';
      }
    }),
    ...attrs('meta[property="og:url" i][content]', 'content'),
    ...attrs('meta[property^="al:" i][property$=":url" i][content]', 'content'),
  ].filter((l) => l && l.length <= 2048);
  const handles = [...attrs('meta[name="twitter:site" i][content]', 'content'), ...attrs('meta[name="twitter:creator" i][content]', 'content')].filter((h) => h.length <= 64);
  const name = (attrs('meta[property="og:title" i][content]', 'content')[0] ?? '').slice(0, 512);
  return { links: [...new Set(links)].slice(0, 16), handles: [...new Set(handles)].slice(0, 8), name };
}
