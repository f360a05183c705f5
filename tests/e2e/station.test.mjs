// The station's own devices, with citizens' phones, against one real station server: a phone
// books, the check-in terminal marks the citizen arrived, the counter's list follows; a phone
// cancels and the list drops the booking; a booking is found from another device; an app served
// as plain files (no station service) says booking is not available here.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { OFFICE_NOW, assertAccessible, openAtOfficeNow, openPage, start, waitForApp } from './harness.mjs';

const OFFICER = { username: 'quay-1', password: 'mat-khau-quay-1', role: 'officer' };
const ADMIN = { username: 'quan-tri', password: 'mat-khau-quan-tri', role: 'admin' };

let env;
before(async () => {
  env = await start({ clockStart: OFFICE_NOW, staff: [OFFICER, ADMIN] });
});
after(async () => {
  await env?.stop();
});

const openAt = (path, options) => openAtOfficeNow(env, path, options);

async function book(page, { procedure, name, phone, time, keep = true }) {
  await page.goto(`${env.origin}/book?procedure=${procedure}`);
  await waitForApp(page);
  await page.locator('button.choice', { hasText: 'Thứ Hai 30/11/2026' }).click();
  await page.locator('button.choice', { hasText: time }).click();
  await page.getByLabel('Họ và tên').fill(name);
  await page.getByLabel('Số điện thoại di động').fill(phone);
  if (keep) await page.getByLabel('Lưu lịch hẹn trên thiết bị này để xem lại sau').check();
  await page.getByLabel(/Tôi đồng ý để công an xã, phường lưu/).check();
  await page.getByRole('button', { name: 'Đặt lịch hẹn', exact: true }).click();
  await page.waitForURL(/\/bookings\/[0-9A-Y]{7}$/);
  return page.url().split('/').pop();
}

test('phone books, the terminal checks in, the counter sees it; a cancelled booking leaves the list', async () => {
  const phone = await openAt('/');
  const first = await book(phone.page, {
    procedure: 'id-card-replace',
    name: 'Phạm Thị Thu Hà',
    phone: '0903 111 222',
    time: '09:00–09:30',
  });
  await book(phone.page, {
    procedure: 'residence-temporary',
    name: 'Phạm Thị Thu Hà',
    phone: '0903 111 222',
    time: '10:00–10:30',
  });

  const desk = await openAt('/staff');
  await assertAccessible(desk.page, 'staff sign-in');
  // A wrong password is refused in plain words, and what was typed stays.
  await desk.page.getByLabel('Tên đăng nhập').fill(OFFICER.username);
  await desk.page.getByLabel('Mật khẩu').fill('not-the-password');
  await desk.page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await desk.page.locator('#error-summary').waitFor();
  assert.equal(await desk.page.getByLabel('Tên đăng nhập').inputValue(), OFFICER.username);
  await desk.page.getByLabel('Mật khẩu').fill(OFFICER.password);
  await desk.page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await desk.page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
  const rows = desk.page.locator('.staff-table tbody tr', { hasText: 'Phạm Thị Thu Hà' });
  await rows.nth(1).waitFor();
  assert.equal(await rows.count(), 2);
  const idCardRow = desk.page.locator('.staff-table tbody tr', { hasText: '09:00' });
  assert.doesNotMatch(await idCardRow.innerText(), /Đã đến/);

  // The terminal in the waiting room is not one of the station's yet: it asks to be enrolled.
  const terminal = await openAt('/?kiosk=1');
  await terminal.page.getByRole('link', { name: 'Tôi đã có lịch hẹn' }).click();
  // The station bundle starts there, still in kiosk mode (the station's timings).
  await terminal.page.waitForURL(/\/check-in\?kiosk=/);
  await terminal.page.getByRole('heading', { name: 'Máy này chưa được đăng ký làm máy tiếp dân' }).waitFor();
  await assertAccessible(terminal.page, 'terminal enrolment');
  // An admin adds it on the desk and is shown its one-time code.
  const admin = await openAt('/staff');
  await admin.page.getByLabel('Tên đăng nhập').fill(ADMIN.username);
  await admin.page.getByLabel('Mật khẩu').fill(ADMIN.password);
  await admin.page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await admin.page.getByLabel('Tên máy').fill('Máy tiếp dân tầng 1');
  await admin.page.getByRole('button', { name: 'Thêm máy' }).click();
  const shown = admin.page.locator('.enrolment-code');
  await shown.waitFor();
  const enrolmentCode = (await shown.innerText()).match(/Mã đăng ký: ([0-9A-Z]{3}-[0-9A-Z]{4})/)?.[1];
  assert.ok(enrolmentCode, await shown.innerText());
  await admin.page.getByText('Máy tiếp dân tầng 1 (chờ nhập mã, chưa dùng)').waitFor();
  await assertAccessible(admin.page, 'staff desk, admin');
  // A mistyped code is refused in plain words; the right one enrols the terminal.
  await terminal.page.getByLabel('Mã đăng ký máy').fill('K7M-4QX9');
  await terminal.page.getByRole('button', { name: 'Đăng ký máy này' }).click();
  await terminal.page.locator('#error-summary').waitFor();
  await terminal.page.getByLabel('Mã đăng ký máy').fill(enrolmentCode);
  await terminal.page.getByRole('button', { name: 'Đăng ký máy này' }).click();
  await terminal.page.getByRole('status').filter({ hasText: 'Đã đăng ký máy này' }).waitFor();

  // The citizen types the slip's code.
  await terminal.page.getByLabel('Mã lịch hẹn').waitFor();
  await assertAccessible(terminal.page, 'check-in');
  await terminal.page.getByLabel('Mã lịch hẹn').fill(`${first.slice(0, 3)}-${first.slice(3)}`);
  await terminal.page.getByRole('button', { name: 'Báo đã đến' }).click();
  const done = terminal.page.getByRole('status').filter({ hasText: 'Bạn đã báo đến' });
  await done.waitFor();
  assert.match(await done.innerText(), /09:00/);
  assert.doesNotMatch(await terminal.page.locator('main').innerText(), /Phạm Thị Thu Hà/, 'no name on a shared screen');
  // Still a kiosk: the finish button is there.
  assert.equal(await terminal.page.getByRole('button', { name: /Xong/ }).count(), 1);

  // The counter's list follows by itself.
  await idCardRow.getByText('Đã đến').waitFor();

  // The citizen cancels the other booking on the phone; the list drops it.
  await phone.page.goto(env.origin + '/bookings');
  await waitForApp(phone.page);
  const card = phone.page.locator('.booking-card', { hasText: 'Đăng ký tạm trú' });
  await card.getByRole('button', { name: 'Hủy lịch hẹn' }).click();
  await phone.page.getByRole('button', { name: 'Có, hủy lịch hẹn' }).click();
  await phone.page.getByText('Đã hủy lịch hẹn.').waitFor();
  // The list asks again every few seconds: the cancelled booking goes, the arrived one stays.
  await desk.page.waitForFunction(
    () => [...document.querySelectorAll('.staff-table tbody tr')].filter((r) => r.textContent.includes('Phạm Thị Thu Hà')).length === 1,
  );
  assert.match(await rows.first().innerText(), /09:00[\s\S]*Đã đến/);

  // The admin's list shows the terminal enrolled and used.
  await admin.page.reload();
  await admin.page.getByText(/Máy tiếp dân tầng 1 \(đã đăng ký, dùng lần cuối \d\d\/\d\d\/\d{4} \d\d:\d\d\)/).waitFor();

  for (const opened of [phone, desk, terminal, admin]) {
    assert.deepEqual(opened.problems, []);
    await opened.context.close();
  }
});

