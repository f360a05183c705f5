// Appointments through the station's service: book, see, move, cancel, staff list; storage
// corruption; device time zone. The server's clock starts at the browser's pinned instant.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import { after, before, test } from 'node:test';
import { assertAccessible, OFFICE_NOW, openAtOfficeNow, openPage, signIn, start, waitForApp } from './harness.mjs';

// Monday 30/11/2026 06:45 at the office; the device is set to Los Angeles, where it is still
// Sunday afternoon. Everything shown must follow the office's calendar.
const FAR_ZONE = { timezoneId: 'America/Los_Angeles' };
const OFFICER = { username: 'can-bo-1', password: 'mat-khau-can-bo-1', role: 'officer' };

let env;
before(async () => {
  env = await start({ clockStart: OFFICE_NOW, staff: [OFFICER] });
});
after(async () => {
  await env?.stop();
});

const openAt = (path, options) => openAtOfficeNow(env, path, options);

const dayButton = (page, label) => page.locator('button.choice', { hasText: label });

async function bookFirstFree(
  page,
  {
    name = 'Nguyễn Thị Hồng Nhung',
    phone = '0912 345 678',
    day = 'Thứ Ba 01/12/2026',
    time = '09:00–09:30',
    keep = false,
  } = {},
) {
  await dayButton(page, day).click();
  await page.locator('button.choice', { hasText: time }).click();
  await page.getByLabel('Họ và tên').fill(name);
  await page.getByLabel('Số điện thoại di động').fill(phone);
  if (keep) await page.getByLabel('Lưu lịch hẹn trên thiết bị này để xem lại sau').check();
  await page.getByLabel(/Tôi đồng ý để công an xã, phường lưu/).check();
  await page.getByRole('button', { name: 'Đặt lịch hẹn', exact: true }).click();
  await page.waitForURL(/\/bookings\/[0-9A-Y]{7}$/);
  return page.url().split('/').pop();
}

test('book from a procedure, with mistakes fixed, in the office time zone; slip with QR and calendar file', async () => {
  const { page, problems, context } = await openAt('/services/id-card-replace', FAR_ZONE);
  await page.getByRole('link', { name: 'Đặt lịch hẹn cho thủ tục này' }).click();
  await page.waitForURL(/\/book\?procedure=id-card-replace$/);
  assert.ok(await page.getByLabel('Cấp lại thẻ căn cước (mất hoặc hỏng)').isChecked());
  // The office's today comes first, whatever the device's zone says.
  assert.match(await page.locator('.choice-grid li').first().innerText(), /Thứ Hai 30\/11\/2026/);
  assert.match(await page.locator('.choice-unavailable', { hasText: '06/12/2026' }).innerText(), /không tiếp dân/);
  await assertAccessible(page, 'book: days');

  await dayButton(page, 'Thứ Hai 30/11/2026').click();
  const firstTime = await page.locator('#book-time-title ~ ul .choice-main').first().innerText();
  assert.equal(firstTime, '09:00–09:30', 'nothing inside the two hours of notice');
  await page.locator('button.choice', { hasText: '09:00–09:30' }).click();
  assert.match(await page.locator('.selected-slot').innerText(), /30\/11\/2026 09:00/);

  // Both mistakes at once: a summary that takes focus, and messages by the fields.
  await page.getByLabel('Số điện thoại di động').fill('0262 3850 000');
  await page.getByRole('button', { name: 'Đặt lịch hẹn', exact: true }).click();
  const summary = page.locator('#error-summary');
  await summary.waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'error-summary');
  assert.match(await summary.innerText(), /Hãy nhập họ và tên của bạn/);
  assert.match(await summary.innerText(), /số di động Việt Nam gồm 10 chữ số/);
  await assertAccessible(page, 'book: errors');
  await summary.getByRole('link', { name: /họ và tên/ }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'book-name');
  // Switching language keeps what was typed, translates the messages and leaves focus on the switch.
  await page.getByRole('button', { name: 'English' }).click();
  assert.equal(await page.getByLabel('Mobile phone number').inputValue(), '0262 3850 000');
  assert.match(await summary.innerText(), /Enter your full name/);
  assert.match(await page.locator('#book-phone-error, .field-error').allInnerTexts().then((t) => t.join(' ')), /Vietnamese mobile number/);
  assert.equal(await page.locator('#book-phone').getAttribute('aria-describedby'), 'book-phone-hint book-phone-error');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'English');
  await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  assert.match(await summary.innerText(), /Hãy nhập họ và tên của bạn/);

  await page.getByLabel('Họ và tên').fill("H'Đào Niê");
  await page.getByLabel('Số điện thoại di động').fill('+84 912 345 678');
  await page.getByLabel(/Tôi đồng ý để công an xã, phường lưu/).check();
  await page.getByRole('button', { name: 'Đặt lịch hẹn', exact: true }).click();
  await page.waitForURL(/\/bookings\/[0-9A-Y]{7}$/);
  assert.equal(await page.locator('h1').innerText(), 'Đã đặt lịch hẹn');
  const shownCode = await page.locator('.code-large').innerText();
  assert.match(shownCode, /^[0-9A-Y]{3}-[0-9A-Y]{4}$/);
  assert.equal(await page.locator('.qr svg[role="img"]').count(), 1);
  const facts = await page.locator('.facts').innerText();
  assert.match(facts, /Thứ Hai 30\/11\/2026, 09:00–09:30/);
  assert.match(facts, /Quầy căn cước/);
  assert.match(facts, /H'Đào Niê/);
  assert.match(await page.locator('.slip').innerText(), /Giấy tờ cần mang/);
  await assertAccessible(page, 'slip');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /\.ics/ }).click(),
  ]);
  const ics = readFileSync(await download.path(), 'utf8');
  // RFC 5545 as a calendar library reads it: lines of at most 75 octets ending CRLF, text unescaped.
  for (const line of ics.split('\r\n').slice(0, -1)) {
    assert.ok(Buffer.byteLength(line) <= 75, `folded: ${line}`);
  }
  assert.ok(ics.endsWith('\r\n') && !/[^\r]\n/.test(ics), 'every line ends CRLF');
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vevent = calendar.getFirstSubcomponent('vevent');
  const event = new ICAL.Event(vevent);
  assert.equal(event.startDate.toJSDate().toISOString(), '2026-11-30T02:00:00.000Z', '09:00 in Hà Nội is 02:00 UTC');
  assert.equal(event.endDate.toJSDate().toISOString(), '2026-11-30T02:30:00.000Z', 'one slot of the plan');
  assert.equal(vevent.getFirstPropertyValue('dtstamp').toJSDate().toISOString(), '2026-11-29T23:45:00.000Z', 'when it was made');
  assert.match(event.summary, /Cấp lại thẻ căn cước/);
  assert.match(event.location, /Tân Lập/);
  assert.equal(event.description, shownCode);
  assert.equal(event.uid, `${shownCode.replace('-', '')}@civic-kiosk`);
  assert.deepEqual(problems, []);
  await context.close();
});

