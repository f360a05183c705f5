// Attacks a release station server as an outsider on the open internet would, and prints one
// line per attack: `<attack> held <what was measured>` or `<attack> FAILED <what was measured>`;
// exits 1 if any failed. A script, not a timed test: its figures go in docs/station-admin.md.
//   scripts/abuse            (builds the release server, then runs this)
// Traffic goes to 127.0.0.1 only; every loop is bounded in count and time.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStation } from './station.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const ADMIN = { username: 'quan-tri', password: 'mat-khau-quan-tri-1', role: 'admin' };
const HEADER_TIMEOUT_SECS = 10;
// The personal-data notice's version the server expects (domain::station_api::CONSENT_VERSION).
const CONSENT = readFileSync(join(root, 'crates/domain/src/station_api.rs'), 'utf8').match(/CONSENT_VERSION: &str = "([^"]+)"/)[1];

// Only the API is attacked: a stand-in page is all the app the server needs here.
const dist = mkdtempSync(join(tmpdir(), 'civic-kiosk-abuse-'));
writeFileSync(join(dist, 'index.html'), '<!DOCTYPE html><title>station</title>');
const station = await startStation({
  dist,
  dataDir: join(root, 'public/data'),
  staff: [ADMIN],
  // The defaults a station runs with (startStation relaxes two for the e2e tests), and a trusted
  // proxy, so that one machine can speak from several client addresses.
  env: {
    LIMIT_REQUESTS_PER_MINUTE: '600',
    LIMIT_BOOKINGS_PER_HOUR: '120',
    TRUST_PROXY: '1',
  },
});
const { origin } = station;
const { port } = new URL(origin);
let failed = 0;

function report(attack, held, measured) {
  if (!held) failed += 1;
  console.log(`${attack} ${held ? 'held' : 'FAILED'} ${measured}`);
}

/** The server's resident memory, MiB, from /proc. */
function residentMiB() {
  const status = readFileSync(`/proc/${station.pid}/status`, 'utf8');
  return Number(status.match(/VmRSS:\s+(\d+)/)[1]) / 1024;
}

/** One request on its own connection, written by hand; resolves to the status (0: none). */
function raw(request, body = Buffer.alloc(0), { timeoutMs = 30_000 } = {}) {
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    // The body goes a piece at a time while no answer has come, as a client that reads
    // answers would: a server refusing early closes the connection under a pending write.
    let sent = 0;
    const sendMore = () => {
      if (answer !== '' || sent >= body.length || socket.destroyed) return;
      const piece = body.subarray(sent, sent + 65536);
      sent += piece.length;
      socket.write(piece, (error) => { if (!error) sendMore(); });
    };
    socket.on('connect', () => {
      socket.write(request);
      // A server that refuses by the announced length answers before any body: give it a
      // moment, as a client sending `Expect: 100-continue` would.
      setTimeout(sendMore, body.length > 65536 ? 1000 : 0);
    });
    socket.on('data', (chunk) => { answer += chunk.toString('latin1'); });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Number(answer.split(' ')[1]) || 0);
    });
  });
}

async function api(method, path, { body, headers = {} } = {}) {
  const response = await fetch(origin + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: response.status, json, text, headers: response.headers };
}

const count = (statuses) => statuses.reduce((n, s) => ({ ...n, [s]: (n[s] ?? 0) + 1 }), {});
const show = (counts) => Object.entries(counts).map(([s, n]) => `${n}×${s}`).join(' ');

// 1. A hundred logins with 1 MB user names.
{
  const body = Buffer.from(JSON.stringify({ station: 'e2e', username: 'a'.repeat(1 << 20), password: 'x' }));
  const head = `POST /api/v1/staff/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
  await raw(head, body);
  const before = residentMiB();
  const statuses = [];
  for (let wave = 0; wave < 10; wave += 1) {
    statuses.push(...await Promise.all(Array.from({ length: 10 }, () => raw(head, body))));
  }
  const grown = residentMiB() - before;
  report('big-logins', statuses.every((s) => s === 413) && grown < 20,
    `${show(count(statuses))}, resident memory ${before.toFixed(1)} → ${(before + grown).toFixed(1)} MiB (+${grown.toFixed(1)})`);
}

// 2. Forty wrong passwords at once for one account, from one address.
{
  const guesses = await Promise.all(Array.from({ length: 40 }, (_, n) => api('POST', '/api/v1/staff/login', {
    body: { station: 'e2e', username: ADMIN.username, password: `guess number ${n}` },
    headers: { 'x-forwarded-for': '203.0.113.66' },
  })));
  const statuses = guesses.map((g) => g.status);
  // Then one after another, until the address is made to wait.
  for (let n = 0; n < 10 && !statuses.includes(429); n += 1) {
    statuses.push((await api('POST', '/api/v1/staff/login', {
      body: { station: 'e2e', username: ADMIN.username, password: `one more guess ${n}` },
      headers: { 'x-forwarded-for': '203.0.113.66' },
    })).status);
  }
  const checked = statuses.filter((s) => s === 401).length;
  report('parallel-guessing', checked <= 5 && statuses.includes(429),
    `${checked} passwords checked of ${statuses.length} guesses (40 at once, then one by one; limit 5): ${show(count(statuses))}`);
  // 3. The owner, from another address, is not locked out by it.
  const owner = await api('POST', '/api/v1/staff/login', {
    body: { station: 'e2e', username: ADMIN.username, password: ADMIN.password },
    headers: { 'x-forwarded-for': '198.51.100.7' },
  });
  const stranger = await api('POST', '/api/v1/staff/login', {
    body: { station: 'e2e', username: ADMIN.username, password: ADMIN.password },
    headers: { 'x-forwarded-for': '203.0.113.66' },
  });
  report('lockout-by-stranger', owner.status === 200 && stranger.status === 429,
    `owner elsewhere ${owner.status}, stranger's address ${stranger.status} (Retry-After ${stranger.headers.get('retry-after')} s)`);
}

