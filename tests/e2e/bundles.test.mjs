// The form pages, asking and booking live in a bundle of their own (src/bin/forms-bundle.rs): a
// visit that never opens one never downloads them; opening one hands the page over to that
// bundle, carrying the citizen's language, checklist answers and ticks across; offline before
// any was opened, the page says so and the rest of the app keeps working.
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

/** The paths of this page's loads that failed (offline, each is logged as a failed load). */
function recordFailedLoads(page) {
  const failed = [];
  page.on('requestfailed', (request) => failed.push(new URL(request.url()).pathname));
  return failed;
}

/**
 * Offline, only the forms bundle's download failed — and the tab's icon, which Chromium fetches
 * past the service worker; nothing else went wrong on the page.
 */
function assertOnlyFormsBundleFailed(failed, problems) {
  const bundleOnly = failed.filter((path) => path !== '/icons/icon.svg');
  assert.ok(bundleOnly.length > 0 && bundleOnly.every((path) => path.startsWith('/forms-bundle')), failed.join(' '));
  assert.deepEqual(problems.filter((problem) => !/Failed to load resource: net::ERR_FAILED/.test(problem)), []);
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
  const failed = recordFailedLoads(page);
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
  assertOnlyFormsBundleFailed(failed, problems);
  await context.close();
});

test('booking is the forms bundle\'s too: a checklist read downloads none of it; offline it says so, online it opens with the language carried across', async () => {
  const { page, problems, context } = await openPage(env);
  const requested = recordRequests(page);
  await page.goto(`${env.origin}/services/id-card-replace`);
  await waitForApp(page);
  await waitForServiceWorker(page);
  await page.getByRole('button', { name: 'English' }).click();
  assert.ok(!requested.some((path) => path.startsWith('/forms-bundle')), 'reading a checklist downloads no booking code');

  // Offline before booking (or a form) was ever opened: the booking page says so in its words.
  const failed = recordFailedLoads(page);
  await context.setOffline(true);
  await page.getByRole('link', { name: 'Book an appointment for this procedure' }).click();
  const notice = page.getByRole('alert').filter({ hasText: 'Booking could not be opened' });
  await notice.waitFor();
  assert.equal(new URL(page.url()).pathname, '/book', 'the address stays the booking page');
  await page.getByRole('heading', { level: 1, name: 'Book an appointment' }).waitFor();
  await assertAccessible(page, 'booking unavailable offline');

  requested.length = 0;
  await context.setOffline(false);
  await page.getByRole('button', { name: 'Try again' }).click();
  await waitForApp(page);
  await page.getByRole('heading', { level: 1, name: 'Book an appointment' }).waitFor();
  assert.equal(await notice.count(), 0, 'the booking page, not the notice');
  assert.ok(requested.includes('/forms-bundle_bg.wasm'), 'the booking page came with the forms bundle');
  assert.ok(!requested.some((path) => /^\/civic-kiosk-.*_bg\.wasm$/.test(path)), requested.join(' '));
  assert.equal(await page.locator('html').getAttribute('lang'), 'en', 'still in English');
  assert.equal(new URL(page.url()).searchParams.get('procedure'), 'id-card-replace');
  await assertAccessible(page, 'booking, started in the forms bundle');
  assertOnlyFormsBundleFailed(failed, problems);
  await context.close();
});