for (const [run, [zoneName, zone]] of [
  ['device in Vietnam', { timezoneId: 'Asia/Ho_Chi_Minh' }],
  ['device in Los Angeles', FAR_ZONE],
].entries()) {
  test(`see, move and cancel a booking; no second booking for the same procedure (${zoneName})`, async () => {
    // Kept on the device, so the page reloads below do not lose it.
    const { page, problems, context } = await openAt('/book?procedure=residence-temporary', zone);
    const code = await bookFirstFree(page, { phone: `0355 123 45${run}`, keep: true });

    await page.goto(env.origin + '/book?procedure=residence-temporary');
    await waitForApp(page);
    await dayButton(page, 'Thứ Tư 02/12/2026').click();
    await page.locator('button.choice', { hasText: '14:00–14:30' }).click();
    await page.getByLabel('Họ và tên').fill('Nguyễn Thị Hồng Nhung');
    await page.getByLabel('Số điện thoại di động').fill(`035512345${run}`);
    await page.getByLabel(/Tôi đồng ý để công an xã, phường lưu/).check();
    await page.getByRole('button', { name: 'Đặt lịch hẹn', exact: true }).click();
    const summary = page.locator('#error-summary');
    await summary.waitFor();
    // The refusal says how to find the booking, and never which one it is: a phone number is
    // no proof of whose booking it is.
    const refusal = await summary.innerText();
    assert.match(refusal, /Số điện thoại này đã có một lịch hẹn cho thủ tục này/);
    assert.match(refusal, /Tìm lịch hẹn đã đặt trên thiết bị khác/);
    assert.ok(!refusal.includes(code) && !refusal.includes(`${code.slice(0, 3)}-${code.slice(3)}`), refusal);

    await page.getByRole('navigation').getByRole('link', { name: 'Lịch hẹn' }).click();
    await page.waitForURL('**/bookings');
    const card = page.locator('.booking-card');
    assert.equal(await card.count(), 1);
    assert.match(await card.innerText(), /Đăng ký tạm trú/);
    assert.match(await card.innerText(), /01\/12\/2026 09:00/);
    await assertAccessible(page, 'my bookings');

    await card.getByRole('link', { name: 'Đổi giờ' }).click();
    await page.waitForURL(new RegExp(`/book\\?move=${code}$`));
    assert.equal(await page.locator('h1').innerText(), 'Đổi giờ lịch hẹn');
    await dayButton(page, 'Thứ Năm 03/12/2026').click();
    await page.locator('button.choice', { hasText: '15:00–15:30' }).click();
    await page.getByRole('button', { name: 'Đổi sang giờ này' }).click();
    await page.waitForURL(`**/bookings/${code}`);
    assert.match(await page.locator('.facts').innerText(), /03\/12\/2026, 15:00–15:30/);

    await page.goto(env.origin + '/bookings');
    await waitForApp(page);
    await page.getByRole('button', { name: 'Hủy lịch hẹn' }).click();
    await assertAccessible(page, 'cancel confirmation');
    await page.getByRole('button', { name: 'Có, hủy lịch hẹn' }).click();
    await page.getByText('Đã hủy lịch hẹn.').waitFor();
    assert.match(await page.locator('main').innerText(), /Chưa có lịch hẹn nào trên thiết bị này/);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test(`a booking made on a phone reaches the counter: staff sign in, see the day, find it by code, catch a mistyped code, mark arrival (${zoneName})`, async () => {
    const { page, problems, context } = await openAt('/book?procedure=id-card-first', zone);
    const name = ['Trần Văn An', 'Lê Thị Bình'][run];
    const code = await bookFirstFree(page, {
      name,
      phone: `0987 654 32${run}`,
      day: 'Thứ Hai 30/11/2026',
      time: '13:30–14:00',
    });
    assert.deepEqual(problems, []);
    await context.close();

    // The counter's computer: another browser, logged in.
    const desk = await openAt('/staff', zone);
    await signIn(desk.page, OFFICER);
    assert.match(await desk.page.locator('main h2[aria-live]').innerText(), /Thứ Hai 30\/11\/2026/);
    const row = desk.page.locator('.staff-table tbody tr', { hasText: name });
    assert.match(await row.innerText(), /13:30/);
    assert.match(await row.innerText(), new RegExp(`0987 654 32${run}`));
    await assertAccessible(desk.page, 'staff');

    // Two neighbours swapped: the check character catches it.
    const swapped =
      code[1] === code[2]
        ? code.slice(0, 3) + code[4] + code[3] + code.slice(5)
        : code[0] + code[2] + code[1] + code.slice(3);
    await desk.page.getByLabel('Tìm theo mã lịch hẹn').fill(swapped);
    await desk.page.getByRole('button', { name: 'Tìm', exact: true }).click();
    assert.match(await desk.page.locator('.field-error').innerText(), /Mã không đúng/);

    await desk.page.getByRole('button', { name: 'Ngày sau' }).click();
    await desk.page.locator('main h2', { hasText: '01/12/2026' }).waitFor();
    assert.equal(await row.count(), 0);
    await desk.page.getByLabel('Tìm theo mã lịch hẹn').fill(code.toLowerCase());
    await desk.page.getByRole('button', { name: 'Tìm', exact: true }).click();
    // The station answers; the list goes to the booking's day and marks it.
    await desk.page.locator('tr.found').waitFor();
    assert.equal(await desk.page.locator('tr.found').count(), 1);
    assert.equal(await desk.page.locator('.field-error').count(), 0);
    assert.match(await desk.page.locator('main h2[aria-live]').innerText(), /30\/11\/2026/);
    await row.getByRole('button', { name: /Đánh dấu đã đến/ }).click();
    await row.getByText('Đã đến').waitFor();
    assert.deepEqual(desk.problems, []);
    await desk.context.close();
  });
}

test('a full time says so and offers the nearest free times', async () => {
  const { page, context } = await openAt('/book?procedure=motorbike-registration');
  // The vehicle desk takes one person a slot.
  await bookFirstFree(page, { phone: '0912000001', time: '10:00–10:30', keep: true });
  await page.goto(env.origin + '/book?procedure=motorbike-registration');
  await waitForApp(page);
  await dayButton(page, 'Thứ Ba 01/12/2026').click();
  const full = page.locator('button.choice', { hasText: '10:00–10:30' });
  assert.match(await full.innerText(), /hết chỗ/);
  await full.click();
  assert.equal(await page.locator('.selected-slot').count(), 0, 'a full time cannot be chosen');
  const nearest = page.locator('.nearest');
  assert.match(await nearest.innerText(), /Giờ bạn chọn đã đủ người/);
  const offered = await nearest.locator('.choice-main').allInnerTexts();
  assert.deepEqual(offered.slice(0, 2), ['01/12/2026 09:30', '01/12/2026 10:30']);
  await assertAccessible(page, 'nearest free times');
  await nearest.locator('button.choice').first().click();
  assert.match(await page.locator('.selected-slot').innerText(), /01\/12\/2026 09:30/);
  assert.match(await dayButton(page, 'Thứ Ba 01/12/2026').innerText(), /còn 14 chỗ/);
  await context.close();
});

test('bookings are kept across visits only when the citizen agrees', async () => {
  const { page, context } = await openAt('/book?procedure=id-card-exchange');
  // An unreadable copy an earlier visit set aside goes too when the citizen does not keep bookings.
  await page.evaluate(() => localStorage.setItem('civic-kiosk.bookings.set-aside.2026-11-29', '{"broken'));
  await bookFirstFree(page, { keep: false });
  await page.goto(env.origin + '/bookings');
  await waitForApp(page);
  // The page says "loading" until the procedures file has come; then the list, empty.
  await page.getByText('Chưa có lịch hẹn nào').waitFor();
  assert.match(await page.locator('main').innerText(), /Chưa có lịch hẹn nào/, 'not kept without consent');
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('civic-kiosk.bookings'))), []);

  await page.goto(env.origin + '/book?procedure=id-card-exchange');
  await waitForApp(page);
  const code = await bookFirstFree(page, { keep: true, phone: '0912 000 002' });
  assert.match(await page.evaluate(() => localStorage.getItem('civic-kiosk.bookings')), new RegExp(code));
  await page.goto(env.origin + '/bookings');
  await waitForApp(page);
  await page.locator('.booking-card').first().waitFor();
  assert.equal(await page.locator('.booking-card').count(), 1);
  await context.close();
});

