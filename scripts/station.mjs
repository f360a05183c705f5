// Starts the station server (target/{release,debug}/station-server, built by scripts/serve,
// scripts/test or `cargo build -p civic-server --bin station-server`) on a free loopback port
// with a fresh SQLite book in a temporary folder, for the end-to-end tests and the figure
// scripts. Resolves to { origin, work, dist, stop() }.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export function serverBinary() {
  const candidates = [
    process.env.STATION_SERVER,
    join(root, 'target/release/station-server'),
    join(root, 'target/debug/station-server'),
  ].filter(Boolean);
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error('no station-server binary: run `cargo build -p civic-server --bin station-server` first');
  }
  return found;
}

/**
 * Options: `dist` (default dist/), `dataDir` (the station's data files; default dist/data),
 * `clockStart` (the server's clock starts there, RFC 3339, to agree with a browser whose clock a
 * test pinned), `staff` (accounts made first with `add-staff`: [{username, password, role}]),
 * `env` (more settings, e.g. limits). Abuse limits are relaxed: every test client is 127.0.0.1.
 */
export async function startStation({ dist = join(root, 'dist'), dataDir, clockStart, staff = [], env = {} } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'civic-kiosk-station-'));
  const stations = join(work, 'stations.json');
  writeFileSync(stations, JSON.stringify([{ id: 'e2e', data_dir: dataDir ?? join(dist, 'data') }]));
  const settings = {
    ...process.env,
    BIND: '127.0.0.1:0',
    DIST: dist,
    DATABASE_URL: join(work, 'station.sqlite3'),
    STATIONS_FILE: stations,
    LIMIT_REQUESTS_PER_MINUTE: '0',
    LIMIT_BOOKINGS_PER_HOUR: '0',
    ...(clockStart ? { STATION_CLOCK_START: clockStart } : {}),
    ...env,
  };
  for (const account of staff) {
    const made = spawnSync(
      serverBinary(),
      ['add-staff', '--station', 'e2e', '--username', account.username, '--role', account.role ?? 'officer'],
      { env: settings, input: `${account.password}\n`, encoding: 'utf8' },
    );
    if (made.status !== 0) throw new Error(`add-staff ${account.username}: ${made.stderr}`);
  }
  const child = spawn(serverBinary(), ['serve'], {
    env: settings,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const origin = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`station-server exited with ${code}`)));
    lines.once('line', (line) => {
      const address = line.match(/http:\/\/([0-9.:]+)\//);
      if (address) resolve(`http://${address[1]}`);
      else reject(new Error(`station-server said: ${line}`));
    });
  });
  lines.on('line', () => {}); // keep reading what it prints
  return {
    origin,
    pid: child.pid,
    work,
    dist,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(work, { recursive: true, force: true });
    },
  };
}
