// The app shell: home, language switch, the three sections, not-found, errors, offline.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertAccessible, fillDc02, keptOnDemand, openPage, start, waitForApp, waitForOfflineCopy, waitForServiceWorker } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

test('home page shows the three sections in Vietnamese, with no console error', async () => {
  const { page, problems, context } = await openPage(env);
  await page.goto(env.origin + '/');
  await waitForApp(page);
  assert.equal(await page.locator('h1').innerText(), 'Bạn cần làm thủ tục gì?');
  assert.equal(await page.getAttribute('html', 'lang'), 'vi');
  const sections = await page.locator('.section-card-title').allInnerTexts();
  assert.deepEqual(sections, ['Dịch vụ công', 'Tin tức và cảnh báo', 'Liên hệ']);
  assert.match(await page.locator('.site-name').innerText(), /Công an phường Tân Lập/);
  assert.match(await page.title(), /Trang chủ – Công an phường Tân Lập/);
  await assertAccessible(page, 'home');
  assert.deepEqual(problems, []);
  await context.close();
});

test('switching to English and back changes every text and the document language', async () => {
  const { page, problems, context } = await openPage(env);
  await page.goto(env.origin + '/contact');
  await waitForApp(page);
  await page.locator('.hours-table').waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  assert.equal(await page.locator('h1').innerText(), 'Contact');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'true');
  assert.match(await page.locator('.hours-table').innerText(), /Monday – Friday\s+07:30–11:30, 13:30–17:00/);
  assert.match(await page.locator('.site-name').innerText(), /Tân Lập Ward Police/);
  await assertAccessible(page, 'contact (en)');
  await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  assert.equal(await page.locator('h1').innerText(), 'Liên hệ');
  assert.equal(await page.getAttribute('html', 'lang'), 'vi');
  assert.match(await page.locator('.hours-table').innerText(), /Thứ Hai – Thứ Sáu\s+07:30–11:30, 13:30–17:00/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('each section is reachable from the navigation and passes axe', async () => {
  const { page, problems, context } = await openPage(env);
  await page.goto(env.origin + '/');
  await waitForApp(page);
  const nav = page.getByRole('navigation');

  await nav.getByRole('link', { name: 'Dịch vụ công' }).click();
  await page.waitForURL('**/services');
  assert.equal(await page.locator('h1').innerText(), 'Dịch vụ công');
  assert.equal(await nav.getByRole('link', { name: 'Dịch vụ công' }).getAttribute('aria-current'), 'page');
  await assertAccessible(page, 'services');

  await nav.getByRole('link', { name: 'Tin tức' }).click();
  await page.waitForURL('**/news');
  await page.locator('.news-item').first().waitFor();
  const titles = await page.locator('.news-item h2').allInnerTexts();
  assert.equal(titles[0], 'Cảnh báo cuộc gọi giả danh công an yêu cầu chuyển tiền', 'newest first');
  assert.match(await page.locator('.news-item').first().innerText(), /10\/11\/2026/);
  await assertAccessible(page, 'news');

  await nav.getByRole('link', { name: 'Liên hệ' }).click();
  await page.waitForURL('**/contact');
  await page.locator('.hours-table').waitFor();
  const contact = await page.locator('main').innerText();
  assert.match(contact, /0262 3850 000/);
  assert.match(contact, /Chủ Nhật\s+Nghỉ/);
  assert.match(contact, /dữ liệu mẫu/);
  assert.equal(await page.locator('main a[href^="http"]').count(), 0, 'no link leaves the app');
  await assertAccessible(page, 'contact');

  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main', 'focus moves to the new page');
  assert.deepEqual(problems, []);
  await context.close();
});

test('an unknown address shows the not-found page with a way home', async () => {
  const { page, problems, context } = await openPage(env);
  await page.goto(env.origin + '/no-such-page');
  await waitForApp(page);
  assert.equal(await page.locator('h1').innerText(), 'Không tìm thấy trang');
  await assertAccessible(page, 'not found');
  await page.getByRole('main').getByRole('link', { name: 'Về trang chủ' }).click();
  await page.waitForURL(env.origin + '/');
  assert.equal(await page.locator('h1').innerText(), 'Bạn cần làm thủ tục gì?');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a malformed station file is reported naming the file and the field', async () => {
  const { page, context } = await openPage(env);
  await page.route('**/data/station.json', (route) =>
    route.fulfill({
      contentType: 'application/json',
      body: JSON.stringify({ schema_version: 1, name: { vi: 'X', en: 'X' }, phone: 12 }),
    }),
  );
  await page.goto(env.origin + '/contact');
  await waitForApp(page);
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const text = await alert.innerText();
  assert.match(text, /Không đọc được dữ liệu của trụ sở/);
  assert.match(text, /data\/station\.json/);
  assert.match(text, /“phone”/, 'names the field in error');
  // The rest of the app still works.
  await page.getByRole('navigation').getByRole('link', { name: 'Trang chủ' }).click();
  assert.equal(await page.locator('h1').innerText(), 'Bạn cần làm thủ tục gì?');
  await context.close();
});

test('at 320 px wide nothing scrolls sideways and targets stay 44 px', async () => {
  const { page, problems, context } = await openPage(env, { viewport: { width: 320, height: 640 } });
  for (const path of ['/', '/contact', '/news']) {
    await page.goto(env.origin + path);
    await waitForApp(page);
    await page.waitForLoadState('networkidle');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path} overflows by ${overflow}px`);
  }
  const small = await page.evaluate(
    () =>
      [...document.querySelectorAll('button, nav a, .button, .section-card')]
        .map((el) => el.getBoundingClientRect())
        .filter((r) => r.width > 0 && (r.height < 44 || r.width < 44)).length,
  );
  assert.equal(small, 0, 'touch targets under 44 px');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the keyboard reaches the skip link first and it moves focus to the content', async () => {
  const { page, context } = await openPage(env);
  await page.goto(env.origin + '/');
  await waitForApp(page);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip-link');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
  await context.close();
});

test('after one visit the app and its data load with the network cut off', async () => {
  const { page, problems, context } = await openPage(env);
  await page.goto(env.origin + '/');
  await waitForApp(page);
  await waitForServiceWorker(page);
  await context.setOffline(true);
  await page.reload();
  await waitForApp(page);
  assert.equal(await page.locator('h1').innerText(), 'Bạn cần làm thủ tục gì?');
  await page.getByRole('status').filter({ hasText: 'ngoại tuyến' }).waitFor();
  await page.goto(env.origin + '/contact');
  await waitForApp(page);
  await page.locator('.hours-table').waitFor();
  assert.match(await page.locator('main').innerText(), /0262 3850 000/);
  await assertAccessible(page, 'contact (offline)');
  assert.deepEqual(problems, []);
  await context.close();
});

test('files needed only on demand are not in the first precache; a phone keeps the data in the background, the PDF module once a form is opened', async () => {
  const { page, problems, context } = await openPage(env);
  await page.addInitScript(recordServiceWorkerMessages);
  await page.goto(env.origin + '/');
  await waitForApp(page);
  await waitForServiceWorker(page);
  // Installing the service worker (what the first page waits for) precaches the shell only.
  const precache = await page.evaluate(async () => {
    const text = await (await fetch('/sw.js')).text();
    return JSON.parse(text.match(/PRECACHE=(\[[^\]]*\])/)[1]);
  });
  assert.ok(precache.includes('/data/station.json'));
  for (const file of ['/data/procedures.json', '/data/forms.json', '/data/news.json', '/data/schedule.json', '/pdf-worker_bg.wasm', '/pdf-loader.js']) {
    assert.ok(!precache.includes(file), `${file} is not precached at install`);
  }
  // Nor the other bundles: only the station's own devices fetch the station's, and only a form
  // page the forms bundle.
  for (const bundle of ['/station-desk', '/forms-bundle']) {
    assert.ok(!precache.some((file) => file.startsWith(bundle)), `${bundle} is never precached`);
  }
  const onDemand = await page.evaluate(async () => {
    const text = await (await fetch('/sw.js')).text();
    return JSON.parse(text.match(/ON_DEMAND=(\[[^\]]*\])/)[1]);
  });
  for (const bundle of ['/station-desk', '/forms-bundle']) {
    assert.ok(!onDemand.some((file) => file.startsWith(bundle)), `${bundle} is not fetched in the background`);
  }
  // Once the app runs, a phone's service worker keeps the small data files in the background...
  await page.waitForFunction(() => window.swMessages.includes('cache-data'));
  await waitForOfflineCopy(page, '^/data/');
  // ...and nothing else was asked for: the PDF module (about 1 MB) waits for a form.
  assert.deepEqual(await page.evaluate(() => window.swMessages), ['cache-data']);
  assert.ok(!(await keptOnDemand(page)).some((path) => path.startsWith('/pdf')), 'no PDF module on a phone yet');
  await context.setOffline(true);
  const offline = await page.evaluate(async () => {
    const response = await fetch('/data/forms.json');
    return response.ok && (await response.json()).forms.length;
  });
  assert.ok(offline >= 4, 'served from the cache');
  await context.setOffline(false);
  // Opening a form keeps the PDF module and its fonts, so the PDF then works offline too.
  await page.getByRole('link', { name: 'Tờ khai', exact: true }).click();
  await page.getByRole('link', { name: 'Đơn trình báo mất giấy tờ' }).click();
  await page.waitForFunction(() => window.swMessages.includes('cache-pdf'));
  await waitForOfflineCopy(page, '^/(pdf|fonts/)');
  assert.deepEqual(problems, []);
  await context.close();
});

/** Records what the page asks its service worker to do (window.swMessages). */
function recordServiceWorkerMessages() {
  window.swMessages = [];
  const post = ServiceWorker.prototype.postMessage;
  ServiceWorker.prototype.postMessage = function (message, ...rest) {
    window.swMessages.push(message);
    return post.call(this, message, ...rest);
  };
}

test('when the browser asks to save data, nothing is fetched in the background and the PDF module only on "Make PDF"', async () => {
  const saveData = () => Object.defineProperty(Navigator.prototype, 'connection', { get: () => ({ saveData: true }) });
  {
    const { page, problems, context } = await openPage(env);
    await page.addInitScript(recordServiceWorkerMessages);
    await page.addInitScript(saveData);
    await page.goto(env.origin + '/forms/LOST-PAPERS');
    await waitForApp(page);
    await waitForServiceWorker(page);
    await page.getByRole('button', { name: 'Tiếp tục' }).waitFor();
    assert.deepEqual(await page.evaluate(() => window.swMessages), [], 'no background downloads');
    assert.deepEqual(problems, []);
    await context.close();
  }
  // Without a service worker, to see the page's own requests: none for the module until asked.
  const { page, problems, context } = await openPage(env, { serviceWorkers: 'block' });
  const asked = [];
  let pressed = false;
  await context.route('**/pdf-worker_bg.wasm', (route) => {
    asked.push(pressed);
    return route.continue();
  });
  await page.addInitScript(saveData);
  await page.goto(env.origin + '/forms/DC02');
  await waitForApp(page);
  await fillDc02(page, { name: 'Trần Văn Bình', birth: '02/09/1985', id: '001085012345', address: 'Số 5 Lê Lợi, Hà Nội' });
  await page.getByRole('button', { name: 'Tạo PDF' }).waitFor();
  assert.deepEqual(asked, [], 'the review page does not start the module either');
  pressed = true;
  await page.getByRole('button', { name: 'Tạo PDF' }).click();
  await page.locator('#pdf-download').waitFor({ timeout: 60_000 });
  assert.deepEqual(asked, [true], 'fetched once, after the press');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a kiosk keeps every on-demand file at start', async () => {
  const { page, problems, context } = await openPage(env);
  await page.addInitScript(recordServiceWorkerMessages);
  await page.goto(env.origin + '/forms/CT01?kiosk=1&idle=60&warn=20');
  await waitForApp(page);
  await waitForServiceWorker(page);
  await page.waitForFunction(() => window.swMessages.includes('cache-on-demand'));
  await waitForOfflineCopy(page);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the server sends the wasm precompressed and the data compressed as sent, so an edit shows', async () => {
  const { readdirSync } = await import('node:fs');
  const dist = new URL('../../dist/', import.meta.url).pathname;
  const wasm = readdirSync(dist).find((name) => /^civic-kiosk-[0-9a-f]+_bg\.wasm$/.test(name));
  const get = (path) => fetch(env.origin + path, { headers: { 'Accept-Encoding': 'br, gzip' } });
  const app = await get('/' + wasm);
  assert.equal(app.headers.get('content-encoding'), 'br');
  assert.ok(Number(app.headers.get('content-length')) < 0.4 * (await app.arrayBuffer()).byteLength, 'a third on the wire');
  // No precompressed copy of a data file: an administrator's edit is what is sent.
  assert.ok(!readdirSync(dist + 'data').some((name) => /\.(br|gz)$/.test(name)));
  const data = await get('/data/procedures.json');
  assert.equal(data.headers.get('content-encoding'), 'br');
  assert.ok((await data.json()).procedures.length > 0);
});

test('with the browser\'s storage switched off the app still starts, and offering to keep drafts breaks nothing', async () => {
  const { page, problems, context } = await openPage(env);
  // As some privacy settings do: reading window.localStorage throws.
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
  });
  await page.goto(env.origin + '/forms');
  await waitForApp(page);
  const keep = page.locator('#keep-drafts');
  await keep.check();
  await page.getByRole('link', { name: 'Đơn trình báo mất giấy tờ' }).click();
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
  await page.getByLabel('Họ, chữ đệm và tên').fill('Hà Văn Lưu');
  assert.equal(await page.locator('#app-crashed').isVisible(), false, 'the app did not stop');
  assert.equal(await page.getByLabel('Họ, chữ đệm và tên').inputValue(), 'Hà Văn Lưu');
  assert.deepEqual(problems, []);
  await context.close();
});
