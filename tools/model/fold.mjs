// Folds text exactly as the engine does (the Wasm build's `fold`), for the
// scripts in tools/model/ that need the engine's folded form.
// Reads JSON Lines {"text"} on standard input, writes one JSON string (the
// folded text) per line. Needs `./build.sh` first (extension/pkg/).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import init, { fold } from '../../extension/pkg/flaglight.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
await init({ module_or_path: await readFile(path.join(root, 'extension', 'pkg', 'flaglight_bg.wasm')) });

const out = [];
for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (!line.trim()) continue;
  out.push(JSON.stringify(fold(JSON.parse(line).text)));
  if (out.length >= 1000) process.stdout.write(out.splice(0).join('\n') + '\n');
}
if (out.length) process.stdout.write(out.join('\n') + '\n');