// 4. A thousand connections that send half a request header.
{
  const started = Date.now();
  const closings = Array.from({ length: 1000 }, () => new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    const timer = setTimeout(() => { socket.destroy(); resolve(null); }, (HEADER_TIMEOUT_SECS + 20) * 1000);
    socket.on('connect', () => socket.write('GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '));
    socket.on('error', () => {});
    socket.on('close', () => { clearTimeout(timer); resolve(Date.now() - started); });
  }));
  const closed = await Promise.all(closings);
  const byServer = closed.filter((t) => t !== null);
  const latest = Math.max(...byServer) / 1000;
  const health = await api('GET', '/api/v1/health');
  report('half-open-connections', byServer.length === 1000 && latest <= HEADER_TIMEOUT_SECS + 2 && health.status === 200,
    `${byServer.length}/1000 closed by the server, the last after ${latest.toFixed(1)} s (header timeout ${HEADER_TIMEOUT_SECS} s); health then ${health.status}`);
}

// 5. A body that never finishes arriving.
{
  const started = Date.now();
  const status = await raw('POST /api/v1/stations/e2e/bookings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"slot"', undefined, { timeoutMs: 60_000 });
  const took = (Date.now() - started) / 1000;
  report('slow-body', status === 408 && took <= 32, `answered ${status} after ${took.toFixed(1)} s (request timeout 30 s)`);
}

// 6. Check-in from a device the station never enrolled.
{
  const checkIn = await api('POST', '/api/v1/stations/e2e/bookings/K7M4QX9/check-in');
  report('check-in-from-anywhere', checkIn.status === 403, `${checkIn.status} ${checkIn.json?.error}`);
}

// 7. A phone number alone does not take a booking over.
{
  const availability = await api('GET', '/api/v1/stations/e2e/availability?procedure=id-card-replace');
  const day = availability.json?.days?.[0];
  const slot = day && { counter: availability.json.counter, date: day.date, start: day.starts[0] };
  const booking = { procedure: 'id-card-replace', slot, name: 'Nguyễn Văn Thử', phone: '0912 000 999', consent_version: CONSENT };
  const first = await api('POST', '/api/v1/stations/e2e/bookings', { body: booking });
  const again = await api('POST', '/api/v1/stations/e2e/bookings', { body: booking });
  const code = first.json?.booking?.code ?? '';
  const leaked = code !== '' && (again.text.includes(code) || again.text.includes(`${code.slice(0, 3)}-${code.slice(3)}`));
  report('booking-takeover-by-phone', first.status === 201 && again.status === 409 && !leaked,
    `first ${first.status}, again ${again.status} ${again.json?.error}, code named in the refusal: ${leaked ? 'yes' : 'no'}`);
}

// 8. Guessing the phone number of a booking whose code is known.
{
  const availability = await api('GET', '/api/v1/stations/e2e/availability?procedure=id-card-exchange');
  const day = availability.json?.days?.[0];
  const slot = day && { counter: availability.json.counter, date: day.date, start: day.starts[0] };
  const made = await api('POST', '/api/v1/stations/e2e/bookings', {
    body: { procedure: 'id-card-exchange', slot, name: 'Trần Thị Thử', phone: '0912 000 777', consent_version: CONSENT },
  });
  const code = made.json?.booking?.code;
  const statuses = [];
  for (let n = 0; n < 15; n += 1) {
    const phone = `0988${String(100000 + n)}`;
    statuses.push((await api('GET', `/api/v1/stations/e2e/bookings/${code}`, { headers: { 'x-booking-phone': phone, 'x-forwarded-for': `203.0.113.${100 + n}` } })).status);
  }
  // Counted per code too: from fifteen addresses, the code still locks after ten failures.
  const refused = statuses.filter((s) => s === 429).length;
  report('phone-guessing', made.status === 201 && refused === 5 && !statuses.includes(200), `${show(count(statuses))} (10 failures an hour per code and per address)`);
}

// 9. Files of the data folder that are not the app's.
{
  const statuses = await Promise.all(['/data/.env', '/data/schedule.json.bak', '/data/../Cargo.toml'].map((p) => raw(`GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`)));
  const served = (await api('GET', '/data/schedule.json')).status;
  report('data-folder', statuses.every((s) => s === 404 || s === 400) && served === 200, `${show(count(statuses))}; schedule.json ${served}`);
}

await station.stop();
rmSync(dist, { recursive: true, force: true });
console.log(failed === 0 ? 'every attack held' : `${failed} attack(s) FAILED`);
process.exit(failed === 0 ? 0 : 1);
