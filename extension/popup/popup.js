// Popup: counts of the current tab's findings by category and severity.

import { api } from '../common/api.js';

async function main() {
  const [tab] = await api.tabs.query({ active: true, currentWindow: true });
  if (!tab?.id) return;
  const res = await api.runtime.sendMessage({ type: 'summary', tabId: tab.id }).catch(() => null);
  const counts = res?.counts ?? {};
  const total = res?.total ?? 0;
  document.getElementById('summary').textContent =
    total === 0 ? 'No findings on this page.' : `${total} finding${total === 1 ? '' : 's'} on this page.`;
  const ul = document.getElementById('counts');
  for (const [key, n] of Object.entries(counts)) {
    const li = document.createElement('li');
    li.textContent = `${key}: ${n}`;
    ul.append(li);
  }
}

main();
