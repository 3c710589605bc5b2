// Scans the engine benchmark's corpus (target/bench/, written by
// `cargo bench --bench engine`) with the Wasm build in Node, so the native and
// Wasm figures measure the same input. Prints MB/s; not a pass/fail test.

import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
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

/**
 * This thread's CPU time in ms (Linux: /proc/thread-self/schedstat, read
 * synchronously on the main thread), or null. The machine may be shared:
 * wall-clock time counts the other users' load, the thread's CPU time far less.
 */
function threadCpu() {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return null;
  }
}
const CPU = threadCpu() !== null;

/** Best of `runs` timings (ms) of `f`: CPU time where readable, else wall-clock. */
function best(runs, f) {
  let t = Infinity;
  let out;
  const now = CPU ? threadCpu : () => performance.now();
  for (let i = 0; i < runs; i++) {
    const s = now();
    out = f();
    t = Math.min(t, now() - s);
  }
  return [t, out];
}

// Warm-up: V8 runs new Wasm code in its baseline compiler first and
// optimises it in the background; measure the optimised code, as a page's
// engine runs after its first scans.
{
  const e = new WasmEngine(builtin.map((p) => p[0]), builtin.map((p) => p[1]));
  e.set_model(new Uint8Array(await readFile(path.join(root, 'extension', 'models', 'extremism.flm'))));
  for (let i = 0; i < 2; i++) e.scan(text, blocks);
  e.free();
}

console.log(`corpus: ${(bytes / 1e6).toFixed(1)} MB (Wasm in Node ${process.version}); times: ${CPU ? "the main thread's CPU time" : 'wall-clock'}, best of 3-5`);
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

// Issue 11's figures for the post-level model, in Wasm: the whole scan with
// packs and model, the model's cost per 150-char post (posts written by the
// native run), what loading the model file adds to the worker's start.
{
  const modelFile = path.join(root, 'extension', 'models', 'extremism.flm');
  const model = new Uint8Array(await readFile(modelFile));
  const names = builtin.map((p) => p[0]);
  const jsons = builtin.map((p) => p[1]);
  const packs = new WasmEngine(names, jsons);
  const both = new WasmEngine(names, jsons);
  const [tl] = best(5, () => {
    const e = new WasmEngine([], []);
    e.set_model(model);
    e.free();
  });
  const [te] = best(5, () => new WasmEngine([], []).free());
  both.set_model(model);
  const [tp] = best(3, () => packs.scan(text, blocks));
  const [tb, found] = best(3, () => both.scan(text, blocks));
  const mbps = (t) => (bytes / 1e6 / (t / 1e3)).toFixed(1).padStart(8);
  console.log(`${'scan, built-in packs + model'.padEnd(34)} ${mbps(tb)} MB/s   (packs alone ${mbps(tp).trim()} MB/s in this run), ${found.length / both.fields} findings`);

  const posts = await readFile(path.join(bench, 'posts150.txt'), 'utf8');
  const pblocks = Uint32Array.from(JSON.parse(await readFile(path.join(bench, 'posts150-blocks.json'), 'utf8')));
  const alone = new WasmEngine([], []);
  alone.set_model(model);
  const n = pblocks.length;
  const us = (t) => ((t * 1e3) / n).toFixed(2).padStart(7);
  const [ta] = best(3, () => alone.scan(posts, pblocks));
  const [tpp] = best(3, () => packs.scan(posts, pblocks));
  const [tbp] = best(3, () => both.scan(posts, pblocks));
  console.log(`\npost-level model (Wasm), ${n} posts of ~150 chars:`);
  console.log(`  model alone (fold + score)   ${us(ta)} us/post   (target <= 20)`);
  console.log(`  packs + model vs packs       ${us(tbp - tpp)} us/post added (${us(tpp).trim()} -> ${us(tbp).trim()} us/post)`);
  console.log(
    `  model file                   ${model.length} bytes, ${gzipSync(model, { level: 9 }).length} gzipped (target <= 1 MB); ` +
      `set_model ${(tl - te).toFixed(1)} ms in Wasm (the worker's fetch of the file is measured in the in-page benchmark)`,
  );
  for (const e of [packs, both, alone]) e.free();
}
