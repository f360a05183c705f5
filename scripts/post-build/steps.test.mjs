// node --test scripts/post-build/: the post-build edits, each on a small text it must change
// exactly as meant, and each refusing a text where its anchor is missing or repeated.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  externalizeLoader,
  fillServiceWorker,
  fillStaticFallback,
  integrity,
  minifyCss,
  replaceOnce,
  setPdfModuleBytes,
  swapIntegrity,
} from './steps.mjs';

const root = new URL('../../', import.meta.url).pathname;

test('replaceOnce replaces exactly one occurrence and refuses none or two', () => {
  assert.equal(replaceOnce('a X b', 'X', 'Y', 't'), 'a Y b');
  assert.throws(() => replaceOnce('a b', 'X', 'Y', 'the thing'), /the thing: “X” not found/);
  assert.throws(() => replaceOnce('X X', 'X', 'Y', 't'), /found more than once/);
});

test('the shipped sw.js and pdf-loader.js have their anchors, and a reformatted one fails', () => {
  const sw = readFileSync(`${root}public/sw.js`, 'utf8');
  const filled = fillServiceWorker(sw, { precache: ['/', '/app.js'], onDemand: ['/data/forms.json'], version: 'abc123' });
  assert.match(filled, /self\.PRECACHE = \["\/","\/app\.js"\];/);
  assert.match(filled, /self\.ON_DEMAND = \["\/data\/forms\.json"\];/);
  assert.match(filled, /self\.VERSION = 'abc123';/);
  assert.throws(() => fillServiceWorker(sw.replace("self.VERSION = 'dev';", 'self.VERSION = "dev";'), {
    precache: [], onDemand: [], version: 'x',
  }), /sw\.js version/);

  const loader = readFileSync(`${root}public/pdf-loader.js`, 'utf8');
  assert.match(setPdfModuleBytes(loader, 3001234), /const PDF_MODULE_BYTES = 3001234;/);
  assert.throws(() => setPdfModuleBytes(loader.replace('= 0;', '= 0 ;'), 1), /pdf-loader\.js/);
});

test('the static fallback is filled from station.json, and an unknown or unused placeholder fails', () => {
  const html = readFileSync(`${root}index.html`, 'utf8');
  const station = JSON.parse(readFileSync(`${root}public/data/station.json`, 'utf8'));
  const filled = fillStaticFallback(html, { ...station, name: { vi: 'Công an <phường>', en: 'Ward "police"' } });
  assert.doesNotMatch(filled, /\{\{\w+\}\}/);
  assert.match(filled, /Công an &#60;phường&#62;/, 'escaped');
  assert.match(filled, /Thứ Bảy: 07:30-11:30/);
  assert.match(filled, /Chủ Nhật: Nghỉ \/ Closed/);
  assert.throws(() => fillStaticFallback(html + '{{STATION_FAX}}', station), /no value for \{\{STATION_FAX\}\}/);
  assert.throws(() => fillStaticFallback(html.replaceAll('{{STATION_HOURS}}', ''), station), /lacks \{\{STATION_HOURS\}\}/);
});

test('the loader moves into a file of its own and the page keeps one module script', () => {
  const html = '<head><script type="module" nonce="x">\nimport init from "/app.js";\nconst wasm = await init("/app.wasm");\n</script></head>';
  const { html: out, name, boot } = externalizeLoader(html);
  assert.equal(out, `<head><script type="module" src="/${name}"></script></head>`);
  assert.match(name, /^boot-[0-9a-f]{16}\.js$/);
  assert.match(boot, /^import init from "\/app\.js";$/m);
  // On a page drawn ahead, the wasm starts after the first paint; the app then takes over.
  // A form page starts the forms bundle instead, and the app's own wasm only if that fails.
  assert.match(boot, /try \{\n  if \(document\.getElementById\('prerendered'\)\) await afterPaint\(\);\n  const wasm = await startOwnBundle\(\) \?\? await init\("\/app\.wasm"\);/);
  assert.match(boot, /^async function startOwnBundle\(\) \{$/m);
  assert.match(boot, /^function afterPaint\(\) \{$/m);
  assert.match(boot, /static-fallback'\)\?\.remove\(\);\n  takeOver\(\);/);
  // A form sent on the drawn page before the app starts is held from the first moment.
  assert.match(boot, /^function holdSubmits\(\) \{$/m);
  assert.match(boot, /\nholdSubmits\(\);\ntry \{/);
  assert.throws(() => externalizeLoader(html.replace('await init', 'init')), /no 'await init\('/);
  assert.throws(() => externalizeLoader('<head></head>'), /found 0/);
  assert.throws(() => externalizeLoader(html + html), /found 2/);
});

test('the integrity hash follows a rewritten file, and a missing hash fails', () => {
  const page = `<link rel="stylesheet" integrity="${integrity('a { color: red; }')}">`;
  const compact = minifyCss('/* c */ a {\n  color: red;\n}\n');
  assert.equal(compact, 'a{color:red}');
  // Parsed, not patched: strings, descendant pseudo-classes and media queries keep their meaning.
  assert.equal(minifyCss('a::after { content: "x ; { y"; }'), 'a:after{content:"x ; { y"}');
  assert.equal(minifyCss('.nav :focus { outline: 2px solid #ff0000; }'), '.nav :focus{outline:2px solid red}');
  // Written for the oldest supported browsers: no media-query ranges (Chrome 104+, Safari 16.4+).
  assert.equal(minifyCss('@media (min-width: 40rem) { .a { margin: 0 0 0 0 } }'), '@media (min-width:40rem){.a{margin:0}}');
  assert.throws(() => minifyCss('@media (min-width: ) { a { color: red } }'), /Invalid media query/);
  assert.equal(swapIntegrity(page, 'a { color: red; }', compact, 'main.css'), `<link rel="stylesheet" integrity="${integrity(compact)}">`);
  assert.throws(() => swapIntegrity(page, 'other', compact, 'main.css'), /integrity of main\.css/);
});
