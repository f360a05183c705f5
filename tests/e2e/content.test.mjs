// The content desk (#28) through real browsers against a real station server with its own copy
// of the data: an admin gives an officer the editor right; the editor's bad draft is refused
// beside its field with everything typed kept; the corrected draft stays invisible to citizens
// until a second officer approves it, prints as an A4 poster, and reaches a phone that had the
// news open through its new-content notice and a terminal after its wipe; a closure over a booked day lists the booking and makes
// the day unbookable, what is typed in another section surviving its save and in a sibling section of the same file surviving its publishing; and the "is this really the police?" checker on the contact and home pages.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertAccessible, OFFICE_NOW, openAtOfficeNow, openPageAt, openStaffPage, start, waitForApp } from './harness.mjs';

const EDITOR = { username: 'bien-tap', password: 'mat-khau-bien-tap', role: 'officer' };
const ADMIN = { username: 'quan-tri', password: 'mat-khau-quan-tri', role: 'admin' };

let env;
before(async () => {
  // `station` serves a copy of the data folder: the desk writes to it.
  env = await start({ clockStart: OFFICE_NOW, staff: [EDITOR, ADMIN], station: (data) => data });
});
after(async () => {
  await env?.stop();
});

function consentVersion() {
  const source = readFileSync(new URL('../../crates/domain/src/station_api.rs', import.meta.url), 'utf8');
  return source.match(/CONSENT_VERSION: &str = "([^"]+)"/)[1];
}

