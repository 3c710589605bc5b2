// Writes the two loadable builds, dist/chrome and dist/firefox, from the one
// source tree under extension/: the base manifest merged with the browser's
// overlay (extension/platform/*.json), the content script bundled into one
// classic script (content scripts cannot be ES modules), the Wasm engine
// (extension/pkg, made by wasm-bindgen) and the UI strings (extension/_locales)
// copied in. The npm libraries the evidence package is written with (warcio,
// fflate) are imported through one module, common/archive-libs.js, which is
// bundled in place (extension pages and the background load ES modules as
// they are, and a bare package name does not resolve in the browser).
//
// Usage: node tools/build-ext.mjs [chrome|firefox]...

import { build } from 'esbuild';
import { cp, mkdir, readFile, rm, writeFile, access } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'extension');
const targets = process.argv.slice(2).length ? process.argv.slice(2) : ['chrome', 'firefox'];

/**
 * Deep merge: objects merge, arrays and scalars from `b` replace; a key
 * written "+name" in `b` appends its array to `a`'s "name" (so an overlay can
 * add a permission without restating the list).
 */
function merge(a, b) {
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) {
      if (k.startsWith('+')) {
        const name = k.slice(1);
        out[name] = [...(Array.isArray(a[name]) ? a[name] : []), ...v];
      } else out[k] = k in a ? merge(a[k], v) : v;
    }
    return out;
  }
  return b;
}

async function exists(p) {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}

if (!(await exists(path.join(src, 'pkg', 'flaglight_bg.wasm')))) {
  console.error('extension/pkg is missing: run ./build.sh (it builds the Wasm engine first)');
  process.exit(1);
}

const base = JSON.parse(await readFile(path.join(src, 'manifest.json'), 'utf8'));
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));

for (const target of targets) {
  const overlay = JSON.parse(await readFile(path.join(src, 'platform', `${target}.json`), 'utf8'));
  const manifest = merge(base, overlay);
  manifest.version = pkg.version;
  const out = path.join(root, 'dist', target);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  for (const dir of ['_locales', 'background', 'common', 'icons', 'models', 'packs', 'popup', 'panel', 'options', 'pkg']) {
    if (await exists(path.join(src, dir))) {
      await cp(path.join(src, dir), path.join(out, dir), {
        recursive: true,
        filter: (p) => !p.endsWith('.gitignore') && !p.endsWith('package.json') && !p.endsWith('.d.ts'),
      });
    }
  }
  await build({
    entryPoints: [path.join(src, 'content', 'main.js')],
    bundle: true,
    format: 'iife',
    target: ['chrome121', 'firefox128'],
    outfile: path.join(out, 'content', 'content.js'),
    legalComments: 'none',
    logLevel: 'warning',
  });
  await build({
    entryPoints: [path.join(src, 'common', 'archive-libs.js')],
    bundle: true,
    format: 'esm',
    target: ['chrome121', 'firefox128'],
    outfile: path.join(out, 'common', 'archive-libs.js'),
    allowOverwrite: true,
    minify: true,
    legalComments: 'eof',
    logLevel: 'warning',
  });
  await build({
    entryPoints: [path.join(src, 'content', 'snapshot.js')],
    bundle: true,
    format: 'iife',
    target: ['chrome121', 'firefox128'],
    outfile: path.join(out, 'content', 'snapshot.js'),
    legalComments: 'none',
    logLevel: 'warning',
  });
  await writeFile(path.join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  console.log(`wrote dist/${target}`);
}
