// A new release while a citizen is filling a form: the app says a new version is ready and,
// when asked, updates without losing what was typed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertAccessible, openPage, start, waitForApp, waitForServiceWorker } from './harness.mjs';

let env;
// The server serves a changed sw.js once `released` is set, as a deployment would.
let released = false;
before(async () => {
  env = await start({
    transform: (path, body) => (released && path === '/sw.js' ? Buffer.concat([body, Buffer.from('\n// next release\n')]) : body),
  });
});
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

  released = true;
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  const notice = page.getByRole('status').filter({ hasText: 'Đã có phiên bản mới' });
  await notice.waitFor();
  await assertAccessible(page, 'update notice');
  // Until the citizen chooses, nothing changes under their fingers.
  assert.equal(await page.getByLabel('Họ, chữ đệm và tên').inputValue(), 'Đinh Thị Cập Nhật');

  await page.evaluate(() => {
    window.beforeUpdate = true;
  });
  await notice.getByRole('button', { name: /Cập nhật ngay/ }).click();
  await page.waitForFunction(() => !window.beforeUpdate && document.querySelector('header.site-header'));
  await page.getByLabel('Họ, chữ đệm và tên').waitFor();
  assert.equal(await page.getByLabel('Họ, chữ đệm và tên').inputValue(), 'Đinh Thị Cập Nhật');
  assert.equal(await page.getByLabel('Ngày, tháng, năm sinh').inputValue(), '05/05/1995');
  assert.equal(await page.locator('.update-notice').count(), 0, 'the new version is running');
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'the stash is gone once read');
  assert.deepEqual(problems, []);
});