test('an editor drafts a warning, a bad draft is refused beside its field, a second officer approves, citizens then see it', async () => {
  const admin = await openStaffPage(env, ADMIN);
  // The admin gives the officer the content desk.
  await admin.page.getByRole('button', { name: new RegExp(`^Cho sửa nội dung\\W+${EDITOR.username}$`) }).click();
  await admin.page.getByRole('button', { name: new RegExp(`^Thôi sửa nội dung\\W+${EDITOR.username}$`) }).waitFor();

  const editor = await openStaffPage(env, EDITOR);
  const news = editor.page.locator('section[aria-labelledby="content-news"]');
  await news.waitFor();
  const before = await news.locator('fieldset.content-item').count();
  await news.getByRole('button', { name: 'Thêm', exact: true }).click();
  const row = before; // the new item's index
  // The title left empty: refused, said beside the title, the text typed kept.
  const body = 'Kẻ gian gọi điện xưng là công an phường, đòi "xác minh" tài khoản ngân hàng.';
  await editor.page.locator(`#c-news-${row}-7`).fill(body);
  await editor.page.locator(`#c-news-${row}-9`).fill('Không chuyển tiền, không đọc mã OTP; gọi 113.');
  await news.getByLabel('Lý do thay đổi').fill('Cảnh báo mới tuần này');
  await news.getByRole('button', { name: 'Lưu bản nháp để duyệt' }).click();
  await news.getByRole('alert').waitFor();
  const beside = editor.page.locator(`#c-news-${row}-5-error`);
  await beside.waitFor();
  assert.match(await beside.textContent(), /cần có nội dung/);
  assert.equal(await editor.page.locator(`#c-news-${row}-7`).inputValue(), body);
  await assertAccessible(editor.page, 'the content desk with a refused draft');

  const title = 'Giả danh công an phường gọi điện đòi xác minh tài khoản';
  await editor.page.locator(`#c-news-${row}-5`).fill(title);
  await news.getByRole('button', { name: 'Lưu bản nháp để duyệt' }).click();
  await news.getByText('Đã lưu bản nháp').waitFor();

  // A citizen's phone does not see a draft, nor does the terminal.
  const phone = await openAtOfficeNow(env, '/news');
  await phone.page.locator('.news-list').waitFor();
  assert.equal(await phone.page.getByText(title).count(), 0);
  const kiosk = await openAtOfficeNow(env, '/news?kiosk=1&idle=60&warn=20');
  await kiosk.page.locator('.news-list').waitFor();
  assert.equal(await kiosk.page.getByText(title).count(), 0);
  // The author cannot approve it: the desk offers only "withdraw" to them.
  await editor.page.reload();
  await comesBackSignedIn(editor.page);
  const drafts = editor.page.locator('section[aria-labelledby="content-drafts-title"]');
  await drafts.getByRole('button', { name: /Rút bản nháp/ }).waitFor();
  assert.equal(await drafts.getByRole('button', { name: /Từ chối/ }).count(), 0);

  // The second officer approves.
  await admin.page.reload();
  await comesBackSignedIn(admin.page);
  const toApprove = admin.page.locator('section[aria-labelledby="content-drafts-title"]');
  await toApprove.getByText('Cảnh báo mới tuần này').waitFor();
  await toApprove.getByRole('button', { name: /Duyệt và đăng/ }).click();
  await toApprove.getByText(/Đã đăng news\.json, phiên bản 1/).waitFor();
  await assertAccessible(admin.page, 'the content desk after an approval');

  // The published warning prints as an A4 poster: read back with pdftotext and qpdf.
  const posters = admin.page.locator('section[aria-labelledby="content-posters"]');
  await posters.getByRole('button', { name: new RegExp(`^Tạo áp phích A4\\W+${title}$`) }).click();
  const poster = posters.locator('li.content-poster', { hasText: title });
  const downloadButton = poster.getByRole('button', { name: 'Tải áp phích (PDF)' });
  await downloadButton.waitFor({ timeout: 60_000 });
  const [download] = await Promise.all([admin.page.waitForEvent('download'), downloadButton.click()]);
  const file = join(env.dataDir, '..', 'poster.pdf');
  await download.saveAs(file);
  execFileSync('qpdf', ['--check', file]);
  const printed = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
    .split(/\s+/).join(' ');
  for (const expected of ['CẢNH BÁO LỪA ĐẢO', title, body, 'Không chuyển tiền, không đọc mã OTP; gọi 113.',
    'Kênh chính thức của Công an phường Tân Lập', 'facebook.com/conganphuongtanlap.mau']) {
    assert.ok(printed.includes(expected.split(/\s+/).join(' ')), `the poster lacks ${expected}:\n${printed}`);
  }
  // Its QR code, read from the rendered page by a real decoder, opens the warning on this server.
  const image = join(env.dataDir, '..', 'poster-page');
  execFileSync('pdftoppm', ['-r', '200', '-png', '-singlefile', file, image]);
  const code = execFileSync('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', `${image}.png`],
    { encoding: 'utf8' }).trim();
  assert.match(code, /\/news#n\d{8}-gia-danh-cong-an-phuong/);
  assert.ok(code.startsWith(env.origin), code);
  await assertAccessible(admin.page, 'the content desk with a poster made');

  // The file on the server is the new one. The phone that had the news open is told when it is
  // looked at again (its tab comes back), and shows the warning in place when asked.
  const written = JSON.parse(readFileSync(join(env.dataDir, 'news.json'), 'utf8'));
  assert.equal(written.items.at(-1).title.vi, title);
  assert.equal(written.items.at(-1).title.en, title, 'the English left empty shows the Vietnamese');
  assert.equal(await phone.page.getByText(title).count(), 0);
  await phone.page.evaluate(() => document.dispatchEvent(new Event('visibilitychange', { bubbles: true })));
  const notice = phone.page.locator('.new-content-notice');
  await notice.getByText('Trụ sở vừa đăng thông tin mới').waitFor();
  await assertAccessible(phone.page, 'the news page with the new-content notice');
  await notice.getByRole('button', { name: 'Xem thông tin mới' }).click();
  await phone.page.getByRole('heading', { name: title }).waitFor();
  assert.equal(await notice.count(), 0);
  // The terminal has it after the citizen's "Finish and erase": the wipe starts it afresh.
  await kiosk.page.getByRole('button', { name: 'Xong và xóa' }).click();
  await kiosk.page.waitForURL(/\/\?kiosk=1&idle=60&warn=20$/);
  await kiosk.page.getByRole('navigation').getByRole('link', { name: 'Tin tức' }).click();
  await kiosk.page.getByRole('heading', { name: title }).waitFor();
  await phone.page.getByText('Không chuyển tiền, không đọc mã OTP; gọi 113.').waitFor();
  for (const opened of [admin, editor, phone, kiosk]) assert.deepEqual(opened.problems, []);
});