test('unreadable stored bookings are set aside with a notice, never a crash', async () => {
  const { page, problems, context } = await openPage(env);
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem('civic-kiosk.bookings', '{"version": 1, "book": {"bookings": [{"code": 5');
      sessionStorage.setItem('seeded', '1');
    }
  });
  await page.goto(env.origin + '/bookings');
  await waitForApp(page);
  await page.getByText('Chưa có lịch hẹn nào').waitFor();
  assert.match(await page.locator('main').innerText(), /bị hỏng nên đã được cất riêng/);
  assert.match(await page.locator('main').innerText(), /Chưa có lịch hẹn nào/);
  const setAside = () =>
    page.evaluate(() =>
      Object.keys(localStorage)
        .filter((key) => key.startsWith('civic-kiosk.bookings.set-aside.'))
        .map((key) => [key, localStorage.getItem(key)]),
    );
  const [[key, text]] = await setAside();
  assert.match(key, /\.\d{4}-\d{2}-\d{2}$/, 'kept under the day it was set aside');
  assert.match(text, /"code": 5/);
  assert.equal(await page.evaluate(() => localStorage.getItem('civic-kiosk.bookings')), null);
  await assertAccessible(page, 'bookings with notice');
  // It expires like a kept booking: 31 days on, the next visit deletes it.
  await page.clock.setFixedTime(new Date(Date.now() + 31 * 24 * 3600 * 1000));
  await page.goto(env.origin + '/bookings');
  await waitForApp(page);
  assert.deepEqual(await setAside(), []);
  assert.deepEqual(problems, []);
  await context.close();
});

