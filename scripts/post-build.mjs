// Trunk's post_build hook: turns Trunk's staging directory into the site that is served. It runs
// the steps below in order, each a named function, and prints each one's time. The text edits
// are pure functions in post-build/steps.mjs (each fails the build when its anchor is missing);
// the wasm slimming is post-build/slim-wasm.mjs. Both have their own tests (node --test).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { minify } from 'terser';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isOnDemand, isOtherPage, otherBundle } from './on-demand.mjs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import {
  externalizeLoader,
  fillServiceWorker,
  fillStaticFallback,
  minifyCss,
  setPdfModuleBytes,
  swapIntegrity,
} from './post-build/steps.mjs';
import { slimBundle } from './post-build/slim-wasm.mjs';

const staging = process.env.TRUNK_STAGING_DIR;
const source = process.env.TRUNK_SOURCE_DIR ?? '.';
if (!staging) {
  console.error('post-build: TRUNK_STAGING_DIR is not set; run through trunk build');
  process.exit(1);
}
const indexPath = join(staging, 'index.html');
/** index.html as the steps edit it; written by `compactPage`, before the pages are drawn. */
const page = { html: readFileSync(indexPath, 'utf8') };

/** Moves Trunk's inline loader <script> into boot.js, so the Content-Security-Policy needs no
 *  'unsafe-inline', and wraps start-up so a browser that cannot run the wasm shows the static
 *  fallback's "cannot run" sentence instead of a blank page. Minified: every first visit loads it. */
async function moveLoader() {
  const loader = externalizeLoader(page.html);
  const boot = await minify(loader.boot, { module: true, compress: true, mangle: true });
  writeFileSync(join(staging, loader.name), boot.code);
  page.html = loader.html;
}

/** Fills the static fallback in index.html from public/data/station.json (one source of truth). */
function fillFallback() {
  page.html = fillStaticFallback(page.html, JSON.parse(readFileSync(join(source, 'public/data/station.json'), 'utf8')));
}

/** Each bundle's wasm and glue slimmed together (post-build/slim-wasm.mjs), the wasm then
 *  optimised (here rather than by Trunk, so once, after the slimming), the glue minified; the
 *  browser checks the app's glue against the integrity attribute. */
async function slimBundles() {
  const wasmOpt = join(source, 'scripts/node_modules/.bin/wasm-opt');
  for (const name of readdirSync(staging).filter((n) => /^(civic-kiosk-[0-9a-f]+|station-desk|forms-bundle|ticket-bundle)\.js$/.test(n))) {
    const path = join(staging, name);
    const original = readFileSync(path, 'utf8');
    const wasmPath = path.replace(/\.js$/, '_bg.wasm');
    const slim = slimBundle(readFileSync(wasmPath), original);
    writeFileSync(wasmPath, slim.wasm);
    if (process.env.TRUNK_PROFILE === 'release') {
      // Beyond -Oz: run to a fixed point; flatten and re-loop the control flow, then -Oz again
      // (1.3 KB less, measured); assume what holds for Rust's wasm32 layout (the stack sits below
      // the data, so nothing is stored in the lowest 1 KB; memory starts zeroed).
      execFileSync(wasmOpt, ['-Oz', '--converge', '--flatten', '--rereloop', '-Oz', '--converge',
        '--low-memory-unused', '--zero-filled-memory', '--strip-debug', '--strip-producers',
        '--strip-target-features', wasmPath, '-o', wasmPath], { stdio: 'inherit' });
    }
    const result = await minify(slim.glue, { module: true, compress: { passes: 2 }, mangle: true });
    writeFileSync(path, result.code);
    // The other bundles are imported on demand and carry no integrity attribute; the app's glue
    // must have exactly one.
    if (!otherBundle(name)) page.html = swapIntegrity(page.html, original, result.code, name);
  }
}

/** The stylesheet compact (its integrity hash follows) and index.html without comments, which
 *  are for whoever reads the source, not for every visitor; index.html written. */
function compactPage() {
  for (const name of readdirSync(staging).filter((n) => /^main-[0-9a-f]+\.css$/.test(n))) {
    const path = join(staging, name);
    const original = readFileSync(path, 'utf8');
    const compact = minifyCss(original);
    writeFileSync(path, compact);
    page.html = swapIntegrity(page.html, original, compact, name);
  }
  page.html = page.html.replace(/<!--[\s\S]*?-->/g, '');
  writeFileSync(indexPath, page.html);
}

/** The pages whose content comes from the data files, drawn into files of their own by the app's
 *  own components run natively (src/bin/prerender.rs, the same data files check-data passed):
 *  index.html becomes the drawn home page, shell.html the plain one. */
