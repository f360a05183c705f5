// Prints, for each shipped form, the time to make its PDF in the browser (headless Chromium,
// the real PDF module in its Web Worker; median of RUNS after one warm-up), the PDF's size and
// pages, and the size of the lazily loaded PDF module. Needs a release build in dist/
// (scripts/build). Run: node scripts/bench-pdf-browser.mjs
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import { createRequire } from 'node:module';
import { startStation } from './station.mjs';

const RUNS = 15;
const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;
const require = createRequire(`${root}tests/e2e/package.json`);
const { chromium } = require('playwright-core');

const formsText = readFileSync(`${dist}/data/forms.json`, 'utf8');
const forms = JSON.parse(formsText).forms;
// Every answer filled with a long Vietnamese text (as the native bench does), so each form
// reaches two pages; choices take their first option, tables three rows.
function longAnswers(form) {
  const text = 'Nguyễn Thị Hồng Nhung, buôn Ko Tam, phường Tân Lập, tỉnh Đắk Lắk. '.repeat(3);
  const answers = {};
  for (const field of form.steps.flatMap((s) => s.fields)) {
    if (field.kind === 'rows') {
      answers[field.id] = [1, 2, 3].map(() => Object.fromEntries(field.columns.map((c) => [c.id, 'Nguyễn Văn An'])));
    } else if (field.kind === 'multi') {
      answers[field.id] = [field.options[0].id];
    } else if (field.kind === 'choice') {
      answers[field.id] = field.options[0].id;
    } else if (field.kind === 'yes_no') {
      answers[field.id] = 'yes';
    } else {
      answers[field.id] = text;
    }
  }
  return answers;
}

const server = await startStation({ dist });
const origin = server.origin;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless=new', '--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  const loadMs = await page.evaluate(async () => {
    const started = performance.now();
    window.benchWorker = new Worker('/pdf-loader.js');
    await new Promise((ready, failed) => {
      window.benchWorker.onmessage = (event) => {
        if (event.data?.ready) ready();
        if (event.data?.failed) failed(new Error(event.data.failed));
      };
    });
    return performance.now() - started;
  });
  console.log(`PDF module start (fetch + compile, loopback): ${loadMs.toFixed(0)} ms`);
  console.log(`${'form'.padEnd(14)} ${'median ms'.padStart(10)} ${'size KB'.padStart(9)} ${'pages'.padStart(6)} ${'runs'.padStart(5)}`);
  for (const form of forms) {
    const job = `{"forms":${formsText},"form":${JSON.stringify(form.id)},"answers":${JSON.stringify(longAnswers(form))}}`;
    const { times, bytes } = await page.evaluate(
      async ({ job, runs }) => {
        const make = () =>
          new Promise((done) => {
            window.benchWorker.onmessage = (event) => done(event.data);
            window.benchWorker.postMessage(job);
          });
        await make(); // warm-up
        const times = [];
        let pdf;
        for (let i = 0; i < runs; i += 1) {
          const started = performance.now();
          pdf = await make();
          times.push(performance.now() - started);
        }
        if (!(pdf instanceof Uint8Array)) throw new Error(`the module answered ${pdf}`);
        return { times, bytes: Array.from(pdf) };
      },
      { job, runs: RUNS },
    );
    times.sort((a, b) => a - b);
    const pdf = Buffer.from(bytes);
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    console.log(
      `${form.id.padEnd(14)} ${times[Math.floor(RUNS / 2)].toFixed(1).padStart(10)} ${(pdf.length / 1024).toFixed(1).padStart(9)} ${String(pages).padStart(6)} ${String(RUNS).padStart(5)}`,
    );
  }
  for (const file of ['pdf-worker_bg.wasm', 'pdf-worker.js', 'pdf-loader.js']) {
    const bytes = readFileSync(`${dist}/${file}`);
    const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    console.log(`lazily loaded ${file.padEnd(20)} ${(bytes.length / 1024).toFixed(1).padStart(8)} KB raw ${(brotli / 1024).toFixed(1).padStart(8)} KB brotli`);
  }
} finally {
  await browser.close();
  await server.stop();
}
