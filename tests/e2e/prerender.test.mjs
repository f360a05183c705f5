// Pages drawn ahead (src/ui/prerender.rs): real content before the WebAssembly arrives, the
// app taking the page's place without a visible change, and the station server drawing each
// page from the station's own data files as they are now.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertAccessible, openPage, start, waitForApp } from './harness.mjs';

let env;
let dataDir;
before(async () => {
  // The station's own data (a copy the test edits, as an administrator would).
  env = await start({ station: (station) => station });
  dataDir = env.dataDir;
});
after(async () => {
  await env?.stop();
});

/** Holds the app's wasm back until `release()`: what a slow connection shows first. Either
 * app bundle's: a form page starts the forms bundle instead of the citizens' app. `release()`
 * fails if no such wasm was asked for, so a page cannot pass by starting one not held. Also
 * counts the page's layout shifts from its first paint (`layoutShift`). */
async function holdWasm(page) {
  await page.addInitScript(() => {
    window.layoutShifts = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.layoutShifts += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  let open;
  const held = new Promise((resolve) => {
    open = resolve;
  });
  const appWasm = /\/(civic-kiosk-[0-9a-f]+|forms-bundle)_bg\.wasm$/;
  // Fails (Playwright's timeout) if the page never asks for an app bundle's wasm.
  const asked = page.waitForRequest(appWasm);
  asked.catch(() => {});
  await page.route(appWasm, async (route) => {
    await held;
    await route.continue();
  });
  return async () => {
    await asked;
    open();
  };
}

/** The page's layout shifts since it started (the browser's own measure, as CLS counts them),
 * read two frames on, so the shifts of the frame just painted have been reported. */
async function layoutShift(page) {
  return page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(window.layoutShifts)))),
  );
}

const pages = [
  ['/', 'Bạn cần làm thủ tục gì?', /^Trang chủ – Công an phường Tân Lập$/],
  ['/services', 'Dịch vụ công', /^Dịch vụ công – /],
  ['/services/id-card-replace', 'Cấp lại thẻ căn cước (mất hoặc hỏng)', /^Cấp lại thẻ căn cước \(mất hoặc hỏng\) – /],
  ['/news', 'Tin tức và cảnh báo', /^Tin tức/],
  ['/contact', 'Liên hệ', /^Liên hệ – /],
  ['/forms', 'Điền tờ khai', /^Điền tờ khai – /],
];