test('a booking made on one device is found on another by its code and phone; a wrong phone finds nothing', async () => {
  const first = await openAt('/');
  const code = await book(first.page, {
    procedure: 'id-card-exchange',
    name: 'Võ Minh Khoa',
    phone: '0977 888 999',
    time: '14:00–14:30',
    keep: false,
  });
  await first.context.close();

  const other = await openAt('/bookings');
  await other.page.getByLabel('Mã lịch hẹn').fill(code);
  await other.page.getByLabel('Số điện thoại đã dùng khi đặt').fill('0977 888 990');
  await other.page.getByRole('button', { name: 'Tìm lịch hẹn' }).click();
  await other.page.locator('#error-summary', { hasText: 'Số điện thoại không khớp' }).waitFor();
  assert.equal(await other.page.locator('.booking-card').count(), 0);
  // The message follows the language switch; what was typed stays.
  await other.page.getByRole('button', { name: 'English' }).click();
  await other.page.locator('#error-summary', { hasText: 'The phone number does not match this booking.' }).waitFor();
  assert.equal(await other.page.getByLabel('Appointment code').inputValue(), code);
  await other.page.getByRole('button', { name: 'Tiếng Việt' }).click();
  await other.page.getByLabel('Số điện thoại đã dùng khi đặt').fill('0977 888 999');
  await other.page.getByRole('button', { name: 'Tìm lịch hẹn' }).click();
  await other.page.waitForURL(`**/bookings/${code}`);
  assert.match(await other.page.locator('.facts').innerText(), /30\/11\/2026, 14:00–14:30/);
  assert.match(await other.page.locator('.facts').innerText(), /Võ Minh Khoa/);
  await assertAccessible(other.page, 'found booking');
  assert.deepEqual(other.problems, []);
  await other.context.close();
});

/** The built app as plain files, as a host without the station server would serve it. */
function startStaticHost() {
  const dist = fileURLToPath(new URL('../../dist', import.meta.url));
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css', '.svg': 'image/svg+xml' };
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(dist, path);
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(dist, 'index.html');
    response.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('served as plain files, with no station service, the app says booking is not available here', async () => {
  const host = await startStaticHost();
  const { page, problems, context } = await openPage(env);
  await page.goto(`http://127.0.0.1:${host.address().port}/book?procedure=id-card-replace`);
  await waitForApp(page);
  const notice = page.getByRole('heading', { name: 'Ở đây chưa đặt lịch trực tuyến được' });
  await notice.waitFor();
  assert.match(await page.locator('main').innerText(), /hãy gọi số/);
  assert.equal(await page.getByRole('button', { name: 'Đặt lịch hẹn', exact: true }).count(), 0);
  await assertAccessible(page, 'booking unavailable');
  assert.deepEqual(problems, []);
  await context.close();
  host.close();
});