/** After a reload the session is kept in its cookie: the desk comes back signed in (times out if not). */
async function comesBackSignedIn(page) {
  await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
}

/** The editor right given over the API, as the admin's button gives it (the first test). */
async function giveEditorRight() {
  const login = await fetch(`${env.origin}/api/v1/staff/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ station: 'e2e', username: ADMIN.username, password: ADMIN.password }),
  });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf } = await login.json();
  const given = await fetch(`${env.origin}/api/v1/staff/accounts/${EDITOR.username}/editor`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf },
    body: JSON.stringify({ editor: true }),
  });
  assert.equal(given.status, 200, await given.clone().text());
}

test('a closure over a booked day lists the booking, and once approved the day cannot be booked', async () => {
  await giveEditorRight();
  const booked = await fetch(`${env.origin}/api/v1/stations/e2e/bookings`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      procedure: 'id-card-exchange',
      slot: { counter: 'id-card', date: '2026-12-01', start: 9 * 60 },
      name: 'Lê Văn Tám',
      phone: '0987 654 321',
      consent_version: consentVersion(),
    }),
  });
  assert.equal(booked.status, 201, await booked.clone().text());
  const { booking } = await booked.json();

  const editor = await openStaffPage(env, EDITOR);
  const closures = editor.page.locator('section[aria-labelledby="content-closures"]');
  await closures.waitFor();
  const row = await closures.locator('fieldset.content-item').count();
  await closures.getByRole('button', { name: 'Thêm', exact: true }).click();
  await editor.page.locator(`#c-closures-${row}-0`).fill('2026-12-01');
  await editor.page.locator(`#c-closures-${row}-1`).fill('2026-12-01');
  await editor.page.locator(`#c-closures-${row}-2`).fill('Trụ sở tập huấn nghiệp vụ');
  // Half-typed in another section: saving this one must not lose it.
  const monday = editor.page.locator('#c-hours-0-0');
  await monday.fill('07:00-11:00, 13:00-17:00');
  await closures.getByRole('button', { name: 'Lưu bản nháp để duyệt' }).click();
  // Once the desk is drawn again with the new draft listed, "saved" and the typing are still there.
  await editor.page.locator('section[aria-labelledby="content-drafts-title"]')
    .getByText('Trụ sở tập huấn nghiệp vụ').waitFor();
  await closures.getByText('Đã lưu bản nháp').waitFor({ timeout: 1000 });
  assert.equal(await monday.inputValue(), '07:00-11:00, 13:00-17:00');
  assert.equal(await editor.page.locator(`#c-closures-${row}-2`).inputValue(), 'Trụ sở tập huấn nghiệp vụ');
  // Half-typed in the holidays, the closures' sibling in schedule.json.
  const holiday = editor.page.locator('#c-holidays-0-1');
  await holiday.fill('Tết Dương lịch (đang sửa tên)');

  const admin = await openStaffPage(env, ADMIN);
  const drafts = admin.page
    .locator('section[aria-labelledby="content-drafts-title"] li.content-draft')
    .filter({ hasText: 'Trụ sở tập huấn nghiệp vụ' });
  await drafts.getByText('Thay đổi này chạm tới 1 lịch hẹn').waitFor();
  const listed = drafts.locator('table.touched-bookings tbody tr');
  assert.equal(await listed.count(), 1);
  assert.match(await listed.textContent(), /Lê Văn Tám/);
  assert.match(await listed.textContent(), new RegExp(booking.code));
  await drafts.getByRole('button', { name: /Duyệt và đăng/ }).click();
  await admin.page.getByText(/Đã đăng schedule\.json/).waitFor();

  const availability = await fetch(
    `${env.origin}/api/v1/stations/e2e/availability?procedure=id-card-exchange&from=2026-12-01&to=2026-12-01`,
  ).then((reply) => reply.json());
  const open = availability.days.filter((day) => day.date === '2026-12-01' && day.starts.length > 0);
  assert.deepEqual(open, [], 'the closed day offers no slot');
  // The editor's desk is drawn again (saving the hours): schedule.json is at a new revision, yet
  // the holidays being typed are kept; only the section that was published is filled anew.
  const hours = editor.page.locator('section[aria-labelledby="content-hours"]');
  await hours.getByRole('button', { name: 'Lưu bản nháp để duyệt' }).click();
  await hours.getByText('Đã lưu bản nháp').waitFor();
  await editor.page.locator('section[aria-labelledby="content-closures"]').getByText(/phiên bản 1/).waitFor();
  assert.equal(await holiday.inputValue(), 'Tết Dương lịch (đang sửa tên)');
  for (const opened of [admin, editor]) assert.deepEqual(opened.problems, []);
});

