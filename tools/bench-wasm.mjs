// Scans the engine benchmark's corpus (target/bench/, written by
// `cargo bench --bench engine`) with the Wasm build in Node, so the native and
// Wasm figures measure the same input. Prints MB/s; not a pass/fail test.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import init, { WasmEngine } from '../extension/pkg/flaglight.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bench = path.join(root, 'target', 'bench');
await init({ module_or_path: await readFile(path.join(root, 'extension', 'pkg', 'flaglight_bg.wasm')) });

const text = await readFile(path.join(bench, 'corpus.txt'), 'utf8');
const blocks = Uint32Array.from(JSON.parse(await readFile(path.join(bench, 'blocks.json'), 'utf8')));
const bytes = Buffer.byteLength(text);
const index = JSON.parse(await readFile(path.join(root, 'extension', 'packs', 'index.json'), 'utf8'));
const builtin = [];
for (const f of index.packs) builtin.push([`builtin:${f}`, await readFile(path.join(root, 'extension', 'packs', f), 'utf8')]);

function best(runs, f) {
  let t = Infinity;
  let out;
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    out = f();
    t = Math.min(t, performance.now() - s);
  }
  return [t, out];
}

console.log(`corpus: ${(bytes / 1e6).toFixed(1)} MB (Wasm in Node ${process.version})`);
{
  const donation = builtin.filter(([name]) => name.endsWith('donation.json'));
  const engine = new WasmEngine(donation.map((p) => p[0]), donation.map((p) => p[1]));
  const [ts, found] = best(3, () => engine.scan(text, blocks));
  console.log(`${'scan, donation pack alone'.padEnd(34)} ${(bytes / 1e6 / (ts / 1e3)).toFixed(1).padStart(8)} MB/s   ${found.length / engine.fields} findings`);
  engine.free();
}
for (const extra of [null, 1000, 5000, 20000]) {
  const packs = [...builtin];
  if (extra) packs.push([`generated-${extra}`, await readFile(path.join(bench, `keywords-${extra}.json`), 'utf8')]);
  const [tc, engine] = best(3, () => new WasmEngine(packs.map((p) => p[0]), packs.map((p) => p[1])));
  const [ts, found] = best(3, () => engine.scan(text, blocks));
  const label = extra ? `scan, built-in + ${extra} keywords` : 'scan, built-in packs';
  console.log(
    `${label.padEnd(34)} ${(bytes / 1e6 / (ts / 1e3)).toFixed(1).padStart(8)} MB/s   compile ${tc.toFixed(1).padStart(7)} ms, ${found.length / engine.fields} findings`,
  );
  engine.free();
}