for (const [path, heading, title] of pages) {
  test(`${path} is painted with its content before the app starts, and the app takes its place unchanged`, async () => {
    const { page, problems, context } = await openPage(env);
    const release = await holdWasm(page);
    await page.goto(env.origin + path);
    const drawn = page.locator('#prerendered');
    assert.equal(await drawn.locator('h1').innerText(), heading);
    assert.match(await page.title(), title);
    assert.equal(await page.locator('#app').isVisible(), false, 'the app is not shown twice');
    await assertAccessible(page, `${path} drawn ahead`);
    const before = await drawn.innerText();

    await release();
    await waitForApp(page);
    // The one thing only the device knows: whether it has a camera to read a hand-off code
    // with. Its button appears beside "Open the form" when the app starts; nothing moves.
    const drawnByTheApp = await page.locator('#app').evaluate((app) => {
      const copy = app.cloneNode(true);
      copy.querySelector('.handoff-load button.button-secondary')?.remove();
      document.body.append(copy);
      const text = copy.innerText;
      copy.remove();
      return text;
    });
    assert.equal(drawnByTheApp, before, 'the same page, word for word');
    assert.match(await page.title(), title);
    assert.equal(await layoutShift(page), 0);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('the booking page is painted up to "checking the booking service"; the app then shows the form, nothing moving', async () => {
  const { page, problems, context } = await openPage(env);
  const release = await holdWasm(page);
  await page.goto(env.origin + '/book?procedure=id-card-replace');
  const drawn = page.locator('#prerendered');
  assert.equal(await drawn.locator('h1').innerText(), 'Đặt lịch hẹn');
  assert.match(await drawn.getByRole('status').innerText(), /Đang kết nối với hệ thống đặt lịch/);
  await assertAccessible(page, 'book drawn ahead');
  await release();
  await waitForApp(page);
  assert.equal(await page.getByRole('radio', { name: 'Cấp lại thẻ căn cước (mất hoặc hỏng)' }).isChecked(), true);
  assert.equal(await layoutShift(page), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('what a citizen types and where they are before the app starts goes across to the app', async () => {
  const { page, problems, context } = await openPage(env);
  const release = await holdWasm(page);
  await page.goto(env.origin + '/services');
  const search = page.locator('#prerendered').getByLabel('Tìm thủ tục');
  await search.fill('cap lai can cuoc');
  await release();
  await waitForApp(page);
  const box = page.getByLabel('Tìm thủ tục');
  assert.equal(await box.inputValue(), 'cap lai can cuoc');
  assert.equal(await box.evaluate((input) => input === document.activeElement), true, 'the focus stays in the box');
  // The app acted on it: the results are the search's.
  await page.locator('.search-results .procedure-link-title').first().waitFor();
  assert.equal(
    await page.locator('.search-results .procedure-link-title').first().innerText(),
    'Cấp lại thẻ căn cước (mất hoặc hỏng)',
  );
  assert.deepEqual(problems, []);
  await context.close();
});

test('a form sent on the drawn page before the app starts is answered by the app, not lost', async () => {
  const { page, problems, context } = await openPage(env);
  const release = await holdWasm(page);
  await page.goto(env.origin + '/contact');
  const drawn = page.locator('#prerendered section.channel-check');
  await drawn.getByLabel('Số điện thoại, đường link hoặc tên trang').fill('+84 262 3850 000');
  await page.evaluate(() => { window.sameDocument = true; });
  await drawn.getByRole('button', { name: 'Kiểm tra' }).click();
  await release();
  await waitForApp(page);
  await page.locator('section.channel-check').getByText('Đây là kênh chính thức').waitFor();
  assert.equal(await page.evaluate(() => window.sameDocument), true, 'the page was not loaded again');
  assert.deepEqual(problems, []);
  await context.close();
});

test('without the app (no WebAssembly), the drawn pages still read and their links lead on', async () => {
  const { page, context } = await openPage(env, { javaScriptEnabled: false });
  await page.goto(env.origin + '/');
  await page.locator('#prerendered nav').getByRole('link', { name: 'Dịch vụ công' }).click();
  await page.waitForURL(/\/services$/);
  await page.locator('#prerendered').getByRole('link', { name: /Cấp lại thẻ căn cước/ }).first().click();
  await page.waitForURL(/\/services\/id-card-replace$/);
  assert.equal(await page.locator('h1').innerText(), 'Cấp lại thẻ căn cước (mất hoặc hỏng)');
  await context.close();
});

test('the server draws each page from the station data as it is now; other addresses get the plain app page', async () => {
  const get = async (path) => (await fetch(env.origin + path)).text();
  assert.match(await get('/contact'), /<div id="prerendered">.*<h1>Liên hệ<\/h1>/s);
  for (const plain of ['/book?move=AB12CD', '/bookings', '/forms/DC02', '/staff', '/?kiosk=1', '/services?kiosk=1&idle=60']) {
    const html = await get(plain);
    assert.doesNotMatch(html, /id="prerendered"/, plain);
    assert.match(html, /<div id="app"><\/div>/, plain);
  }

  // An administrator renames the station: the next page drawn says so, without a rebuild.
  const file = join(dataDir, 'station.json');
  const original = readFileSync(file, 'utf8');
  const station = JSON.parse(original);
  station.name.vi = 'Công an phường Thử Nghiệm';
  writeFileSync(file, JSON.stringify(station));
  try {
    const html = await get('/contact');
    assert.match(html, /<title>Liên hệ – Công an phường Thử Nghiệm<\/title>/);
    assert.match(html, /<span>Công an phường Thử Nghiệm<\/span>/);
    // A file the app could not use: the plain app page, which then says what is wrong.
    writeFileSync(file, '{ "name": ');
    assert.doesNotMatch(await get('/contact'), /id="prerendered"/);
  } finally {
    writeFileSync(file, original);
  }
});
