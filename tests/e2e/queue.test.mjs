// The one queue through real browsers against one real station server: two terminals take
// numbers, an officer calls, the waiting-room screen shows the call and announces it, the
// ticket's phone page says "your turn"; a booked citizen checked in is called at the slot's time
// before a walk-in who came earlier; the kiosk's idle wipe leaves no ticket on the screen; a
// terminal that cannot reach the queue says so, and a screen that is not live says so.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertAccessible, OFFICE_NOW, openAtOfficeNow, openPage, openPageAt, signIn, start, waitForApp } from './harness.mjs';
import { startStation } from '../../scripts/station.mjs';

const OFFICER = { username: 'quay-1', password: 'mat-khau-quay-1', role: 'officer' };
const OFFICER_2 = { username: 'quay-2', password: 'mat-khau-quay-2', role: 'officer' };
const ADMIN = { username: 'quan-tri', password: 'mat-khau-quan-tri', role: 'admin' };
// A screen's browser plays sound without a tap (kiosk Chromium is started so, docs/station-admin.md).
const SOUND = ['--autoplay-policy=no-user-gesture-required'];

let env;
before(async () => {
  env = await start({ clockStart: OFFICE_NOW, staff: [OFFICER, OFFICER_2, ADMIN], browserArgs: SOUND });
});
after(async () => {
  await env?.stop();
});