function drawPagesAhead() {
  execFileSync('cargo', ['run', '--quiet', '--offline', '--features', 'prerender', '--bin', 'prerender', '--',
    staging, join(source, 'public/data')], { stdio: 'inherit', cwd: source });
}

/** Data files are written for people (indented) in public/data; the copies served are compact. */
function compactData() {
  for (const name of readdirSync(join(staging, 'data')).filter((n) => n.endsWith('.json'))) {
    const path = join(staging, 'data', name);
    writeFileSync(path, JSON.stringify(JSON.parse(readFileSync(path, 'utf8'))));
  }
}

/** The camera's QR decoder (npm jsqr, scripts/package.json), minified, beside the camera module
 *  that loads it on demand (public/camera/scan.js), with its licence. */
async function addQrDecoder() {
  const jsqr = join(source, 'scripts/node_modules/jsqr');
  mkdirSync(join(staging, 'camera'), { recursive: true });
  const decoder = await minify(readFileSync(join(jsqr, 'dist/jsQR.js'), 'utf8'), { compress: true, mangle: true });
  writeFileSync(join(staging, 'camera/jsQR.js'), decoder.code);
  copyFileSync(join(jsqr, 'LICENSE'), join(staging, 'camera/LICENSE-jsQR.txt'));
}

/** The PDF loader reports download progress against the module's size as built. */
function sizePdfModule() {
  const loaderPath = join(staging, 'pdf-loader.js');
  const moduleBytes = statSync(join(staging, 'pdf-worker_bg.wasm')).size;
  writeFileSync(loaderPath, setPdfModuleBytes(readFileSync(loaderPath, 'utf8'), moduleBytes));
}

/** Every file built, as site paths. */
function builtFiles() {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push('/' + relative(staging, path).split('\\').join('/'));
    }
  };
  walk(staging);
  return files;
}

/** The service worker's precache list and version: every built file but the worker itself and
 *  the pages drawn ahead but the home page (a navigation is kept when it is made; offline, an
 *  address not kept gets the plain app page, which draws it from the kept data). */
async function listWorkerFiles() {
  const files = builtFiles();
  const precache = files.filter((f) => f !== '/sw.js' && !isOtherPage(f) && !isOnDemand(f) && !otherBundle(f)).sort();
  const onDemand = files.filter((f) => isOnDemand(f) && !f.endsWith('.txt') && !f.endsWith('.md')).sort();
  // Every file counts towards the version, on-demand ones and the other bundles too: the PDF
  // module's and the bundles' names carry no hash, so only a new cache keeps an old one from
  // being served after an update.
  const version = createHash('sha256');
  const bundles = files.filter(otherBundle).sort();
  for (const file of [...precache, ...onDemand, ...bundles]) version.update(file).update(readFileSync(join(staging, file)));
  const swPath = join(staging, 'sw.js');
  const sw = fillServiceWorker(readFileSync(swPath, 'utf8'), {
    precache: ['/', ...precache],
    onDemand,
    version: version.digest('hex').slice(0, 16),
  });
  writeFileSync(swPath, (await minify(sw, { compress: true, mangle: true })).code);
}

/** Precompressed copies (file.br, file.gz) for hosts that serve them as they are (the station
 *  server does; nginx: brotli_static, gzip_static): the wasm goes over the wire at a third of
 *  its size. Not listed for the service worker, not counted by the budget. Not for data/: an
 *  administrator edits those in place, and a stale copy would hide the edit. */
function precompress() {
  for (const file of builtFiles()) {
    if (file.startsWith('/data/') || !/\.(html|js|wasm|css|json|svg|webmanifest|txt)$/.test(file)) continue;
    const path = join(staging, file);
    const bytes = readFileSync(path);
    if (bytes.length < 1024) continue;
    writeFileSync(`${path}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
  }
}

const steps = [
  ['the loader moved out of index.html', moveLoader],
  ['the static fallback filled', fillFallback],
  ['each bundle slimmed, optimised and minified', slimBundles],
  ['the stylesheet and index.html compact', compactPage],
  ['the pages drawn ahead', drawPagesAhead],
  ['the data files compact', compactData],
  ["the camera's QR decoder added", addQrDecoder],
  ["the PDF module's size given to its loader", sizePdfModule],
  ["the service worker's files listed", listWorkerFiles],
  ['precompressed copies written', precompress],
];
for (const [what, step] of steps) {
  const started = performance.now();
  await step();
  console.log(`post-build: ${what} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
