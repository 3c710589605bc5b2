// A minimal WebDriver BiDi client for the Firefox tests (Firefox's own
// remote protocol; Playwright's Firefox needs a patched build), and the small
// helpers they share.

import net from 'node:net';

/** A free TCP port. */
export function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (s.address());
      s.close(() => resolve(port));
    });
  });
}

/** A minimal WebDriver BiDi client. */
export class Bidi {
  /** @param {string} url */
  static async connect(url) {
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    return new Bidi(ws);
  }

  /** @param {WebSocket} ws */
  constructor(ws) {
    this.ws = ws;
    this.id = 0;
    /** @type {Map<number, {resolve: Function, reject: Function}>} */
    this.pending = new Map();
    /** @type {(msg: any) => void} */
    this.onEvent = () => {};
    ws.onmessage = (e) => {
      const msg = JSON.parse(String(e.data));
      if (msg.type === 'event') {
        this.onEvent(msg);
        return;
      }
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.type === 'error') p.reject(new Error(`${msg.error}: ${msg.message}`));
      else p.resolve(msg.result);
    };
  }

  /** @param {string} method @param {object} params */
  send(method, params = {}) {
    const id = ++this.id;
    this.ws.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  /**
   * Evaluates an expression (returning a JSON string) in a browsing context.
   * @param {string} context
   * @param {string} expression
   */
  async eval(context, expression) {
    const r = await this.send('script.evaluate', {
      expression: `(async () => JSON.stringify(await (async () => { ${expression} })()))()`,
      target: { context },
      awaitPromise: true,
      resultOwnership: 'none',
    });
    if (r.type !== 'success') throw new Error(`evaluate failed: ${JSON.stringify(r.exceptionDetails?.text ?? r)}`);
    return r.result.value === undefined ? undefined : JSON.parse(r.result.value);
  }
}

/** @template T @param {() => Promise<T>} fn @param {string} what @param {number} [timeout] */
export async function waitFor(fn, what, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    let v = null;
    try {
      v = await fn();
    } catch (e) {
      last = String(e?.message ?? e);
    }
    if (v) return v;
    if (v !== null) last = v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what}: not in time (last: ${JSON.stringify(last)?.slice(0, 300)})`);
}

