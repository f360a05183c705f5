// Prints, for each shipped form, the time to make its PDF in the browser (headless Chromium,
// the real PDF module in its Web Worker; median of RUNS after one warm-up), the PDF's size and
// pages, and the size of the lazily loaded PDF module; then the same two-page DC02 made with
// pdf-lib in the same browser (npm, for this benchmark only — never shipped) and the ratio; then
// a citizen's cold first PDF on a throttled connection (Chromium's Slow 4G: 1.6 Mbps, 150 ms),
// from "Make PDF" to the PDF ready, and a citizen's first form on the same connection, from "Fill
// in online" on a checklist to the form's first step. Needs a release build in dist/ (scripts/build) and the test
// tools (scripts/setup test). Run: node scripts/bench-pdf-browser.mjs
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
const { fillDc02 } = await import('../tests/e2e/harness.mjs');

/** Chromium's network emulation at Slow 4G (1.6 Mbps down, 150 ms) for `page`. */
async function slow4g(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 });
}

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
  const ourMedians = {};
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
    ourMedians[form.id] = times[Math.floor(RUNS / 2)];
    const pdf = Buffer.from(bytes);
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    console.log(
      `${form.id.padEnd(14)} ${times[Math.floor(RUNS / 2)].toFixed(1).padStart(10)} ${(pdf.length / 1024).toFixed(1).padStart(9)} ${String(pages).padStart(6)} ${String(RUNS).padStart(5)}`,
    );
  }
  // The same DC02 with pdf-lib: the same text and labels, wrapped the same way, the ID number's
  // boxes, the ticks and the signature blocks, with the same two Noto Sans faces embedded as
  // subsets. Ours also draws the QR code, which pdf-lib's does not: the ratio favours pdf-lib.
  const dc02 = forms.find((f) => f.id === 'DC02');
  const blank = await browser.newPage();
  for (const file of ['pdf-lib/dist/pdf-lib.min.js', '@pdf-lib/fontkit/dist/fontkit.umd.min.js']) {
    await blank.evaluate(readFileSync(require.resolve(file), 'utf8'));
  }
  const font = (name) => readFileSync(`${root}public/fonts/${name}`).toString('base64');
  const pdfLib = await blank.evaluate(
    async ({ form, answers, regular, bold, runs }) => {
      const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const [regularBytes, boldBytes] = [bytes(regular), bytes(bold)];
      const make = async () => {
        const { PDFDocument, rgb } = window.PDFLib;
        const doc = await PDFDocument.create();
        doc.registerFontkit(window.fontkit);
        const normal = await doc.embedFont(regularBytes, { subset: true });
        const heavy = await doc.embedFont(boldBytes, { subset: true });
        const mm = (v) => (v * 72) / 25.4;
        const [W, H, M] = [mm(210), mm(297), mm(20)];
        let page = doc.addPage([W, H]);
        let y = H - M;
        const room = (h) => {
          if (y - h < M) {
            page = doc.addPage([W, H]);
            y = H - M;
          }
        };
        const wrap = (text, size, f, max) => {
          const lines = [];
          let line = '';
          for (const word of text.split(/\s+/)) {
            const next = line ? `${line} ${word}` : word;
            if (line && f.widthOfTextAtSize(next, size) > max) {
              lines.push(line);
              line = word;
            } else line = next;
          }
          if (line) lines.push(line);
          return lines;
        };
        const write = (text, size, f, x = M) => {
          for (const line of wrap(text, size, f, W - M - x)) {
            room(size * 1.4);
            page.drawText(line, { x, y: y - size, size, font: f });
            y -= size * 1.4;
          }
        };
        write('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 11, heavy, mm(60));
        write('Độc lập - Tự do - Hạnh phúc', 11, heavy, mm(75));
        write(form.print_title, 13, heavy, mm(40));
        let number = 0;
        for (const step of form.steps) {
          if (step.print_heading) write(step.print_heading, 11, heavy);
          for (const field of step.fields) {
            if (field.printed === false) continue;
            number += 1;
            const value = answers[field.id];
            if (field.kind === 'id_number') {
              write(`${number}. ${field.print_label}:`, 11, normal);
              room(mm(7));
              for (let i = 0; i < 12; i += 1) {
                page.drawRectangle({ x: M + i * mm(6), y: y - mm(6), width: mm(6), height: mm(6), borderWidth: 0.6, borderColor: rgb(0, 0, 0) });
              }
              y -= mm(7);
            } else if (field.kind === 'multi') {
              write(`${number}. ${field.print_label}:`, 11, normal);
              for (const option of field.options) {
                room(mm(6));
                page.drawRectangle({ x: M, y: y - mm(4), width: mm(4), height: mm(4), borderWidth: 0.6, borderColor: rgb(0, 0, 0) });
                page.drawText(option.label.vi, { x: M + mm(6), y: y - mm(4), size: 10, font: normal });
                y -= mm(6);
              }
            } else {
              const shown = field.kind === 'choice' || field.kind === 'yes_no' ? 'Có' : String(value ?? '');
              write(`${number}. ${field.print_label}: ${shown}`, 11, normal);
            }
          }
        }
        if (form.pledge) write(form.pledge, 11, normal);
        room(mm(40));
        for (const [i, title] of form.signatures.entries()) {
          page.drawText('…, ngày … tháng … năm …', { x: M + i * mm(85), y: y - 11, size: 10, font: normal });
          page.drawText(title, { x: M + i * mm(85), y: y - 26, size: 11, font: heavy });
        }
        return doc.save();
      };
      await make(); // warm-up
      const times = [];
      let pdf;
      for (let i = 0; i < runs; i += 1) {
        const started = performance.now();
        pdf = await make();
        times.push(performance.now() - started);
      }
      const pages = (await window.PDFLib.PDFDocument.load(pdf)).getPageCount();
      return { times: times.sort((a, b) => a - b), size: pdf.length, pages };
    },
    { form: dc02, answers: longAnswers(dc02), regular: font('NotoSans-Regular.ttf'), bold: font('NotoSans-Bold.ttf'), runs: RUNS },
  );
  const pdfLibMedian = pdfLib.times[Math.floor(RUNS / 2)];
  console.log(
    `${'DC02 pdf-lib'.padEnd(14)} ${pdfLibMedian.toFixed(1).padStart(10)} ${(pdfLib.size / 1024).toFixed(1).padStart(9)} ${String(pdfLib.pages).padStart(6)} ${String(RUNS).padStart(5)}`,
  );
  console.log(`DC02: pdf-lib's median / ours = ${(pdfLibMedian / ourMedians.DC02).toFixed(2)} (above 1: ours is faster)`);

  // A citizen's first PDF, cold: no service worker, the module not fetched, Slow 4G.
  const cold = await browser.newContext({ serviceWorkers: 'block' });
  const coldPage = await cold.newPage();
  await coldPage.goto(`${origin}/forms/DC02`);
  await coldPage.getByRole('button', { name: 'Tiếp tục' }).waitFor();
  await slow4g(cold, coldPage);
  await fillDc02(coldPage, { name: 'Trần Văn Bình', birth: '02/09/1985', id: '001085012345', address: 'Số 5 Lê Lợi, Hà Nội' });
  const pressed = Date.now();
  await coldPage.getByRole('button', { name: 'Tạo PDF' }).click();
  await coldPage.locator('#pdf-download').waitFor({ timeout: 120_000 });
  console.log(`cold first PDF on Slow 4G (1.6 Mbps, 150 ms), "Make PDF" to ready: ${((Date.now() - pressed) / 1000).toFixed(1)} s`);
  await cold.close();

  // A citizen's first form, cold: reading a checklist (the citizens' app running, no service
  // worker), "Fill in online" to the form's first step on Slow 4G — the address loaded afresh,
  // the forms bundle fetched (src/platform/bundles.rs).
  const formCold = await browser.newContext({ serviceWorkers: 'block' });
  const checklist = await formCold.newPage();
  await checklist.goto(`${origin}/services/id-card-replace`);
  await checklist.locator('#app:not([hidden]) header.site-header').waitFor();
  await checklist.getByLabel('Bị mất').check();
  await checklist.getByLabel('Từ 6 đến dưới 14 tuổi').check();
  await slow4g(formCold, checklist);
  const opened = Date.now();
  await checklist.getByRole('link', { name: 'Điền trực tuyến' }).first().click();
  await checklist.getByRole('button', { name: 'Tiếp tục' }).waitFor({ timeout: 120_000 });
  console.log(`cold first form on Slow 4G, "Fill in online" on a checklist to the form's first step: ${((Date.now() - opened) / 1000).toFixed(1)} s`);
  await formCold.close();

  for (const file of ['pdf-worker_bg.wasm', 'pdf-worker.js', 'pdf-loader.js']) {
    const bytes = readFileSync(`${dist}/${file}`);
    const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    console.log(`lazily loaded ${file.padEnd(20)} ${(bytes.length / 1024).toFixed(1).padStart(8)} KB raw ${(brotli / 1024).toFixed(1).padStart(8)} KB brotli`);
  }
} finally {
  await browser.close();
  await server.stop();
}
