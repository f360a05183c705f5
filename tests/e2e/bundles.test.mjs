// The form pages live in a bundle of their own (src/bin/forms-bundle.rs): a visit that never
// opens a form never downloads them; opening one hands the page over to that bundle, carrying the
// citizen's language, checklist answers and ticks across; offline before any form was opened,
// the form page says so and the rest of the app keeps working.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertAccessible, openPage, start, waitForApp, waitForServiceWorker } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

/** The paths the page has requested so far, from its own origin. */
function recordRequests(page) {
  const paths = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === env.origin) paths.push(url.pathname);
  });
  return paths;
}

test('opening a form fetches the forms bundle, and the language, answers and ticks come along', async () => {
  const { page, problems, context } = await openPage(env);
  const requested = recordRequests(page);
  await page.goto(`${env.origin}/services/id-card-replace`);
  await waitForApp(page);
  await page.getByLabel('Bị mất').check();
  await page.getByLabel('Từ 6 đến dưới 14 tuổi').check();
  const firstPaper = page.locator('.checklist input[type=checkbox]').first();
  await firstPaper.check();
  const paperId = await firstPaper.getAttribute('id');
  await page.getByRole('button', { name: 'English' }).click();
  assert.ok(
    !requested.some((path) => path.startsWith('/forms-bundle')),
    'reading a checklist downloads no form code',
  );

  requested.length = 0;
  await page.getByRole('link', { name: 'Fill in online' }).first().click();
  await page.waitForURL(/\/forms\/DC02/);
  await waitForApp(page);
  await page.locator('h1').waitFor();
  assert.ok(requested.includes('/forms-bundle_bg.wasm'), 'the form page came with the forms bundle');
  // Its loader starts the forms bundle itself: the citizens' wasm is not started again for nothing.
  assert.ok(!requested.some((path) => /^\/civic-kiosk-.*_bg\.wasm$/.test(path)), requested.join(' '));
  assert.equal(await page.locator('html').getAttribute('lang'), 'en', 'still in English');
  assert.match(await page.locator('main').innerText(), /DC02/);
  await assertAccessible(page, 'a form, started in the forms bundle');

  // Back on the checklist (now drawn by the forms bundle): what was chosen is still there.
  await page.goBack();
  await page.getByLabel('It was lost').waitFor();
  assert.ok(await page.getByLabel('It was lost').isChecked(), 'the answer came across');
  assert.ok(await page.locator(`[id="${paperId}"]`).isChecked(), 'the tick came across');
  assert.deepEqual(problems, []);
  await context.close();
});

test('offline before any form was opened: the form page says so, the rest works, and it opens once online', async () => {
  const { page, problems, context } = await openPage(env);
  await page.goto(env.origin + '/');
  await waitForApp(page);
  await waitForServiceWorker(page);
  const failed = [];
  page.on('requestfailed', (request) => failed.push(new URL(request.url()).pathname));
  await context.setOffline(true);

  await page.getByRole('link', { name: 'Tờ khai' }).click();
  const notice = page.getByRole('alert').filter({ hasText: 'Chưa tải được phần điền tờ khai' });
  await notice.waitFor();
  assert.equal(new URL(page.url()).pathname, '/forms', 'the address stays the form page');
  await assertAccessible(page, 'forms unavailable offline');
  // The rest of the app still works offline.
  await page.getByRole('link', { name: 'Trang chủ' }).click();
  await page.locator('main h1').waitFor();
  await page.goBack();
  await notice.waitFor();

  await context.setOffline(false);
  await page.getByRole('button', { name: 'Thử lại' }).click();
  await page.getByRole('heading', { level: 1, name: 'Điền tờ khai' }).waitFor();
  await waitForApp(page);
  // Offline, only the bundle's download failed (the browser logs each as a failed load) — and the
  // tab's icon, which Chromium fetches past the service worker.
  const bundleOnly = failed.filter((path) => path !== '/icons/icon.svg');
  assert.ok(bundleOnly.length > 0 && bundleOnly.every((path) => path.startsWith('/forms-bundle')), failed.join(' '));
  assert.deepEqual(problems.filter((problem) => !/Failed to load resource: net::ERR_FAILED/.test(problem)), []);
  await context.close();
});
