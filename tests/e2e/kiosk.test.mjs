// Kiosk mode: idle warning with countdown, erasure of every trace, "Finish and erase".
// Timers are driven by Playwright's fake clock, so no test waits real minutes.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, assertAccessible, fillDc02, openPage, start, waitForApp } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

async function openKiosk() {
  const opened = await openPage(env);
  await opened.page.clock.install({ time: new Date('2026-11-30T08:00:00+07:00') });
  await opened.page.goto(env.origin + '/services?kiosk=1&idle=60&warn=20');
  await waitForApp(opened.page);
  opened.historyAtStart = await opened.page.evaluate(() => history.length);
  return opened;
}

async function typeSomethingPersonal(page) {
  await page.getByLabel('Tìm thủ tục').fill('cap lai can cuoc');
  await page.locator('.search-results .procedure-link').first().click();
  await page.getByLabel('Bị mất').check();
  // Something in storage too, as a previous citizen's phone-mode session might have left.
  await page.evaluate(() => localStorage.setItem('civic-kiosk.bookings', '{"version":1,"book":{"bookings":[]}}'));
}

async function assertErased(page, historyAtStart) {
  await page.waitForURL(/\/\?kiosk=1&idle=60&warn=20$/);
  await waitForApp(page);
  // Navigation on a kiosk replaces history entries: nothing to go back to.
  assert.equal(await page.evaluate(() => history.length), historyAtStart, 'browsing added no history entries');
  assert.equal(await page.locator('h1').innerText(), 'Bạn cần làm thủ tục gì?');
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('civic-kiosk'))), []);
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await page.goto(page.url().replace('/?', '/services/id-card-replace?'));
  await waitForApp(page);
  assert.equal(await page.getByLabel('Bị mất').isChecked(), false, 'answers are gone');
  await page.goto(page.url().replace('/services/id-card-replace?', '/services?'));
  await waitForApp(page);
  assert.equal(await page.getByLabel('Tìm thủ tục').inputValue(), '', 'the search is gone');
}

test('after the idle time a warning counts down, then everything is erased', async () => {
  const { page, problems, context, historyAtStart } = await openKiosk();
  await typeSomethingPersonal(page);
  await page.clock.runFor(59_000);
  assert.equal(await page.locator('.kiosk-warning').count(), 0, 'no warning before the idle time');
  await page.clock.runFor(2_000);
  const warning = page.getByRole('alertdialog');
  await warning.waitFor();
  assert.match(await warning.innerText(), /Bạn còn ở đây không\?/);
  assert.match(await warning.innerText(), /bị xóa sau (19|20) giây/);
  await assertAccessible(page, 'kiosk warning');
  await page.clock.runFor(20_000);
  await assertErased(page, historyAtStart);
  assert.deepEqual(problems, []);
  await context.close();
});

test('touching "I am still here" keeps the session; "Finish and erase" erases at once', async () => {
  const { page, context, historyAtStart } = await openKiosk();
  await typeSomethingPersonal(page);
  await page.clock.runFor(61_000);
  await page.getByRole('button', { name: 'Tôi vẫn đang dùng' }).click();
  await page.clock.runFor(1_000);
  assert.equal(await page.locator('.kiosk-warning').count(), 0);
  assert.ok(await page.getByLabel('Bị mất').isChecked(), 'nothing erased');
  // No option to keep bookings on a shared terminal.
  await page.getByRole('link', { name: 'Đặt lịch hẹn cho thủ tục này' }).click();
  await page.locator('button.choice').first().click();
  await page.locator('#book-time-title ~ ul button.choice').first().click();
  assert.equal(await page.getByLabel('Lưu lịch hẹn trên thiết bị này để xem lại sau').count(), 0);
  await page.getByRole('button', { name: 'Xong và xóa' }).click();
  await assertErased(page, historyAtStart);
  await context.close();
});

test('the kiosk layout is larger for a touch screen at arm\'s length, and stays usable', async () => {
  const { page, problems, context } = await openKiosk();
  const size = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  assert.ok(size >= 22, `kiosk base font ${size}px`);
  const smallest = await page.evaluate(() =>
    Math.min(...[...document.querySelectorAll('button, nav a, .procedure-link')].map((el) => el.getBoundingClientRect().height)),
  );
  assert.ok(smallest >= 56, `smallest target ${smallest}px`);
  await assertAccessible(page, 'kiosk services');
  assert.deepEqual(problems, []);
  await context.close();
});

