// Content script entry: collects the page's text, sends it to the background
// engine over a port, and highlights the spans it gets back.

import { api } from '../common/api.js';
import { PORT_CONTENT, validate } from '../common/protocol.js';
import { collect } from './extract.js';
import { Highlighter, rangeFor } from './highlight.js';

const SEVERITIES = ['low', 'medium', 'high', 'critical'];
// Guard against double injection (manifest plus on-demand injection). The
// flag lives in the content script's isolated world, which pages cannot see.
const GUARD = Symbol.for('content-scan-guard');

if (!(/** @type {any} */ (globalThis)[GUARD])) {
  /** @type {any} */ (globalThis)[GUARD] = true;
  start();
}

function start() {
  const port = api.runtime.connect({ name: PORT_CONTENT });
  const highlighter = new Highlighter();
  let rules = null;
  let fields = 8;
  let nextChunk = 1;
  /** chunk -> collected text of that chunk */
  const chunks = new Map();
  let sentNames = '';

  function sendStyles() {
    const names = highlighter.names();
    const key = JSON.stringify(names);
    if (key !== sentNames) {
      sentNames = key;
      port.postMessage({ type: 'styles', names });
    }
  }

  function scanDocument() {
    if (!document.body) return;
    const c = collect(document.body);
    const chunk = nextChunk++;
    chunks.set(chunk, c);
    port.postMessage({ type: 'scan', chunk, text: c.text, blocks: c.blocks });
  }

  function applyFindings(chunk, data) {
    const c = chunks.get(chunk);
    if (!c || !rules) return;
    let count = 0;
    for (let i = 0; i + fields <= data.length; i += fields) {
      const meta = rules[data[i + 2]];
      const range = rangeFor(c, data[i], data[i + 1]);
      if (!meta || !range) continue;
      highlighter.add(meta.category, SEVERITIES[data[i + 5]] ?? 'low', range);
      count += 1;
    }
    sendStyles();
    port.postMessage({ type: 'highlighted', chunk, count });
  }

  port.onMessage.addListener((msg) => {
    if (validate('toContent', msg)) return;
    switch (msg.type) {
      case 'rules':
        rules = msg.rules;
        fields = msg.fields;
        highlighter.clear();
        chunks.clear();
        scanDocument();
        break;
      case 'findings':
        applyFindings(msg.chunk, msg.data);
        break;
      case 'config':
        highlighter.setVisible(msg.highlights);
        break;
      case 'rescan':
        highlighter.clear();
        chunks.clear();
        port.postMessage({ type: 'reset' });
        scanDocument();
        break;
      case 'clear':
        highlighter.clear();
        break;
    }
  });

  port.postMessage({ type: 'hello', url: location.href, title: document.title.slice(0, 4096), top: window === window.top });
}