// The sample station's channels (public/data/station.json), each written three ways.
const OURS = [
  'Công an phường Tân Lập (mẫu)',
  'cong an phuong tan lap mau',
  'CÔNG AN PHƯỜNG TÂN LẬP - MẪU',
  'facebook.com/conganphuongtanlap.mau',
  'https://m.facebook.com/conganphuongtanlap.mau/?ref=share',
  'fb.com/ConganphuongTanLap.mau',
  '0262 3850 000',
  '+84 262 3850 000',
  '02623850000',
];
const NEAR_MISSES = [
  '0262 3850 001',
  '0262 3850 00',
  'facebook.com/conganphuongtanlap.mau.hotro',
  'Công an phường Tân Lạc (mẫu)',
  'Công an phường Tân Lập - Hỗ trợ hoàn tiền',
];

test('"is this really the police?" says ours for each channel written three ways and not ours for near misses', async () => {
  const { page, problems } = await openPageAt(env, OFFICE_NOW);
  await page.goto(`${env.origin}/contact`);
  // The page drawn ahead has the form too: a press before the app takes over would submit it.
  await waitForApp(page);
  const checker = page.locator('section.channel-check');
  await checker.waitFor();
  const check = async (typed) => {
    await checker.getByLabel('Số điện thoại, đường link hoặc tên trang').fill(typed);
    await checker.getByRole('button', { name: 'Kiểm tra' }).click();
    const verdict = checker.locator('.checker-verdict');
    await verdict.locator('.notice').waitFor();
    return verdict.textContent();
  };
  for (const typed of OURS) {
    assert.match(await check(typed), /Đây là kênh chính thức/, typed);
  }
  for (const typed of NEAR_MISSES) {
    const said = await check(typed);
    assert.match(said, /Đây không phải kênh của chúng tôi/, typed);
    assert.match(said, /giả mạo/, `${typed}: says what it imitates`);
  }
  assert.match(await check('0987 111 222'), /không phải kênh/);
  await assertAccessible(page, 'the contact page with a verdict');

  // The home page has it too. (It runs on the device: see domain::channels' tests.)
  await page.goto(`${env.origin}/`);
  await waitForApp(page);
  const home = page.locator('section.channel-check');
  await home.waitFor();
  await home.getByLabel('Số điện thoại, đường link hoặc tên trang').fill('+84 262 3850 000');
  await home.getByRole('button', { name: 'Kiểm tra' }).click();
  await home.getByText('Đây là kênh chính thức').waitFor();
  await assertAccessible(page, 'the home page with the checker');
  assert.deepEqual(problems, []);
});