test('after printing, the terminal offers to erase at once', async () => {
  const { page, problems, context, historyAtStart } = await openKiosk();
  await typeSomethingPersonal(page);
  // The browser fires afterprint when its print dialog closes.
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  const offer = page.getByRole('alertdialog');
  await offer.waitFor();
  assert.match(await offer.innerText(), /Đã in xong/);
  await assertAccessible(page, 'offer to erase after printing');
  await offer.getByRole('button', { name: 'Xong và xóa' }).click();
  await assertErased(page, historyAtStart);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a half-filled form on the kiosk: idle time erases it from memory, the page and history', async () => {
  const { page, problems, context, historyAtStart } = await openKiosk();
  await page.getByRole('navigation').getByRole('link', { name: 'Tờ khai', exact: true }).click();
  await page.getByRole('link', { name: 'Đơn trình báo mất giấy tờ' }).click();
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
  await page.getByLabel('Họ, chữ đệm và tên').fill('Phạm Thị Riêng Tư');
  await page.getByLabel('Số định danh cá nhân').fill('001185012345');
  // Whatever the page may have put there, nothing of it may survive in storage either.
  await page.clock.runFor(61_000);
  await page.getByRole('alertdialog').waitFor();
  await page.clock.runFor(20_000);
  await page.waitForURL(/\/\?kiosk=1&idle=60&warn=20$/);
  await waitForApp(page);
  assert.equal(await page.evaluate(() => history.length), historyAtStart, 'browsing added no history entries');
  assert.doesNotMatch(await page.content(), /Riêng Tư|001185012345/, 'nothing typed is in the page');
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage)), []);
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  // The form opens empty again (only the station's name is filled in).
  await page.getByRole('navigation').getByRole('link', { name: 'Tờ khai', exact: true }).click();
  await page.getByRole('link', { name: 'Đơn trình báo mất giấy tờ' }).click();
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
  assert.equal(await page.getByLabel('Họ, chữ đệm và tên').inputValue(), '');
  assert.deepEqual(problems, []);
  await context.close();
});

test("the station's configuration makes its terminal a kiosk, with its timings; phones stay phones", async () => {
  // The station lists "localhost" as its terminal's host name; the same build opened at
  // 127.0.0.1 plays the citizen's phone.
  const station = await start({
    station: (data) => ({ ...data, kiosk_terminal_hosts: ['localhost'], kiosk_idle_seconds: 45, kiosk_warning_seconds: 15 }),
  });
  try {
    const terminal = await openPage(station);
    await terminal.page.clock.install({ time: new Date('2026-11-30T08:00:00+07:00') });
    await terminal.page.goto(station.origin.replace('127.0.0.1', 'localhost') + '/forms');
    await terminal.page.waitForURL(/\/forms\?kiosk=station&idle=45&warn=15$/);
    await waitForApp(terminal.page);
    await terminal.page.getByRole('button', { name: 'Xong và xóa' }).waitFor();
    assert.ok(await terminal.page.evaluate(() => document.documentElement.classList.contains('kiosk')));
    await terminal.page.locator('#handoff-load-title').waitFor();
    assert.equal(await terminal.page.locator('#keep-drafts').count(), 0, 'no offer to keep drafts on a terminal');
    await terminal.page.clock.runFor(46_000);
    const warning = terminal.page.getByRole('alertdialog');
    await warning.waitFor();
    assert.match(await warning.innerText(), /bị xóa sau (14|15) giây/);
    await terminal.page.clock.runFor(15_000);
    await terminal.page.waitForURL(/\/\?kiosk=station&idle=45&warn=15$/);
    assert.deepEqual(terminal.problems, []);
    await terminal.context.close();

    const phone = await openPage(station);
    await phone.page.goto(station.origin + '/forms');
    await waitForApp(phone.page);
    await phone.page.locator('#keep-drafts').waitFor();
    assert.equal(new URL(phone.page.url()).search, '', 'the phone was not sent to the kiosk address');
    assert.equal(await phone.page.getByRole('button', { name: 'Xong và xóa' }).count(), 0);
    assert.deepEqual(phone.problems, []);
    await phone.context.close();

    // The flag without timings takes the station's.
    const flagged = await openPage(station);
    await flagged.page.goto(station.origin + '/?kiosk=1');
    await flagged.page.waitForURL(/\/\?kiosk=station&idle=45&warn=15$/);
    await flagged.context.close();
  } finally {
    await station.stop();
  }
});

