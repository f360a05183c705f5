// Makes a bundle's wasm and its JS glue smaller together, after Trunk has built and optimised
// them (scripts/post-build.mjs), as pure functions on their bytes and text:
// - wasm-streams' three JavaScript classes go, with the wasm exports behind them. server_fn
//   (a Leptos dependency) links wasm-streams for its streaming client, which this app never
//   uses, and wasm-bindgen exports every #[wasm_bindgen] type of every linked crate; wasm-opt
//   then removes the code only they reached.
// - Every import and export between the wasm and its glue gets a short name: wasm-bindgen
//   names imports `__wbg_setAttribute_f75317b2b5cabfb4`, and 16 hex digits of hash each,
//   in both files, do not compress.
// Measured on the citizens' bundle: docs/size.md. Tested by slim-wasm.test.mjs.

const textDecoder = new TextDecoder();
const textEncoder = new TextEncoder();

/** The classes of wasm-streams that wasm-bindgen exports, and their exports' prefix. */
const STREAM_CLASSES = ['IntoUnderlyingByteSource', 'IntoUnderlyingSink', 'IntoUnderlyingSource'];
const isStreamExport = (name) => /^(__wbg_)?intounderlying(bytesource|sink|source)_/.test(name);

function readUleb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

function uleb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

const encodeName = (name) => {
  const bytes = textEncoder.encode(name);
  return [...uleb(bytes.length), ...bytes];
};

/** The module's sections: id, where the section begins (its id byte) and its content's range. */
export function sections(wasm) {
  const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  if (!magic.every((byte, i) => wasm[i] === byte)) throw new Error('slim-wasm: not a wasm module');
  const found = [];
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, start] = readUleb(wasm, at + 1);
    found.push({ id, header: at, start, end: start + size });
    at = start + size;
  }
  return found;
}

const IMPORT_SECTION = 2;
const EXPORT_SECTION = 7;

/** Reads a name at `at`: [name, next offset]. */
function readName(wasm, at) {
  const [length, start] = readUleb(wasm, at);
  return [textDecoder.decode(wasm.subarray(start, start + length)), start + length];
}

/** Where an import's description at `at` (kind byte included) ends. */
function importDescriptionEnd(wasm, at) {
  const kind = wasm[at];
  let next = at + 1;
  const limits = (from) => {
    const flags = wasm[from];
    let [, after] = readUleb(wasm, from + 1);
    if (flags & 1) [, after] = readUleb(wasm, after);
    return after;
  };
  switch (kind) {
    case 0: // function: type index
      return readUleb(wasm, next)[1];
    case 1: // table: reference type, limits
      return limits(next + 1);
    case 2: // memory: limits
      return limits(next);
    case 3: // global: value type, mutability
      return next + 2;
    case 4: // tag: attribute, type index
      return readUleb(wasm, next + 1)[1];
    default:
      throw new Error(`slim-wasm: unknown import kind ${kind}`);
  }
}

/**
 * The entries of an import or export section, in order: an import's module and name, an
 * export's name, and the bytes after the name (what is imported or exported), kept as they are.
 */
function* entries(wasm, section) {
  let [count, at] = readUleb(wasm, section.start);
  for (; count > 0; count--) {
    let module, name;
    if (section.id === IMPORT_SECTION) [module, at] = readName(wasm, at);
    [name, at] = readName(wasm, at);
    const end = section.id === IMPORT_SECTION ? importDescriptionEnd(wasm, at) : readUleb(wasm, at + 1)[1];
    yield { module, name, rest: wasm.subarray(at, end) };
    at = end;
  }
}

/** Imports and exports by name: { imports: [{module, name}], exports: [name] }. */
export function interfaceNames(wasm) {
  const result = { imports: [], exports: [] };
  for (const section of sections(wasm)) {
    if (section.id === IMPORT_SECTION) {
      for (const { module, name } of entries(wasm, section)) result.imports.push({ module, name });
    } else if (section.id === EXPORT_SECTION) {
      for (const { name } of entries(wasm, section)) result.exports.push(name);
    }
  }
  return result;
}

/**
 * The module with imports and exports renamed by `importName(module, name)` and
 * `exportName(name)` (each returns the new name), and the exports `keepExport(name)` refuses
 * left out.
 */
