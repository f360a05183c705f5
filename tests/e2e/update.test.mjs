// A new release while a citizen is filling a form: the app says a new version is ready and,
// when asked, updates without losing what was typed.
import assert from 'node:assert/strict';
import { appendFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertAccessible, openPage, start, waitForApp, waitForServiceWorker } from './harness.mjs';

let env;
before(async () => {
  // A copy of the build that the test deploys a new release into.
  env = await start({ copyDist: true });
});

/**
 * A deployment: sw.js changes (and its precompressed copies go with the old version). Its time
 * is set a minute on, as a later deployment's would be: Last-Modified counts whole seconds, and
 * a file changed within the second the browser last saw would look unchanged to it.
 */
function release() {
  const file = join(env.dist, 'sw.js');
  const before = statSync(file).mtimeMs;
  appendFileSync(file, '\n// next release\n');
  const later = new Date(before + 60_000);
  utimesSync(file, later, later);
  for (const copy of ['sw.js.br', 'sw.js.gz']) rmSync(join(env.dist, copy), { force: true });
}
after(async () => {
  await env?.stop();
});

test('a new version is announced and applied without losing the form being filled', async () => {
  const { page, problems } = await openPage(env);
  await page.goto(env.origin + '/forms/CT01');
  await waitForApp(page);
  await waitForServiceWorker(page);
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
  await page.getByLabel('Họ, chữ đệm và tên').fill('Đinh Thị Cập Nhật');
  await page.getByLabel('Ngày, tháng, năm sinh').fill('05/05/1995');
  assert.equal(await page.locator('.update-notice').count(), 0, 'no notice before a release');

  release();
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  const notice = page.getByRole('status').filter({ hasText: 'Đã có phiên bản mới' });
  await notice.waitFor();
  await assertAccessible(page, 'update notice');
  // Until the citizen chooses, nothing changes under their fingers.
  assert.equal(await page.getByLabel('Họ, chữ đệm và tên').inputValue(), 'Đinh Thị Cập Nhật');

  // The citizen reads in English: the new version starts in English too.
  await page.getByRole('button', { name: 'English' }).click();
  await page.evaluate(() => {
    window.beforeUpdate = true;
  });
  await page.getByRole('button', { name: /Update now/ }).click();
  await page.waitForFunction(() => !window.beforeUpdate && document.querySelector('#app:not([hidden]) header.site-header'));
  await page.getByLabel('Full name as registered at birth').waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.getByLabel('Full name as registered at birth').inputValue(), 'Đinh Thị Cập Nhật');
  assert.equal(await page.getByLabel('Date of birth').inputValue(), '05/05/1995');
  assert.equal(await page.locator('.update-notice').count(), 0, 'the new version is running');
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'the stash is gone once read');
  assert.deepEqual(problems, []);
});

test('on a kiosk, "Update now" keeps the terminal a kiosk, with its idle wipe', async () => {
  const { page, problems, context } = await openPage(env);
  await page.clock.install({ time: new Date('2026-11-30T08:00:00+07:00') });
  await page.goto(env.origin + '/forms/CT01?kiosk=1&idle=60&warn=20');
  await waitForApp(page);
  await waitForServiceWorker(page);
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
  await page.getByLabel('Họ, chữ đệm và tên').fill('Kiều Văn Quầy');

  release();
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  const notice = page.getByRole('status').filter({ hasText: 'Đã có phiên bản mới' });
  await notice.waitFor();
  await page.evaluate(() => {
    window.beforeUpdate = true;
  });
  await notice.getByRole('button', { name: /Cập nhật ngay/ }).click();
  await page.waitForFunction(() => !window.beforeUpdate && document.querySelector('#app:not([hidden]) header.site-header'));
  assert.match(page.url(), /[?&]kiosk=1&idle=60&warn=20/, 'the new version starts as a kiosk');
  await page.getByRole('button', { name: 'Xong và xóa' }).waitFor();
  assert.equal(await page.getByLabel('Họ, chữ đệm và tên').inputValue(), 'Kiều Văn Quầy');
  // The idle wipe still fires.
  await page.clock.runFor(61_000);
  await page.getByRole('alertdialog').waitFor();
  await page.clock.runFor(20_000);
  await page.waitForURL(/\/\?kiosk=1&idle=60&warn=20$/);
  assert.deepEqual(problems, []);
  await context.close();
});
