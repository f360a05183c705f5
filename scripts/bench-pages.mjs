// Prints how long the station server takes to answer app addresses: the pages it draws at each
// request from the station's data files (src/ui/prerender.rs) and the plain app page for the
// rest. Figures, not a test. Run after a build: `cargo build --release -p civic-server
// --bin station-server && node scripts/bench-pages.mjs`.
import { startStation } from './station.mjs';

const ROUNDS = 200;
const server = await startStation();
try {
  console.log(`${'address'.padEnd(30)} ${'median ms'.padStart(10)} ${'p95 ms'.padStart(8)}  (${ROUNDS} requests each, one at a time)`);
  for (const path of ['/', '/services', '/services/id-card-replace', '/forms', '/book?procedure=id-card-replace', '/bookings']) {
    await fetch(server.origin + path).then((answer) => answer.text());
    const times = [];
    for (let i = 0; i < ROUNDS; i++) {
      const start = performance.now();
      await fetch(server.origin + path).then((answer) => answer.text());
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const at = (share) => times[Math.floor(share * (times.length - 1))].toFixed(2);
    console.log(`${path.padEnd(30)} ${at(0.5).padStart(10)} ${at(0.95).padStart(8)}`);
  }
} finally {
  await server.stop();
}
