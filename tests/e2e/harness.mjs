// Shared set-up for the end-to-end tests: run the station server (the real one, with a fresh
// SQLite book) on a free loopback port, drive Debian's Chromium with playwright-core, collect
// every console error, and audit pages with axe-core.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startStation } from '../../scripts/station.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const dist = fileURLToPath(new URL('../../dist', import.meta.url));

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts the station server and the browser; call `stop()` when done. `browserArgs` are added to
 * Chromium's command line (a fake camera, say). `station(data)` returns the station.json to
 * serve instead of the built one (a copy of the data, as `env.dataDir`). `copyDist` serves a copy of dist/ (as `env.dist`) that a test
 * may change, as a deployment would. `clockStart` and `staff` go to the server (scripts/station.mjs).
 */
export async function start({ browserArgs = [], station, copyDist = false, clockStart, staff } = {}) {
  const scratch = mkdtempSync(join(tmpdir(), 'civic-kiosk-e2e-'));
  let served = dist;
  if (copyDist) {
    served = join(scratch, 'dist');
    cpSync(dist, served, { recursive: true });
  }
  let dataDir = join(served, 'data');
  if (station) {
    dataDir = join(scratch, 'data');
    cpSync(join(served, 'data'), dataDir, { recursive: true });
    const file = join(dataDir, 'station.json');
    writeFileSync(file, JSON.stringify(station(JSON.parse(readFileSync(file, 'utf8')))));
  }
  const server = await startStation({ dist: served, dataDir, clockStart, staff });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, ...browserArgs],
  });
  return {
    origin: server.origin,
    dist: served,
    dataDir,
    browser,
    async stop() {
      await browser.close();
      await server.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/**
 * Opens a fresh context (no shared storage) and page. Every console error, uncaught exception
 * and failed same-origin request is recorded in `problems`; tests assert it stays empty.
 */
export async function openPage(env, options = {}) {
  const context = await env.browser.newContext({ viewport: { width: 1024, height: 800 }, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    // The station's API refusing a request (4xx: a full slot, a wrong phone) is an answer the
    // page shows; Chromium still logs it as a failed load.
    const refusal = /status of 4\d\d/.test(message.text()) && message.location().url.includes('/api/v1/');
    if (message.type() === 'error' && !refusal) problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { context, page, problems };
}

/**
 * The instant the booking tests live at: Monday 30/11/2026 06:45 at the office. The station
 * server's clock starts there too (`start({ clockStart: OFFICE_NOW })`), so both agree on today.
 */
export const OFFICE_NOW = '2026-11-30T06:45:00+07:00';

/** `openPage` with the browser's clock fixed at `instant` (an ISO string with the office's offset). */
export async function openPageAt(env, instant, options = {}) {
  const opened = await openPage(env, options);
  await opened.page.clock.setFixedTime(new Date(instant));
  return opened;
}

/** `openPage` with the browser's clock pinned at `OFFICE_NOW`, then opens `path`. */
export async function openAtOfficeNow(env, path, options = {}) {
  const opened = await openPageAt(env, OFFICE_NOW, options);
  await opened.page.goto(env.origin + path);
  await waitForApp(opened.page);
  return opened;
}

/** Waits until the app has mounted and, on a page drawn ahead, taken that page's place (the
 * static fallback and the drawn page are gone, the app's own shell is shown). */
export async function waitForApp(page) {
  await page.locator('#app:not([hidden]) header.site-header').waitFor();
  assert.equal(await page.locator('#static-fallback').count(), 0, 'static fallback still shown');
  assert.equal(await page.locator('#prerendered').count(), 0, 'the page drawn ahead still shown');
}

/** Waits until the service worker has installed (precached the build) and controls the page. */
export async function waitForServiceWorker(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((done) => navigator.serviceWorker.addEventListener('controllerchange', done, { once: true }));
    }
  });
}

/**
 * Waits until the service worker has kept the on-demand files (its ON_DEMAND list: forms, news,
 * the plan, the PDF module and fonts, the camera's reader) whose paths match `pattern` (all by
 * default) in the background, so the app works offline from here on. Checks the cache until it
 * holds them all (page.waitForFunction would not await an async check).
 */
export async function waitForOfflineCopy(page, pattern = '') {
  await page.evaluate(async (pattern) => {
    const all = JSON.parse((await (await fetch('/sw.js')).text()).match(/ON_DEMAND=(\[[^\]]*\])/)[1]);
    const onDemand = all.filter((path) => new RegExp(pattern).test(path));
    for (;;) {
      const keys = await caches.keys();
      const cache = await caches.open(keys.find((k) => k.startsWith('civic-kiosk-')));
      const kept = await Promise.all(onDemand.map((path) => cache.match(path)));
      if (kept.every(Boolean)) return;
      await new Promise((recheck) => setTimeout(recheck, 50));
    }
  }, pattern);
}

/** The on-demand files the service worker has kept so far. */
export async function keptOnDemand(page) {
  return page.evaluate(async () => {
    const onDemand = JSON.parse((await (await fetch('/sw.js')).text()).match(/ON_DEMAND=(\[[^\]]*\])/)[1]);
    const keys = await caches.keys();
    const cache = await caches.open(keys.find((k) => k.startsWith('civic-kiosk-')));
    const kept = await Promise.all(onDemand.map(async (path) => ((await cache.match(path)) ? path : null)));
    return kept.filter(Boolean);
  });
}

/**
 * Runs axe-core (WCAG 2.0–2.2 A and AA rules) on the page and fails listing each violation.
 * The script is evaluated through the DevTools protocol, so the page's CSP stays in force.
 */
export async function assertAccessible(page, label) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  assert.deepEqual(violations, [], `axe-core violations on ${label}`);
}

/** Presses the form's "Continue" (or, when editing from the review page, "Save and go back"). */
export async function next(page) {
  await page.getByRole('button', { name: /^(Tiếp tục|Continue|Lưu và quay về trang xem lại)$/ }).click();
}

/** Fills DC02 with short, valid answers (from its first step) and reaches the review page. */
export async function fillDc02(page, { name, birth, id, address }) {
  await next(page);
  await page.getByLabel('Họ, chữ đệm và tên').fill(name);
  await page.getByLabel('Ngày, tháng, năm sinh').fill(birth);
  await page.getByLabel('Nam', { exact: true }).check();
  await page.getByLabel('Số định danh cá nhân').fill(id);
  await page.getByLabel('Nơi cư trú').fill(address);
  await next(page);
  await page.getByLabel('Không', { exact: true }).check();
  await next(page);
  await page.getByLabel('Cấp, cấp đổi, cấp lại thẻ căn cước').check();
  await next(page);
  await page.waitForURL(/step=review(&|$)/);
}

/** Signs in on the staff page (the station bundle) and waits until it is signed in. */
export async function signIn(page, { username, password }) {
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
}

/** /staff opened at the office's time and signed in with `account`. */
export async function openStaffPage(env, account) {
  const opened = await openAtOfficeNow(env, '/staff');
  await signIn(opened.page, account);
  return opened;
}