export function rewriteInterface(wasm, { importName, exportName, keepExport }) {
  const parts = [wasm.subarray(0, 8)];
  for (const section of sections(wasm)) {
    if (section.id !== IMPORT_SECTION && section.id !== EXPORT_SECTION) {
      parts.push(wasm.subarray(section.header, section.end));
      continue;
    }
    const written = [];
    for (const { module, name, rest } of entries(wasm, section)) {
      if (section.id === IMPORT_SECTION) {
        written.push([...encodeName(module), ...encodeName(importName(module, name)), ...rest]);
      } else if (keepExport(name)) {
        written.push([...encodeName(exportName(name)), ...rest]);
      }
    }
    const content = [...uleb(written.length), ...written.flat()];
    parts.push(Uint8Array.from([section.id, ...uleb(content.length), ...content]));
  }
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Short, distinct names that no glue identifier uses: $0, $1, … $z, $10, … */
const shortName = (index) => `$${index.toString(36)}`;

/** The glue without wasm-streams' classes (declaration, finaliser and dispose line of each). */
export function dropStreamClasses(glue) {
  let text = glue;
  for (const name of STREAM_CLASSES) {
    const start = text.indexOf(`export class ${name} {`);
    if (start < 0) throw new Error(`slim-wasm: class ${name} not found in the glue`);
    // The class body ends at its matching brace: wasm-bindgen writes no braces in strings here.
    let depth = 0;
    let end = text.indexOf('{', start);
    for (; end < text.length; end++) {
      if (text[end] === '{') depth++;
      else if (text[end] === '}' && --depth === 0) break;
    }
    text = text.slice(0, start) + text.slice(end + 1);
    const dispose = `if (Symbol.dispose) ${name}.prototype[Symbol.dispose] = ${name}.prototype.free;`;
    if (!text.includes(dispose)) throw new Error(`slim-wasm: the dispose line of ${name} not found`);
    text = text.replace(dispose, '');
    const finaliser = new RegExp(`const ${name}Finalization = [^;]*;`);
    if (!finaliser.test(text)) throw new Error(`slim-wasm: the finaliser of ${name} not found`);
    text = text.replace(finaliser, '');
    if (new RegExp(`\\b${name}\\b`).test(text)) throw new Error(`slim-wasm: ${name} is still used by the glue`);
  }
  return text;
}

/**
 * Slims one bundle: `wasm` (bytes) and `glue` (wasm-bindgen's JS, not yet minified).
 * Returns the new wasm (to be run through wasm-opt again, which drops the code only the left-out
 * exports reached), the new glue, and whether wasm-streams' classes were dropped.
 */
export function slimBundle(wasm, glue) {
  if (/\$[A-Za-z0-9_]/.test(glue)) throw new Error('slim-wasm: the glue already uses $ names');
  const { imports, exports } = interfaceNames(wasm);
  // wasm-bindgen's own module (`./name_bg.js`), whose names are keys of the glue's import
  // object; a snippet's module (`./snippets/…`) is imported whole, its names left as they are.
  const glueModules = [...new Set(imports.map((i) => i.module))].filter((m) => /_bg\.js$/.test(m));
  if (glueModules.length !== 1) throw new Error(`slim-wasm: expected one glue module, found ${glueModules.length}`);
  const ownImports = imports.filter((i) => i.module === glueModules[0]);
  const hasStreams = exports.some(isStreamExport);
  const text = hasStreams ? dropStreamClasses(glue) : glue;
  const kept = exports.filter((name) => !isStreamExport(name));
  const names = new Map();
  for (const { name } of ownImports) if (!names.has(name)) names.set(name, shortName(names.size));
  for (const name of kept) {
    if (names.has(name)) throw new Error(`slim-wasm: ${name} is both imported and exported`);
    names.set(name, shortName(names.size));
  }
  // Every use of an interface name in the glue: an import object's key (`name: function`), or
  // an export read as `wasm.name`.
  const importNames = new Set(ownImports.map((i) => i.name));
  const used = new Set();
  const newGlue = text.replace(/[A-Za-z_$][A-Za-z0-9_$]*/g, (word, offset) => {
    const short = names.get(word);
    if (short === undefined) return word;
    const isKey = importNames.has(word) && text[offset - 1] !== '.'
      && /^\s*:/.test(text.slice(offset + word.length, offset + word.length + 3));
    const isExport = !importNames.has(word) && /(^|[^A-Za-z0-9_$])wasm\.$/.test(text.slice(Math.max(0, offset - 6), offset));
    if (!isKey && !isExport) return word;
    used.add(word);
    return short;
  });
  for (const { name } of ownImports) {
    if (!used.has(name)) throw new Error(`slim-wasm: import ${name} not found in the glue`);
  }
  const newWasm = rewriteInterface(wasm, {
    importName: (module, name) => (module === glueModules[0] ? names.get(name) : name),
    exportName: (name) => names.get(name),
    keepExport: (name) => !isStreamExport(name),
  });
  return { wasm: newWasm, glue: newGlue, droppedStreams: hasStreams };
}
