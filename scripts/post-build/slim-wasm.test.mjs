// node --test scripts/post-build/: the slimming of a bundle's wasm and glue, on a small module
// written here byte by byte and a glue shaped as wasm-bindgen writes it: the two still link and
// run, the names are short, wasm-streams' classes and exports are gone, a snippet's names are
// left, and a glue that does not match its wasm stops the build.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { interfaceNames, slimBundle } from './slim-wasm.mjs';

const GLUE_MODULE = './app_bg.js';
const SNIPPET_MODULE = './snippets/app-1/inline0.js';
const ANSWER = '__wbg_answer_0123456789abcdef';

const bytes = (text) => [...new TextEncoder().encode(text)];
const name = (text) => [bytes(text).length, ...bytes(text)];
const section = (id, content) => [id, content.length, ...content];

/**
 * Imports `answer` from the glue and `startBundle` from a snippet; exports its memory, `run`
 * (which returns answer() + startBundle()) and two functions standing for wasm-streams' exports.
 */
function module() {
  const funcType = [0x60, 0x00, 0x01, 0x7f]; // () -> i32
  const imports = [
    2,
    ...name(GLUE_MODULE), ...name(ANSWER), 0x00, 0x00,
    ...name(SNIPPET_MODULE), ...name('startBundle'), 0x00, 0x00,
  ];
  const exports = [
    4,
    ...name('memory'), 0x02, 0x00,
    ...name('run'), 0x00, 2,
    ...name('intounderlyingsink_write'), 0x00, 3,
    ...name('__wbg_intounderlyingsink_free'), 0x00, 4,
  ];
  const bodies = [
    3,
    // Each body: its size, no locals, the code, end. run: call 0, call 1, i32.add.
    ...[7, 0x00, 0x10, 0x00, 0x10, 0x01, 0x6a, 0x0b],
    ...[4, 0x00, 0x41, 0x07, 0x0b],
    ...[4, 0x00, 0x41, 0x08, 0x0b],
  ];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, ...funcType]),
    ...section(2, imports),
    ...section(3, [3, 0, 0, 0]),
    ...section(5, [1, 0x00, 0x01]),
    ...section(7, exports),
    ...section(10, bodies),
  ]);
}

const streamClass = (name, exportName) => `export class ${name} {
    free() {
        ${name}Finalization.unregister(this);
        wasm.${exportName}(this.__wbg_ptr, 0);
    }
}
if (Symbol.dispose) ${name}.prototype[Symbol.dispose] = ${name}.prototype.free;
`;

const GLUE = `${streamClass('IntoUnderlyingByteSource', '__wbg_intounderlyingsink_free')}
${streamClass('IntoUnderlyingSink', '__wbg_intounderlyingsink_free')}
${streamClass('IntoUnderlyingSource', '__wbg_intounderlyingsink_free')}
const IntoUnderlyingByteSourceFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_intounderlyingsink_free(ptr >>> 0, 1));
const IntoUnderlyingSinkFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_intounderlyingsink_free(ptr >>> 0, 1));
const IntoUnderlyingSourceFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_intounderlyingsink_free(ptr >>> 0, 1));
const snippet = { startBundle: () => 1 };
let wasm;
export function getImports() {
    const import0 = {
        __proto__: null,
        ${ANSWER}: function() {
            return 41;
        },
    };
    return {
        __proto__: null,
        "${GLUE_MODULE}": import0,
        "${SNIPPET_MODULE}": snippet,
    };
}
export function init(instance) {
    wasm = instance.exports;
}
export function run() {
    return wasm.run();
}
export function pages() {
    return wasm.memory.buffer.byteLength / 65536;
}
`;

const load = (glue) => import(`data:text/javascript,${encodeURIComponent(glue)}`);

test('the module and glue written here link and run as they are', async () => {
  const glue = await load(GLUE);
  const { instance } = await WebAssembly.instantiate(module(), glue.getImports());
  glue.init(instance);
  assert.equal(glue.run(), 42);
});

test('slimmed, they still link and run, with short names and without the stream classes', async () => {
  const slim = slimBundle(module(), GLUE);
  assert.equal(slim.droppedStreams, true);
  const { imports, exports } = interfaceNames(slim.wasm);
  assert.deepEqual(imports, [
    { module: GLUE_MODULE, name: '$0' },
    { module: SNIPPET_MODULE, name: 'startBundle' },
  ]);
  assert.deepEqual(exports, ['$1', '$2']);
  assert.doesNotMatch(slim.glue, /IntoUnderlying|intounderlying|__wbg_answer/);
  assert.match(slim.glue, /\$0: function\(\)/);
  assert.match(slim.glue, /"\.\/snippets\/app-1\/inline0\.js": snippet/);

  const glue = await load(slim.glue);
  const { instance } = await WebAssembly.instantiate(slim.wasm, glue.getImports());
  glue.init(instance);
  assert.equal(glue.run(), 42);
  assert.equal(glue.pages(), 1);
});

test('a glue that does not match its wasm stops the build', () => {
  assert.throws(() => slimBundle(module(), GLUE.replace(`${ANSWER}: function`, 'other: function')),
    /import __wbg_answer_0123456789abcdef not found in the glue/);
  assert.throws(() => slimBundle(module(), GLUE.replace('export class IntoUnderlyingSink {', 'class Sink {')),
    /class IntoUnderlyingSink not found/);
  assert.throws(() => slimBundle(module(), `${GLUE}\nconst $x = 1;`), /already uses \$ names/);
  assert.throws(() => slimBundle(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), GLUE), /not a wasm module/);
});