// Guards against the citizen typing their name twice: since the form pages moved to a bundle
// of their own, a booking made on this visit (not kept on the device) did not reach the form.
test('a booking made on this visit fills the form’s name and phone, kept on the device or not', async () => {
  const { page, problems, context } = await openAt('/services/id-card-replace');
  await page.getByRole('link', { name: 'Đặt lịch hẹn cho thủ tục này' }).click();
  await page.waitForURL(/\/book\?procedure=id-card-replace$/);
  await bookFirstFree(page, { name: 'Đặng Thị Mỹ Duyên', phone: '0977 654 321', time: '10:00–10:30', keep: false });
  // On to the forms within the visit (the forms bundle takes over), and the lost-papers report.
  await page.getByRole('link', { name: 'Tờ khai' }).click();
  await page.waitForURL(/\/forms$/);
  await waitForApp(page);
  await page.getByRole('link', { name: /Đơn trình báo mất giấy tờ/ }).first().click();
  await page.waitForURL(/\/forms\/LOST-PAPERS/);
  // The first step asks where it goes; the reporter's name and phone are on the second.
  await page.getByLabel('Gửi cơ quan nào').fill('Công an phường Tân Lập');
  await page.getByRole('button', { name: 'Tiếp tục' }).click();
  await page.getByLabel('Họ, chữ đệm và tên').waitFor();
  assert.equal(await page.getByLabel('Họ, chữ đệm và tên').inputValue(), 'Đặng Thị Mỹ Duyên');
  assert.equal(await page.getByLabel('Số điện thoại', { exact: true }).inputValue(), '0977654321');
  // Nothing of it stays behind in the tab's storage: it was carried, then taken.
  const leftInStorage = await page.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }));
  assert.ok(!leftInStorage.includes('Duyên') && !leftInStorage.includes('0977654321'), leftInStorage);
  await assertAccessible(page, 'a form started with the booking’s name and phone');
  assert.deepEqual(problems, []);
  await context.close();
});
