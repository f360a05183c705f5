// Prints Lighthouse performance and accessibility scores (mobile preset: simulated Slow 4G and
// 4× CPU slowdown) for the main pages of the built app. DESIGN.md's budget: performance ≥ 98,
// accessibility 100, LCP ≤ 1.5 s.
// A figure-printing script, not a test: run scripts/lighthouse after scripts/build.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { startStation } from '../station.mjs';

const pages = process.argv.length > 2 ? process.argv.slice(2) : ['/', '/services', '/services/id-card-replace', '/news', '/contact', '/forms', '/book?procedure=id-card-replace'];
const server = await startStation(process.env.DIST ? { dist: process.env.DIST } : {});
const origin = server.origin;
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let worst = { performance: 100, accessibility: 100 };
console.log(`${'page'.padEnd(36)} performance  accessibility  FCP ms  LCP ms  TBT ms    CLS`);
try {
  for (const path of pages) {
    const result = await lighthouse(origin + path, { port: chrome.port, output: 'json', logLevel: 'error',
      onlyCategories: ['performance', 'accessibility'] });
    const { categories, audits, runtimeError } = result.lhr;
    if (runtimeError) {
      console.log(`${path.padEnd(36)} not measured: ${runtimeError.code} ${runtimeError.message}`);
      continue;
    }
    const perf = Math.round(categories.performance.score * 100);
    const a11y = Math.round(categories.accessibility.score * 100);
    worst = { performance: Math.min(worst.performance, perf), accessibility: Math.min(worst.accessibility, a11y) };
    const lcp = Math.round(audits['largest-contentful-paint'].numericValue);
    const tbt = Math.round(audits['total-blocking-time'].numericValue);
    const fcp = Math.round(audits['first-contentful-paint'].numericValue);
    const cls = audits['cumulative-layout-shift'].numericValue?.toFixed(3) ?? '?';
    console.log(
      `${path.padEnd(36)} ${String(perf).padStart(11)}  ${String(a11y).padStart(13)}  ${String(fcp).padStart(6)}  ` +
        `${String(lcp).padStart(6)}  ${String(tbt).padStart(6)}  ${cls.padStart(6)}`,
    );
    if (process.env.LIGHTHOUSE_DETAIL) {
      // The main thread's longest tasks: where to look next.
      for (const task of audits['long-tasks']?.details?.items ?? []) console.log(`   long task ${Math.round(task.duration)} ms at ${Math.round(task.startTime)} ms: ${task.url}`);
    }
  }
} finally {
  await chrome.kill();
  await server.stop();
}
console.log(`\nworst: performance ${worst.performance} (budget ≥ 98), accessibility ${worst.accessibility} (budget 100)`);