/** Signs in over the API as a program would: the cookie and the anti-forgery token. */
async function staffSession(origin, { username, password }) {
  const reply = await fetch(`${origin}/api/v1/staff/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ station: 'e2e', username, password }),
  });
  assert.equal(reply.status, 200, await reply.clone().text());
  const cookie = reply.headers.get('set-cookie').split(';')[0];
  return { cookie, csrf: (await reply.json()).csrf_token };
}

/** A browser enrolled as one of the station's terminals (an admin made its code), at `path`. */
async function enrolledTerminal(origin, path, { instant = OFFICE_NOW } = {}) {
  const admin = await staffSession(origin, ADMIN);
  const added = await fetch(`${origin}/api/v1/staff/terminals`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: admin.cookie, 'X-CSRF-Token': admin.csrf },
    body: JSON.stringify({ name: `Máy ${Math.random().toString(36).slice(2, 8)}` }),
  });
  assert.equal(added.status, 201, await added.clone().text());
  const code = (await added.json()).enrolment_code;
  const opened = await openPageAt({ ...env, origin }, instant);
  await opened.page.goto(`${origin}/?kiosk=1`);
  await waitForApp(opened.page);
  const status = await opened.page.evaluate(async (code) => {
    const reply = await fetch('/api/v1/stations/e2e/terminal/enrol', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    return reply.status;
  }, code);
  assert.equal(status, 200);
  await opened.page.goto(`${origin}${path}`);
  await waitForApp(opened.page);
  return opened;
}

/** Takes a number for `procedure` on an enrolled terminal's "Take a number" page; the label
 * shown and the token its QR code carries (read from the station's answer). */
async function takeNumber(page, procedure) {
  const answered = page.waitForResponse((r) => r.url().endsWith('/queue/tickets') && r.request().method() === 'POST');
  await page.getByRole('button', { name: `Lấy số: ${procedure}` }).click();
  const taken = await (await answered).json();
  const label = page.getByTestId('ticket-label');
  await label.waitFor();
  assert.equal(await label.innerText(), taken.ticket.label);
  return taken;
}

/** Records what a page speaks and vibrates, and gives it a Vietnamese voice. */
function listeningScript() {
  window.__spoken = [];
  window.__vibrated = 0;
  const voice = Object.create(SpeechSynthesisVoice.prototype);
  Object.defineProperty(voice, 'lang', { value: 'vi-VN' });
  Object.defineProperty(voice, 'name', { value: 'Tiếng Việt (kiểm thử)' });
  speechSynthesis.getVoices = () => [voice];
  speechSynthesis.speak = (utterance) => window.__spoken.push(utterance.text);
  Object.defineProperty(SpeechSynthesisUtterance.prototype, 'voice', { set() {}, get() { return voice; } });
  navigator.vibrate = () => { window.__vibrated += 1; return true; };
}

test('two terminals take numbers, an officer calls, the screen shows and says it, the phone hears its turn', async () => {
  const screen = await openPageAt(env, OFFICE_NOW);
  await screen.page.addInitScript(listeningScript);
  // The screen has no site header (a TV shows the calls only): its board says it is ready.
  await screen.page.goto(`${env.origin}/display`);
  await screen.page.locator('.queue-board').waitFor();
  await assertAccessible(screen.page, 'waiting-room screen');

  // The first terminal: from the kiosk's home page, "Take a number".
  const first = await enrolledTerminal(env.origin, '/?kiosk=1');
  await first.page.getByRole('link', { name: 'Lấy số thứ tự' }).click();
  await first.page.waitForURL(/\/take-number\?kiosk=/);
  await first.page.getByRole('heading', { name: 'Quầy 1 – Quầy căn cước' }).waitFor();
  await assertAccessible(first.page, 'take a number');
  // Who is served first, with the rule that says so, read with the priority box.
  const priorityBox = first.page.getByRole('checkbox', { name: 'Tôi thuộc diện được ưu tiên' });
  assert.equal(await priorityBox.getAttribute('aria-describedby'), 'queue-priority-basis queue-priority-hint');
  assert.match(await first.page.locator('#queue-priority-basis').innerText(), /phụ nữ mang thai \(Thông tư 27\/2017\/TT-BCA, Điều 6, khoản 2\)/);
  const a1 = await takeNumber(first.page, 'Cấp lại thẻ căn cước (mất hoặc hỏng)');
  assert.equal(a1.ticket.label, 'A001');
  assert.equal(await first.page.locator('.queue-ticket .qr svg').count(), 1, 'the QR code for the phone');
  assert.doesNotMatch(await first.page.locator('main').innerText(), /Phạm|09\d{8}/, 'nothing personal');
  await assertAccessible(first.page, 'ticket on the terminal');

  const second = await enrolledTerminal(env.origin, '/take-number?kiosk=1');
  const a2 = await takeNumber(second.page, 'Cấp đổi thẻ căn cước');
  assert.equal(a2.ticket.label, 'A002');

  // The second citizen follows the ticket on their phone (the QR code's address).
  const phone = await openPageAt(env, OFFICE_NOW, { viewport: { width: 390, height: 800 } });
  await phone.page.addInitScript(listeningScript);
  const fetched = [];
  phone.page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
  await phone.page.goto(`${env.origin}/q/${a2.token}`);
  await waitForApp(phone.page);
  await phone.page.getByTestId('ticket-ahead').filter({ hasText: 'Trước bạn còn 1 người' }).waitFor();
  // The ticket's own bundle, started by the loader: neither the station bundle (the staff's
  // pages) nor the citizens' bundle is downloaded on the way.
  assert.ok(fetched.includes('/ticket-bundle_bg.wasm'), fetched.join(' '));
  assert.ok(!fetched.some((path) => /^\/(station-desk|civic-kiosk-[^/]*_bg\.wasm)/.test(path)), fetched.join(' '));
  await assertAccessible(phone.page, 'ticket on the phone');

  // The officer calls next at counter 1.
  const desk = await openAtOfficeNow(env, '/staff');
  await signIn(desk.page, OFFICER);
  await desk.page.getByRole('heading', { name: 'Hàng chờ tại quầy' }).waitFor();
  await desk.page.getByRole('heading', { name: 'Đang chờ (2)' }).waitFor();
  await assertAccessible(desk.page, 'counter desk');
  await desk.page.getByRole('button', { name: 'Gọi số tiếp theo' }).click();
  await desk.page.getByTestId('counter-current').filter({ hasText: 'Đang phục vụ: A001' }).waitFor();
  // The screen shows the call within a second, and says it.
  await screen.page.getByTestId('display-now').filter({ hasText: 'A001' }).waitFor({ timeout: 1_000 });
  assert.match(await screen.page.getByTestId('display-now').innerText(), /Quầy 1/);
  await screen.page.waitForFunction(() => window.__spoken.includes('Mời số A001 đến quầy 1'));
  assert.equal(await screen.page.getByRole('button', { name: 'Chạm để bật âm thanh' }).count(), 0, 'sound plays');
  await phone.page.getByTestId('ticket-ahead').filter({ hasText: 'Trước bạn còn 0 người' }).waitFor();

  // Done with A001; next is A002: the phone says so and vibrates.
  await desk.page.getByRole('button', { name: 'Xong', exact: true }).click();
  await desk.page.getByRole('button', { name: 'Gọi số tiếp theo' }).click();
  await desk.page.getByTestId('counter-current').filter({ hasText: 'A002' }).waitFor();
  await phone.page.getByTestId('your-turn').filter({ hasText: 'Đến lượt bạn: mời đến quầy 1' }).waitFor();
  assert.ok(await phone.page.evaluate(() => window.__vibrated) >= 1);
  await screen.page.waitForFunction(() => window.__spoken.includes('Mời số A002 đến quầy 1'));

  // The day's figures on the desk: two tickets at counter 1, one served; a CSV to download.
  await desk.page.reload();
  await waitForApp(desk.page);
  await desk.page.getByRole('heading', { name: 'Số liệu phục vụ' }).waitFor();
  const total = desk.page.locator('tr.figures-total', { hasText: 'Quầy 1 – Quầy căn cước' });
  await total.waitFor();
  assert.match(await total.innerText(), /^Quầy 1 – Quầy căn cước\s+2\s+0 \/ 2\s+1\s+0 \/ 0/);
  assert.equal(await desk.page.locator('svg.figures-chart rect').count(), 1, 'one hour with arrivals');
  const download = desk.page.waitForEvent('download');
  await desk.page.getByRole('link', { name: 'Tải về (CSV)' }).click();
  const csv = readFileSync(await (await download).path(), 'utf8');
  assert.match(csv, /^counter,procedure,tickets,/);
  assert.match(csv, /\r\nid-card,\*,2,0,2,1,0,0,/);
  await assertAccessible(desk.page, 'counter desk with figures');
  for (const opened of [screen, first, second, phone, desk]) {
    assert.deepEqual(opened.problems, []);
    await opened.context.close();
  }
});

test('a screen without a Vietnamese voice flashes and says so; one that is not live says so', async () => {
  const screen = await openPageAt(env, OFFICE_NOW);
  await screen.page.addInitScript(() => { speechSynthesis.getVoices = () => []; });
  // The screen has no site header (a TV shows the calls only): its board says it is ready.
  await screen.page.goto(`${env.origin}/display`);
  await screen.page.locator('.queue-board').waitFor();
  const terminal = await enrolledTerminal(env.origin, '/take-number?kiosk=1');
  await takeNumber(terminal.page, 'Đăng ký tạm trú');
  // Another officer: the first still has a citizen at the counter.
  const officer = await staffSession(env.origin, OFFICER_2);
  const called = await fetch(`${env.origin}/api/v1/staff/queue/call-next`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: officer.cookie, 'X-CSRF-Token': officer.csrf },
    body: JSON.stringify({ counter: 'residence' }),
  });
  assert.equal(called.status, 200, await called.clone().text());
  await screen.page.locator('.queue-flash', { hasText: 'B001' }).waitFor();
  await screen.page.getByText('Máy này không có giọng đọc tiếng Việt: số được gọi sẽ nhấp nháy.').waitFor();
  await assertAccessible(screen.page, 'screen without a voice');
  // The stream cut: the screen says it is not live rather than showing old numbers as new.
  await screen.page.route('**/queue/**', (route) => route.abort());
  await screen.page.evaluate(() => window.dispatchEvent(new Event('offline')));
  await screen.page.reload();
  await screen.page.getByText(/Mất kết nối với hệ thống/).first().waitFor();
  for (const opened of [screen, terminal]) await opened.context.close();
});

test('a terminal that cannot reach the queue tells the citizen to ask at the desk', async () => {
  const terminal = await enrolledTerminal(env.origin, '/take-number?kiosk=1');
  await terminal.page.route('**/queue/tickets', (route) => route.abort());
  await terminal.page.getByRole('button', { name: 'Lấy số: Đăng ký thường trú' }).click();
  await terminal.page.getByRole('alert').filter({ hasText: 'Mời bạn hỏi cán bộ tại bàn tiếp dân' }).waitFor();
  assert.equal(await terminal.page.getByTestId('ticket-label').count(), 0);
  await terminal.context.close();
});

test("the kiosk's idle wipe leaves no ticket on the screen", async () => {
  const terminal = await enrolledTerminal(env.origin, '/?kiosk=1&idle=60&warn=20');
  await terminal.page.clock.install({ time: new Date(OFFICE_NOW) });
  await terminal.page.getByRole('link', { name: 'Lấy số thứ tự' }).click();
  await terminal.page.waitForURL(/\/take-number\?/);
  const taken = await takeNumber(terminal.page, 'Gia hạn tạm trú');
  await terminal.page.clock.runFor(81_000);
  await terminal.page.waitForURL(/\/\?kiosk=1&idle=60&warn=20$/);
  await waitForApp(terminal.page);
  assert.doesNotMatch(await terminal.page.locator('body').innerText(), new RegExp(taken.ticket.label));
  await terminal.context.close();
});

/** The consent notice's version the station expects with a booking (domain::station_api). */
function consentVersion() {
  const source = readFileSync(new URL('../../crates/domain/src/station_api.rs', import.meta.url), 'utf8');
  return source.match(/CONSENT_VERSION: &str = "([^"]+)"/)[1];
}

test('a booked citizen checked in on time is called at the slot before a walk-in who came earlier', async () => {
  // The booking is made at 06:45 for 09:00; the station then runs on at 09:00 over the same book.
  const work = mkdtempSync(join(tmpdir(), 'civic-kiosk-queue-'));
  const book = join(work, 'book.sqlite3');
  const early = await startStation({ clockStart: OFFICE_NOW, env: { DATABASE_URL: book } });
  const booked = await fetch(`${early.origin}/api/v1/stations/e2e/bookings`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      procedure: 'id-card-exchange',
      slot: { counter: 'id-card', date: '2026-11-30', start: 9 * 60 },
      name: 'Đỗ Thị Lan',
      phone: '0912 345 678',
      consent_version: consentVersion(),
    }),
  });
  assert.equal(booked.status, 201, await booked.clone().text());
  const { booking } = await booked.json();
  await early.stop();

  const nine = '2026-11-30T09:00:00+07:00';
  const late = await startStation({ clockStart: nine, env: { DATABASE_URL: book }, staff: [OFFICER, ADMIN] });
  try {
    const terminal = await enrolledTerminal(late.origin, '/take-number?kiosk=1', { instant: nine });
    const walkIn = await takeNumber(terminal.page, 'Cấp lại thẻ căn cước (mất hoặc hỏng)');
    assert.equal(walkIn.ticket.label, 'A001');
    await terminal.page.goto(`${late.origin}/check-in?kiosk=1`);
    await waitForApp(terminal.page);
    await terminal.page.getByLabel('Mã lịch hẹn').fill(booking.code);
    await terminal.page.getByRole('button', { name: 'Báo đã đến' }).click();
    await terminal.page.getByTestId('ticket-label').filter({ hasText: 'A002' }).waitFor();
    assert.match(await terminal.page.locator('.queue-ticket').innerText(), /Lịch hẹn 09:00/);
    assert.doesNotMatch(await terminal.page.locator('main').innerText(), /Đỗ Thị Lan/);
    await assertAccessible(terminal.page, 'check-in with its ticket');

    const desk = await openPageAt({ ...env, origin: late.origin }, nine);
    await desk.page.goto(`${late.origin}/staff`);
    await waitForApp(desk.page);
    await signIn(desk.page, OFFICER);
    await desk.page.getByRole('button', { name: 'Gọi số tiếp theo' }).click();
    await desk.page.getByTestId('counter-current').filter({ hasText: 'Đang phục vụ: A002' }).waitFor();
    assert.deepEqual(desk.problems, []);
    for (const opened of [terminal, desk]) await opened.context.close();
  } finally {
    await late.stop();
    rmSync(work, { recursive: true, force: true });
  }
});

test('a phone whose browser has no live stream asks again every few seconds and still hears its turn', async () => {
  const terminal = await enrolledTerminal(env.origin, '/take-number?kiosk=1');
  const mine = await takeNumber(terminal.page, 'Xác nhận thông tin về cư trú (CT07)');
  const phone = await openPageAt(env, OFFICE_NOW, { viewport: { width: 390, height: 800 } });
  await phone.page.addInitScript(() => { delete window.EventSource; });
  await phone.page.goto(`${env.origin}/q/${mine.token}`);
  await waitForApp(phone.page);
  await phone.page.getByTestId('ticket-label').filter({ hasText: mine.ticket.label }).waitFor();
  const officer = await staffSession(env.origin, ADMIN);
  let called;
  // Call until this ticket comes up (earlier tests left others waiting at this counter).
  for (let i = 0; i < 10 && called !== mine.ticket.label; i += 1) {
    const reply = await fetch(`${env.origin}/api/v1/staff/queue/call-next`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: officer.cookie, 'X-CSRF-Token': officer.csrf },
      body: JSON.stringify({ counter: 'residence' }),
    });
    const ticket = await reply.json();
    assert.equal(reply.status, 200, JSON.stringify(ticket));
    called = ticket.label;
    if (called !== mine.ticket.label) {
      await fetch(`${env.origin}/api/v1/staff/queue/tickets/${ticket.id}/done`, {
        method: 'POST',
        headers: { Cookie: officer.cookie, 'X-CSRF-Token': officer.csrf },
      });
    }
  }
  await phone.page.getByTestId('your-turn').waitFor();
  assert.deepEqual(phone.problems, []);
  for (const opened of [terminal, phone]) await opened.context.close();
});
