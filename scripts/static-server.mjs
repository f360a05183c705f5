// Serves dist/ on 127.0.0.1 the way a station's static host should: correct types for wasm and
// the manifest, the Content-Security-Policy as a header (with frame-ancestors, which a <meta>
// cannot carry), index.html for app routes so a reload of /contact works, and compressed bodies:
// the build's precompressed copies (file.br, file.gz), or text compressed as it is sent.
// Usage: node scripts/static-server.mjs [dir] [port]   (port 0 picks a free one and prints it)
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

import { fileURLToPath } from 'node:url';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ttf': 'font/ttf',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain; charset=utf-8',
};

const csp = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  // The PDF made in the browser is printed from a hidden frame holding it.
  "frame-src blob:",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The precompressed copies the build writes beside each file, best first. */
const ENCODINGS = [
  ['br', '.br'],
  ['gzip', '.gz'],
];
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.svg', '.txt']);

/**
 * The body to send for `file` and its Content-Encoding: the build's precompressed copy if the
 * browser takes one; else, for text (the data files an administrator edits in place have no
 * copies, so an edit is never hidden behind a stale one), compressed now.
 */
async function encodedBody(file, body, acceptEncoding = '', { precompressed }) {
  for (const [encoding, suffix] of ENCODINGS) {
    if (!precompressed || !acceptEncoding.includes(encoding)) continue;
    try {
      return { body: await readFile(file + suffix), encoding };
    } catch {
      // No such copy (small, binary and data files have none): try the next.
    }
  }
  if (!COMPRESSIBLE.has(extname(file)) || body.length < 1024) return { body, encoding: null };
  if (acceptEncoding.includes('br')) {
    const params = { [constants.BROTLI_PARAM_QUALITY]: 5 };
    return { body: brotliCompressSync(body, { params }), encoding: 'br' };
  }
  if (acceptEncoding.includes('gzip')) return { body: gzipSync(body), encoding: 'gzip' };
  return { body, encoding: null };
}

async function fileFor(root, pathname) {
  const candidate = normalize(join(root, decodeURIComponent(pathname)));
  if (!candidate.startsWith(root)) return null;
  try {
    const info = await stat(candidate);
    if (info.isFile()) return candidate;
    if (info.isDirectory()) return fileFor(root, join(pathname, 'index.html'));
  } catch {
    // fall through: not a file
  }
  return null;
}

/**
 * Starts serving `dir` on 127.0.0.1:`port`; resolves to the server once it listens. Tests may pass
 * `transform(pathname, body)` to serve a changed file (e.g. a new release of sw.js).
 */
export function startServer(dir, port, { transform } = {}) {
  const root = resolve(dir);
  const server = createServer(async (request, response) => {
    const { pathname } = new URL(request.url, 'http://localhost');
    let file = await fileFor(root, pathname);
    // App routes have no extension: answer with the app. A missing asset stays a 404.
    if (!file && !extname(pathname)) file = join(root, 'index.html');
    const headers = {
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Permissions-Policy': 'geolocation=(), microphone=()',
    };
    if (!file) {
      response.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Not found');
      return;
    }
    try {
      const read = await readFile(file);
      const changed = transform ? transform(pathname, read) : read;
      // A file a test changed has no precompressed copy.
      const { body, encoding } = await encodedBody(file, changed, request.headers['accept-encoding'], {
        precompressed: changed === read,
      });
      const hashed = /-[0-9a-f]{16}(_bg)?\.(js|wasm|css)$/.test(file);
      response.writeHead(200, {
        ...headers,
        'Content-Type': types[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
        Vary: 'Accept-Encoding',
        ...(encoding ? { 'Content-Encoding': encoding } : {}),
        'Content-Length': body.length,
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch {
      response.writeHead(500, headers);
      response.end();
    }
  });

  return new Promise((done) => server.listen(port, '127.0.0.1', () => done(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? 'dist';
  const server = await startServer(dir, Number(process.argv[3] ?? process.env.PORT ?? 8080));
  console.log(
    `civic-kiosk: serving ${resolve(dir)} at http://127.0.0.1:${server.address().port}/ (Ctrl+C stops)`,
  );
}
