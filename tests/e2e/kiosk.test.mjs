// Kiosk mode: idle warning with countdown, erasure of every trace, "Finish and erase".
// Timers are driven by Playwright's fake clock, so no test waits real minutes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertAccessible, openPage, start, waitForApp } from './harness.mjs';

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