test('a kiosk forgets what an earlier visit stored and lets the browser keep no name or phone', async () => {
  // An earlier phone-mode visit in this browser kept a booking, drafts and a set-aside copy.
  const { page, problems, context } = await openPage(env);
  await page.goto(env.origin + '/');
  await waitForApp(page);
  await page.evaluate(() => {
    const booking = {
      code: '5CN09YY',
      procedure: 'id-card-replace',
      slot: { counter: 'id-cards', date: '2026-12-01', start: 540 },
      name: 'Người Đến Trước',
      phone: '0912000009',
      status: 'booked',
    };
    localStorage.setItem('civic-kiosk.bookings', JSON.stringify({ version: 1, book: { bookings: [booking] } }));
    localStorage.setItem('civic-kiosk.drafts', JSON.stringify({ version: 1, saved_on: '2026-11-30', codes: ['CK1:x'] }));
    localStorage.setItem('civic-kiosk.bookings.set-aside.2026-11-30', '{"broken');
  });
  await page.goto(env.origin + '/?kiosk=1&idle=60&warn=20');
  await waitForApp(page);
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('civic-kiosk'))), []);
  await page.getByRole('navigation').getByRole('link', { name: 'Lịch hẹn' }).click();
  await page.waitForURL(/\/bookings\?kiosk=1&idle=60&warn=20$/);
  await page.getByText('Chưa có lịch hẹn nào trên thiết bị này.').waitFor();
  assert.doesNotMatch(await page.content(), /Người Đến Trước|0912000009/);

  // Booking on the terminal: no field invites the browser's autofill.
  await page.goto(env.origin + '/book?procedure=id-card-replace&kiosk=1&idle=60&warn=20');
  await waitForApp(page);
  await page.locator('button.choice').first().click();
  await page.locator('#book-time-title ~ ul button.choice').first().click();
  await page.getByLabel('Họ và tên').waitFor();
  const autocomplete = await page.evaluate(() =>
    [...document.querySelectorAll('input:not([type=checkbox]):not([type=radio]), textarea')].map((i) => `${i.id}:${i.autocomplete}`),
  );
  assert.ok(autocomplete.length >= 2);
  assert.deepEqual(autocomplete.filter((entry) => !entry.endsWith(':off')), []);
  assert.equal(await page.getByLabel('Lưu lịch hẹn trên thiết bị này để xem lại sau').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

/** Whether the page is a kiosk whose idle wipe still fires (the fake clock runs past it). */
async function assertStillKiosk(page, label) {
  assert.match(page.url(), /[?&]kiosk=1&idle=60&warn=20/, `${label}: the address keeps the mode`);
  await page.getByRole('button', { name: 'Xong và xóa' }).waitFor();
  await page.clock.runFor(61_000);
  await page.getByRole('alertdialog').waitFor();
  await page.clock.runFor(20_000);
  await page.waitForURL(/\/\?kiosk=1&idle=60&warn=20$/);
  await waitForApp(page);
}

test('no way out of kiosk mode: a reload, a link opened in a new tab and the crash notice\'s reload stay kiosks', async () => {
  const { page, problems, context } = await openKiosk();
  await page.getByRole('navigation').getByRole('link', { name: 'Tờ khai', exact: true }).click();
  await page.waitForURL(/\/forms\?kiosk=1&idle=60&warn=20$/);
  // Every in-app link says the mode, for a long-press "open in new tab".
  const hrefs = await page.locator('a[href^="/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.length > 5);
  assert.deepEqual(hrefs.filter((href) => !/[?&]kiosk=1&idle=60&warn=20/.test(href)), []);

  await page.reload();
  await waitForApp(page);
  await assertStillKiosk(page, 'reload');

  const tab = await context.newPage();
  await tab.clock.install({ time: new Date('2026-11-30T08:00:00+07:00') });
  await tab.goto(env.origin + hrefs.find((href) => href.startsWith('/news')));
  await waitForApp(tab);
  await assertStillKiosk(tab, 'new tab');
  await tab.close();

  // The crash notice's "Reload" goes to the same address.
  await page.getByRole('navigation').getByRole('link', { name: 'Liên hệ' }).click();
  await page.evaluate(() => document.getElementById('app-crashed').removeAttribute('hidden'));
  await page.locator('#app-crashed a').click();
  await page.waitForURL(/\/contact\?kiosk=1&idle=60&warn=20$/);
  await waitForApp(page);
  await assertStillKiosk(page, 'crash reload');
  assert.deepEqual(problems, []);
  await context.close();
});

test("on a terminal the station lists, switching the language after moving around keeps what was typed", async () => {
  const station = await start({
    station: (data) => ({ ...data, kiosk_terminal_hosts: ['localhost'], kiosk_idle_seconds: 45, kiosk_warning_seconds: 15 }),
  });
  try {
    const { page, problems, context } = await openPage(station);
    await page.clock.install({ time: new Date('2026-11-30T08:00:00+07:00') });
    await page.goto(station.origin.replace('127.0.0.1', 'localhost') + '/');
    await page.waitForURL(/\/\?kiosk=station&idle=45&warn=15$/);
    await waitForApp(page);
    await page.getByRole('navigation').getByRole('link', { name: 'Dịch vụ công' }).click();
    await page.getByLabel('Tìm thủ tục').fill('tam tru');
    const navigations = [];
    page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations.push(frame.url()));
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel('Search for a procedure').waitFor();
    assert.equal(await page.getByLabel('Search for a procedure').inputValue(), 'tam tru');
    assert.deepEqual(navigations, [], 'no reload');
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    await station.stop();
  }
});

/** Every file under `dir` that holds `text` in UTF-8 or UTF-16 (how Chromium's stores keep it). */
function filesHolding(dir, text) {
  const needles = [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le')];
  const found = [];
  const walk = (folder) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      const info = statSync(path, { throwIfNoEntry: false });
      if (!info) continue;
      if (info.isDirectory()) walk(path);
      else if (info.isFile() && needles.some((needle) => readFileSync(path).includes(needle))) found.push(path);
    }
  };
  walk(dir);
  return found;
}

