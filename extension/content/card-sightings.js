// The card's sightings line (issue 14): "seen 5 times on 3 sites since
// 2 Nov — vk.com/…, t.me/…", each page a link, and a button to watch the
// identifier. Built from the background's answer with textContent only; the
// links open in a new tab without a referrer.

import { formatDate, plural, t } from '../common/i18n.js';

/** The shortest form of a page URL (common/accounts.js shortUrl; not imported to keep the bundle small). @param {string} href */
function short(href) {
  try {
    const u = new URL(href);
    return `${u.hostname.replace(/^www\./, '')}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return href;
  }
}

/**
 * @param {{label: string, count: number, sites: number, first: number, pages: {url: string, host: string, time: number}[], watched: boolean}} item
 * @param {(on: boolean) => void} onWatch
 * @returns {{dd: HTMLElement, links: string[]}}
 */
export function sightingsLine(item, onWatch) {
  const dd = document.createElement('dd');
  dd.className = item.watched ? 'seen watched' : 'seen';
  dd.dir = 'auto';
  const links = [];
  if (item.count <= 1 && !item.pages.length) {
    const s = document.createElement('span');
    s.className = 'new';
    s.textContent = t('card_seen_new');
    dd.append(s);
  } else {
    dd.append(t('sightings_summary', plural('sightings_times', item.count), plural('sightings_sites', Math.max(1, item.sites)), formatDate(item.first, 'date')));
    item.pages.forEach((p, i) => {
      dd.append(i === 0 ? ' — ' : ', ');
      const a = document.createElement('a');
      a.href = p.url;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      a.textContent = short(p.url);
      a.title = `${p.url} · ${formatDate(p.time)}`;
      a.dir = 'ltr';
      dd.append(a);
      links.push(p.url);
    });
  }
  if (item.watched) dd.append(' · ', t('card_watched'));
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = item.watched ? t('card_unwatch') : t('card_watch');
  b.addEventListener('click', () => onWatch(!item.watched));
  dd.append(b);
  return { dd, links };
}