test('a kiosk journey — book, fill a form, make its PDF, erase — leaves nothing typed in the page, its storage or the browser profile itself', async () => {
  // A real, persistent profile, as a terminal has: autofill's "Web Data", history, caches.
  const profile = mkdtempSync(join(tmpdir(), 'civic-kiosk-profile-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  try {
    await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.origin });
    const page = await browser.newPage();
    await page.goto(env.origin + '/book?procedure=id-card-replace&kiosk=1&idle=60&warn=20');
    await waitForApp(page);
    const historyAtStart = await page.evaluate(() => history.length);
    // Whatever the clipboard holds at the end must still be this: nothing was copied.
    await page.evaluate(() => navigator.clipboard.writeText('trước phiên'));
    await page.locator('button.choice').first().click();
    await page.locator('#book-time-title ~ ul button.choice').first().click();
    await page.getByLabel('Họ và tên').fill('Trương Thị Dấu Vết');
    await page.getByLabel('Số điện thoại di động').fill('0988 777 666');
    await page.getByLabel(/Tôi đồng ý để công an xã, phường lưu/).check();
    await page.getByRole('button', { name: 'Đặt lịch hẹn', exact: true }).click();
    await page.waitForURL(/\/bookings\/[0-9A-Y]{7}\?kiosk=1&idle=60&warn=20$/);
    assert.match(await page.locator('.facts').innerText(), /Trương Thị Dấu Vết/);
    assert.equal(await page.getByRole('button', { name: /\.ics/ }).count(), 0, 'the slip prints; no calendar file is downloaded');

    // Then a form, filled with the same name and printed.
    await page.getByRole('navigation').getByRole('link', { name: 'Tờ khai', exact: true }).click();
    await page.getByRole('link', { name: 'Phiếu đề nghị giải quyết thủ tục về căn cước' }).click();
    await fillDc02(page, { name: 'Trương Thị Dấu Vết', birth: '03/03/1983', id: '001083012345', address: 'Phường Tân Lập' });
    // The PDF is made (printing it is tested in forms.test.mjs: a PDF viewer frame detached by the
    // erase upsets Playwright's persistent-profile mode, not the app).
    await page.getByRole('button', { name: 'Tạo PDF' }).click();
    await page.locator('#pdf-print').waitFor({ timeout: 60_000 });

    await page.getByRole('banner').getByRole('button', { name: 'Xong và xóa' }).click();
    await page.waitForURL(/\/\?kiosk=1&idle=60&warn=20$/);
    await waitForApp(page);
    // Nothing typed is left in the page or anything the page can reach.
    const left = await page.evaluate(async () => ({
      local: Object.keys(localStorage).filter((key) => key.startsWith('civic-kiosk')),
      session: sessionStorage.length,
      databases: (await indexedDB.databases()).map((d) => d.name),
      history: history.length,
      cached: await Promise.all(
        (await caches.keys()).map(async (name) => {
          const cache = await caches.open(name);
          return (await cache.keys()).map((request) => new URL(request.url).pathname).filter((path) => path.startsWith('/api/'));
        }),
      ).then((lists) => lists.flat()),
    }));
    assert.deepEqual(left, { local: [], session: 0, databases: [], history: historyAtStart, cached: [] });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'trước phiên', 'nothing on the clipboard');
    assert.doesNotMatch(await page.content(), /Dấu Vết|0988 ?777 ?666|001083012345/);
  } finally {
    await browser.close();
  }
  for (const typed of ['Trương Thị Dấu Vết', 'Dấu Vết', '0988 777 666', '0988777666', '001083012345']) {
    assert.deepEqual(filesHolding(profile, typed).map((path) => path.slice(profile.length)), [], `"${typed}" is nowhere in the profile`);
  }
  rmSync(profile, { recursive: true, force: true });
});
