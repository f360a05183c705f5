// Guided forms: fill in steps, make mistakes and fix them, review and change, reuse answers in a
// second form, make the PDF in the lazily loaded PDF module and check it with pdftotext and qpdf.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertAccessible, fillDc02, next, openPage, start, waitForApp, waitForOfflineCopy, waitForServiceWorker } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

const OFFICE_NOW = '2026-11-30T09:00:00+07:00';
const dir = mkdtempSync(join(tmpdir(), 'civic-kiosk-pdf-'));


/** Presses "Create the PDF", saves the download and returns its text as pdftotext reads it. */
async function makeAndReadPdf(page, name) {
  await page.getByRole('button', { name: 'Tạo PDF' }).click();
  const downloadButton = page.locator('#pdf-download');
  await downloadButton.waitFor({ timeout: 60_000 }).catch(async (error) => {
    // Say what the page said instead (a failure message, a stuck progress line).
    throw new Error(`${error.message}\npage says: ${await page.locator('.pdf-actions').innerText()}`);
  });
  const [download] = await Promise.all([page.waitForEvent('download'), downloadButton.click()]);
  const file = join(dir, name);
  await download.saveAs(file);
  execFileSync('qpdf', ['--check', file]);
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

/**
 * On a kiosk (print only): presses "Create the PDF", then "Print", takes the PDF the page hands
 * to the print frame and returns its text as pdftotext reads it.
 */
async function printAndReadPdf(page, name) {
  await page.getByRole('button', { name: 'Tạo PDF' }).click();
  await page.locator('#pdf-print').waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('#pdf-download').count(), 0, 'a kiosk offers no download');
  // Keep what the page hands to the print frame, and give the frame an empty page instead:
  // headless Chromium's PDF viewer, asked to print, can take the whole page down with it.
  await page.evaluate(() => {
    URL.createObjectURL = (blob) => {
      window.printedBlob = blob;
      return 'about:blank';
    };
  });
  await page.locator('#pdf-print').click();
  await page.locator('iframe.print-frame').waitFor({ state: 'attached' });
  const bytes = await page.evaluate(async () => [...new Uint8Array(await window.printedBlob.arrayBuffer())]);
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(bytes));
  execFileSync('qpdf', ['--check', file]);
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}


/** A phone fills DC02 and shows the hand-off code for staff; returns the phone and the code. */
async function handOffFromPhone(person) {
  const phone = await openPage(env, { viewport: { width: 390, height: 800 }, isMobile: true, hasTouch: true });
  await phone.page.goto(env.origin + '/forms/DC02');
  await waitForApp(phone.page);
  await fillDc02(phone.page, person);
  await phone.page.getByRole('button', { name: 'Hiện mã cho cán bộ' }).click();
  return { phone, code: await phone.page.locator('#handoff-text').inputValue() };
}

test('DC02 in steps: mistakes caught and fixed, answers reviewed and changed, PDF made in the browser', async () => {
  const { page, problems } = await openPage(env);
  await page.clock.setFixedTime(new Date(OFFICE_NOW));
  await page.goto(env.origin + '/forms');
  await waitForApp(page);
  await assertAccessible(page, 'forms list');
  await page.getByRole('link', { name: 'Phiếu đề nghị giải quyết thủ tục về căn cước' }).click();
  await page.waitForURL(/\/forms\/DC02$/);

  // Step 1: the addressee comes from the station's data.
  await page.getByText('Bước 1 trên 4').waitFor();
  assert.match(await page.getByLabel('Gửi cơ quan nào').inputValue(), /Công an/);
  await assertAccessible(page, 'form: first step');
  await next(page);

  // Step 2, with two mistakes: a date that does not exist, and an ID number whose
  // century-and-sex digit says a man born in the 2000s while the form says a woman.
  await page.getByText('Bước 2 trên 4').waitFor();
  // How to write a date or an ID number is said once under the box, not twice.
  assert.equal(await page.locator('#f-birth_date-hint').innerText(), 'Ngày/tháng/năm, ví dụ 31/12/1990.');
  assert.equal(await page.locator('#f-id_number-hint').innerText(), '12 chữ số trên thẻ căn cước.');
  // Typed decomposed (base letter + combining accents), as some keyboards send it.
  await page.getByLabel('Họ, chữ đệm và tên').fill("H'Đa\u0300o Nie\u0302");
  await page.getByLabel('Ngày, tháng, năm sinh').fill('31/02/2003');
  await page.getByLabel('Nữ').check();
  await page.getByLabel('Số định danh cá nhân').fill('079203012345');
  await page.getByLabel('Nơi cư trú').fill('Buôn Ale-A, phường Ea Kao, tỉnh Đắk Lắk');
  await next(page);
  const summary = page.locator('#error-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), /phải là một ngày có thật/);
  assert.equal(await summary.locator('li').count(), 2, await summary.innerText());
  assert.equal(await page.locator('#f-birth_date').getAttribute('aria-invalid'), 'true');
  // A screen reader hears the error on reaching the field, after its hint.
  assert.equal(
    await page.locator('#f-birth_date').getAttribute('aria-describedby'),
    'f-birth_date-hint f-birth_date-error',
  );
  assert.equal(await page.locator('#f-full_name').getAttribute('aria-describedby'), 'f-full_name-hint');
  await assertAccessible(page, 'form: step with errors');
  // The messages follow the language; nothing typed is lost.
  await page.getByRole('button', { name: 'English' }).click();
  assert.match(await summary.innerText(), /must be a real date/);
  assert.equal(await page.locator('#f-full_name').inputValue(), "H'Đa\u0300o Nie\u0302");
  await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  // The summary's link takes focus to the field.
  await summary.getByRole('link', { name: /Ngày, tháng, năm sinh/ }).click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-birth_date');
  await page.getByLabel('Ngày, tháng, năm sinh').fill('15/03/2003');
  await page.getByLabel('Số định danh cá nhân').fill('079303012345');
  await next(page);

  // Step 3: the representative's questions appear only when there is one.
  await page.getByText('Bước 3 trên 4').waitFor();
  assert.equal(await page.getByLabel('Họ, chữ đệm và tên của người đại diện').count(), 0);
  await page.getByLabel('Có', { exact: true }).check();
  await page.getByLabel('Họ, chữ đệm và tên của người đại diện').waitFor();
  await page.getByLabel('Không', { exact: true }).check();
  await next(page);

  // Step 4: a long answer, to wrap and continue on the page.
  await page.getByText('Bước 4 trên 4').waitFor();
  await page.getByLabel('Cấp, cấp đổi, cấp lại thẻ căn cước').check();
  const details = 'Tôi bị mất thẻ căn cước khi đi chợ Buôn Ma Thuột và đề nghị được cấp lại thẻ. '.repeat(12).trim();
  await page.getByLabel('Nội dung cụ thể').fill(details);
  await next(page);

  // Review: every answer, each with a link to change it.
  await page.waitForURL(/step=review(&|$)/);
  await page.getByRole('heading', { name: 'Xem lại câu trả lời' }).waitFor();
  const review = await page.locator('main').innerText();
  // Shown as typed; the PDF is where it is composed (NFC).
  assert.match(review.normalize('NFC'), /H'\u0110\u00e0o Ni\u00ea/);
  assert.match(review, /15\/03\/2003/);
  await assertAccessible(page, 'form: review');
  await page.getByRole('link', { name: 'Sửa Nơi cư trú' }).click();
  await page.waitForURL(/step=2&then=review$/);
  assert.equal(await page.getByLabel('Họ, chữ đệm và tên').inputValue(), "H'Đa\u0300o Nie\u0302");
  await page.getByLabel('Nơi cư trú').fill('Buôn Ale-A, phường Ea Kao, tỉnh Đắk Lắk (mới)');
  await next(page);
  await page.waitForURL(/step=review(&|$)/);
  assert.match(await page.locator('main').innerText(), /\(mới\)/);

  const text = await makeAndReadPdf(page, 'DC02.pdf');
  // Exactly the text typed, composed (NFC) whatever the keyboard sent.
  assert.match(text, /H'\u0110\u00e0o Ni\u00ea/);
  assert.match(text, /Buôn Ale-A, phường Ea Kao, tỉnh Đắk Lắk \(mới\)/);
  assert.match(text, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
  assert.match(text, /Mẫu DC02/);
  assert.match(text, /chợ Buôn Ma/);
  assert.deepEqual(problems, []);

  // A second form reuses what the first one gave: name, date of birth, sex, ID number.
  // (In-app navigation: answers live in memory, a reload would rightly drop them.)
  await page.getByRole('navigation').getByRole('link', { name: 'Tờ khai', exact: true }).click();
  await page.getByRole('link', { name: /Tờ khai thay đổi thông tin cư trú/ }).click();
  await page.waitForURL(/\/forms\/CT01$/);
  await next(page);
  assert.equal(await page.getByLabel('Họ, chữ đệm và tên').inputValue(), "H'Đa\u0300o Nie\u0302");
  assert.equal(await page.getByLabel('Số định danh cá nhân').inputValue(), '079303012345');
  assert.ok(await page.getByLabel('Nữ').isChecked());
  await next(page);
  await next(page); // household head: optional
  await page.getByLabel('Nội dung đề nghị').fill('Đăng ký thường trú cho con.');
  await next(page);

  // Repeated rows: add two people, one with a mistake; remove one.
  await page.getByRole('button', { name: 'Thêm một người' }).click();
  await page.getByRole('button', { name: 'Thêm một người' }).click();
  await page.locator('#f-members-0-full_name').fill('Nguyễn Thị Hồng Nhung');
  await page.locator('#f-members-0-birth_date').fill('30/02/2020');
  await page.locator('#f-members-1-full_name').fill('Người sẽ bị xóa');
  await page.getByRole('button', { name: 'Xóa người thứ 2' }).click();
  assert.equal(await page.locator('#f-members-1-full_name').count(), 0);
  await next(page);
  assert.match(await page.locator('#error-summary').innerText(), /Người thứ 1/);
  await assertAccessible(page, 'form: rows with an error');
  await page.locator('#f-members-0-birth_date').fill('01/06/2020');
  await page.locator('#f-members-0-sex').selectOption('female');
  await next(page);
  await page.waitForURL(/step=review(&|$)/);
  const ct01 = await makeAndReadPdf(page, 'CT01.pdf');
  // A table cell wraps long names onto a second line.
  assert.match(ct01, /1\s+Nguyễn Thị Hồng\s+01\/06\/2020\s+Nữ\s+Nhung/);
  assert.match(ct01, /Đăng ký thường trú cho con\./);
  assert.doesNotMatch(ct01, /Người sẽ bị xóa/);
  assert.deepEqual(problems, []);
});

test('the PDF module failing to download says so plainly, keeps the answers, and works on retry', async () => {
  // No service worker, so the refused request cannot be answered from its cache.
  const { page, problems, context } = await openPage(env, { serviceWorkers: 'block' });
  let refuse = true;
  await context.route('**/pdf-worker_bg.wasm', (route) => (refuse ? route.abort() : route.continue()));
  await page.goto(env.origin + '/forms/DC02');
  await waitForApp(page);
  await fillDc02(page, { name: 'Trần Văn Bình', birth: '02/09/1985', id: '001085012345', address: 'Số 5 Lê Lợi, Hà Nội' });

  await page.getByRole('button', { name: 'Tạo PDF' }).click();
  const failure = page.getByRole('alert').filter({ hasText: 'Chưa tải được công cụ tạo PDF' });
  await failure.waitFor({ timeout: 30_000 });
  assert.match(await page.locator('main').innerText(), /Trần Văn Bình/);
  await assertAccessible(page, 'form: PDF module unavailable');

  refuse = false;
  const text = await makeAndReadPdf(page, 'DC02-retry.pdf');
  assert.match(text, /Trần Văn Bình/);
  // The refused download is the only failed request; nothing else went wrong.
  assert.ok(problems.every((p) => /pdf-worker_bg\.wasm|Failed to load resource/.test(p)), problems.join('\n'));
});

test('hand-off: a form filled on a phone opens at the counter from its code; bad codes are explained', async () => {
  const { phone, code } = await handOffFromPhone({ name: 'Lê Văn Tám', birth: '01/01/1990', id: '001090012345', address: 'Thôn 3, xã Ea Tu' });
  await phone.page.getByRole('img', { name: 'Mã QR của tờ khai đã điền' }).waitFor();
  assert.match(code, /^CK1:[0-9A-Z $%*+\-./:]+$/);
  await assertAccessible(phone.page, 'form: hand-off code');
  assert.deepEqual(phone.problems, []);

  // The terminal: another browser, nothing shared but the code.
  const terminal = await openPage(env);
  await terminal.page.goto(env.origin + '/forms?kiosk=1&idle=90&warn=30');
  await waitForApp(terminal.page);
  const box = terminal.page.getByLabel('Quét hoặc dán mã tờ khai');
  // A damaged code (one character changed) and a foreign one each get a plain message.
  const damaged = code.slice(0, 20) + (code[20] === 'A' ? 'B' : 'A') + code.slice(21);
  await box.fill(damaged);
  await box.press('Enter');
  await terminal.page.locator('#error-summary', { hasText: 'Mã bị hỏng' }).waitFor();
  await assertAccessible(terminal.page, 'forms: damaged code');
  await box.fill('https://example.com/not-a-form');
  await box.press('Enter');
  await terminal.page.locator('#error-summary', { hasText: 'không phải mã tờ khai' }).waitFor();
  // A USB scanner types the code and presses Enter.
  await box.fill('');
  await box.pressSequentially(code.slice(0, 40));
  await box.fill(code);
  await box.press('Enter');
  await terminal.page.waitForURL(/\/forms\/DC02\?step=review&kiosk=1&idle=90&warn=30$/);
  const review = await terminal.page.locator('main').innerText();
  assert.match(review, /Lê Văn Tám/);
  assert.match(review, /Thôn 3, xã Ea Tu/);
  const text = await printAndReadPdf(terminal.page, 'DC02-handoff.pdf');
  assert.match(text, /Lê Văn Tám/);
  assert.deepEqual(terminal.problems, []);
});

test('hand-off by camera: the terminal reads the phone\'s QR code with its camera; no camera gets a plain message', async () => {
  const { phone, code } = await handOffFromPhone({ name: 'Đinh Văn Ảnh', birth: '02/02/1992', id: '001092012345', address: 'Tổ 5, phường Tân Lập' });
  await phone.context.close();

  // The phone's screen as the terminal's camera sees it: Chromium's fake camera plays a video of
  // the QR code (drawn from the code by examples/qr_video.rs).
  const video = join(dir, 'handoff-qr.y4m');
  execFileSync('cargo', ['run', '--quiet', '--example', 'qr_video', '--', code, video], {
    cwd: new URL('../..', import.meta.url).pathname,
  });
  const counter = await start({
    browserArgs: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
  });
  try {
    const terminal = await openPage(counter);
    await terminal.page.goto(counter.origin + '/forms?kiosk=1&idle=90&warn=30');
    await waitForApp(terminal.page);
    await terminal.page.getByRole('button', { name: 'Quét bằng máy ảnh' }).click();
    await terminal.page.waitForURL(/\/forms\/DC02\?step=review&kiosk=1&idle=90&warn=30$/);
    const review = await terminal.page.locator('main').innerText();
    assert.match(review, /Đinh Văn Ảnh/);
    assert.match(review, /Tổ 5, phường Tân Lập/);
    assert.equal(await terminal.page.locator('.camera-view').count(), 0, 'the camera view is gone');
    assert.deepEqual(terminal.problems, []);
    await terminal.context.close();
  } finally {
    await counter.stop();
  }

  // A camera that sees no code: the picture stays up until "Stop scanning", then the page is as
  // it was, focus back on the button.
  const blank = await start({ browserArgs: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'] });
  try {
    const terminal = await openPage(blank);
    await terminal.page.goto(blank.origin + '/forms?kiosk=1&idle=90&warn=30');
    await waitForApp(terminal.page);
    await terminal.page.getByRole('button', { name: 'Quét bằng máy ảnh' }).click();
    const view = terminal.page.getByRole('dialog', { name: 'Đưa mã QR vào trước máy ảnh' });
    await view.waitFor();
    await terminal.page.waitForFunction(() => document.querySelector('.camera-view video')?.videoWidth > 0);
    await assertAccessible(terminal.page, 'forms: camera view');
    // Modal: Tab stays in the view, the page behind is out of reach.
    await terminal.page.keyboard.press('Tab');
    assert.equal(await terminal.page.evaluate(() => document.activeElement?.closest('.camera-view') !== null), true);
    assert.equal(await terminal.page.evaluate(() => document.querySelector('main').closest('[inert]') !== null), true);
    await view.getByRole('button', { name: 'Dừng quét' }).click();
    await view.waitFor({ state: 'detached' });
    assert.equal(await terminal.page.evaluate(() => document.querySelector('main').closest('[inert]') !== null), false);
    assert.equal(await terminal.page.evaluate(() => document.activeElement?.textContent), 'Quét bằng máy ảnh');
    assert.equal(await terminal.page.locator('#error-summary').count(), 0);
    assert.deepEqual(terminal.problems, []);
    await terminal.context.close();
  } finally {
    await blank.stop();
  }

  // A browser with no camera (the shared test browser has none): a plain message, the box
  // still there to scan or paste into.
  const noCamera = await openPage(env);
  await noCamera.page.goto(env.origin + '/forms?kiosk=1&idle=90&warn=30');
  await waitForApp(noCamera.page);
  await noCamera.page.getByLabel('Quét hoặc dán mã tờ khai').fill('CK1:');
  await noCamera.page.getByRole('button', { name: 'Quét bằng máy ảnh' }).click();
  await noCamera.page.locator('#error-summary', { hasText: 'Không dùng được máy ảnh' }).waitFor();
  assert.equal(await noCamera.page.getByLabel('Quét hoặc dán mã tờ khai').inputValue(), 'CK1:', 'nothing typed is lost');
  await assertAccessible(noCamera.page, 'forms: no camera');
  await noCamera.context.close();
});

test('the whole journey — checklist, form and PDF; booking says it needs the station — with the network cut after the first load', async () => {
  const { page, problems, context } = await openPage(env);
  await page.clock.setFixedTime(new Date(OFFICE_NOW));
  await page.goto(env.origin + '/');
  await waitForApp(page);
  await waitForServiceWorker(page);
  // A phone keeps the data files in the background, and the PDF module once a form has been
  // opened: this citizen glanced at the form before the network went.
  await page.goto(env.origin + '/forms/DC02');
  await waitForApp(page);
  await waitForOfflineCopy(page, '^/(data/|pdf|fonts/)');
  await context.setOffline(true);

  // A fresh load of a deep address, offline.
  await page.goto(env.origin + '/services/id-card-replace');
  await waitForApp(page);
  await page.getByRole('status').filter({ hasText: 'ngoại tuyến' }).waitFor();
  await page.getByLabel('Bị mất').check();
  await page.getByLabel('Từ 14 tuổi trở lên').check();
  await page.locator('#checklist-title').waitFor();

  // A booking must reach the station: offline, the page says so, and a try keeps what was typed.
  await page.getByRole('link', { name: 'Đặt lịch hẹn cho thủ tục này' }).click();
  await page.getByRole('status').filter({ hasText: 'Đặt lịch cần kết nối với công an xã, phường' }).waitFor();
  await page.locator('button.choice').first().click();
  await page.locator('#book-time-title ~ ul button.choice').first().click();
  await page.getByLabel('Họ và tên').fill('Võ Thị Sáu');
  await page.getByLabel('Số điện thoại di động').fill('0912 345 678');
  await page.getByLabel(/Tôi đồng ý để công an xã, phường lưu/).check();
  await page.getByRole('button', { name: 'Đặt lịch hẹn', exact: true }).click();
  await page.locator('#error-summary', { hasText: 'Không kết nối được với hệ thống đặt lịch' }).waitFor();
  assert.equal(await page.getByLabel('Họ và tên').inputValue(), 'Võ Thị Sáu');
  assert.equal(await page.getByLabel('Số điện thoại di động').inputValue(), '0912 345 678');
  await assertAccessible(page, 'booking offline');

  await page.getByRole('navigation').getByRole('link', { name: 'Tờ khai', exact: true }).click();
  await page.getByRole('link', { name: 'Phiếu đề nghị giải quyết thủ tục về căn cước' }).click();
  await next(page);
  await page.getByLabel('Họ, chữ đệm và tên').fill('Võ Thị Sáu');
  await page.getByLabel('Ngày, tháng, năm sinh').fill('01/01/1990');
  await page.getByLabel('Nữ', { exact: true }).check();
  await page.getByLabel('Số định danh cá nhân').fill('001190012345');
  await page.getByLabel('Nơi cư trú').fill('Xã Đất Đỏ');
  await next(page);
  const summary = page.locator('#error-summary');
  await page.getByLabel('Không', { exact: true }).check().catch(async (error) => {
    throw new Error(`${error.message}\n${(await summary.count()) ? await summary.innerText() : ''}`);
  });
  await next(page);
  await page.getByLabel('Cấp, cấp đổi, cấp lại thẻ căn cước').check();
  await next(page);
  await page.waitForURL(/step=review(&|$)/);
  const text = await makeAndReadPdf(page, 'DC02-offline.pdf');
  assert.match(text, /Võ Thị Sáu/);
  assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(p)), []);
  await context.close();
});

test('phone mode: drafts are kept only with consent, listed, deletable, and expire', async () => {
  const { page, problems } = await openPage(env);
  await page.clock.setFixedTime(new Date(OFFICE_NOW));
  await page.goto(env.origin + '/forms');
  await waitForApp(page);
  const stored = () => page.evaluate(() => localStorage.getItem('civic-kiosk.drafts'));
  // Without consent nothing is stored.
  await page.getByRole('link', { name: 'Đơn tố giác tội phạm' }).click();
  await next(page);
  await page.getByLabel('Họ, chữ đệm và tên').fill('Ngô Văn Nháp');
  assert.equal(await stored(), null);

  await page.getByRole('navigation').getByRole('link', { name: 'Tờ khai', exact: true }).click();
  await assertAccessible(page, 'forms: drafts consent');
  await page.getByLabel('Giữ câu trả lời trên điện thoại này 30 ngày để điền tiếp sau').check();
  await page.waitForFunction(() => localStorage.getItem('civic-kiosk.drafts')?.includes('CK1:'));
  assert.match(await page.locator('.drafts-list').innerText(), /Đơn tố giác tội phạm/);

  // A later visit finds the draft again.
  await page.goto(env.origin + '/forms/CRIME-REPORT?step=2');
  await waitForApp(page);
  assert.equal(await page.getByLabel('Họ, chữ đệm và tên').inputValue(), 'Ngô Văn Nháp');

  // Deleting the form in progress deletes what was stored; withdrawing consent deletes everything.
  await page.getByRole('navigation').getByRole('link', { name: 'Tờ khai', exact: true }).click();
  await page.getByRole('button', { name: 'Xóa Đơn tố giác tội phạm' }).click();
  await page.waitForFunction(() => localStorage.getItem('civic-kiosk.drafts') === null);
  assert.equal(await page.locator('.drafts-list').count(), 0);
  await page.getByRole('link', { name: 'Đơn trình báo mất giấy tờ' }).click();
  await next(page);
  await page.getByLabel('Họ, chữ đệm và tên').fill('Ngô Văn Nháp');
  await page.waitForFunction(() => localStorage.getItem('civic-kiosk.drafts') !== null);
  await page.getByRole('navigation').getByRole('link', { name: 'Tờ khai', exact: true }).click();
  await page.getByLabel('Giữ câu trả lời trên điện thoại này 30 ngày để điền tiếp sau').uncheck();
  await page.waitForFunction(() => localStorage.getItem('civic-kiosk.drafts') === null);

  // Drafts untouched for more than 30 days are gone at the next visit, whatever its page: the
  // home page's app has no form pages, and still deletes them.
  const old = await page.evaluate(() => {
    const text = JSON.stringify({ version: 1, saved_on: '2026-10-20', codes: [] });
    localStorage.setItem('civic-kiosk.drafts', text);
    return text;
  });
  assert.ok(old);
  await page.goto(env.origin + '/');
  await waitForApp(page);
  await page.waitForFunction(() => localStorage.getItem('civic-kiosk.drafts') === null);
  assert.equal(await stored(), null, 'expired drafts are deleted');
  await page.goto(env.origin + '/forms');
  await waitForApp(page);
  assert.equal(await page.getByLabel('Giữ câu trả lời trên điện thoại này 30 ngày để điền tiếp sau').isChecked(), false);
  assert.deepEqual(problems, []);
});


test('on a kiosk the PDF is printed, never downloaded, and no hand-off code is offered', async () => {
  const { page, problems, context } = await openPage(env);
  await page.goto(env.origin + '/forms?kiosk=1&idle=90&warn=30');
  await waitForApp(page);
  await page.getByRole('link', { name: 'Phiếu đề nghị giải quyết thủ tục về căn cước' }).click();
  await fillDc02(page, { name: 'Đặng Văn Quầy', birth: '02/02/1992', id: '001092012345', address: 'Phường Tân Lập' });
  // The terminal is where codes are read: none is made here for the next person to copy.
  assert.equal(await page.locator('#handoff-title').count(), 0);
  assert.equal(await page.locator('#handoff-show').count(), 0);
  // Nothing left in the Downloads folder: the PDF goes to the printer only.
  const text = await printAndReadPdf(page, 'DC02-kiosk.pdf');
  assert.match(text, /Đặng Văn Quầy/);
  assert.match(await page.locator('.pdf-status').innerText(), /hãy in ngay/);
  await assertAccessible(page, 'kiosk: PDF ready to print');
  assert.deepEqual(problems, []);
  await context.close();
});

test('drafts saved by a newer version are left as they are: not loaded, not overwritten, not deleted', async () => {
  const { page, problems, context } = await openPage(env);
  const newer = JSON.stringify({ version: 99, saved_on: '2026-11-30', codes: ['CK9:from-the-future'] });
  await page.addInitScript((text) => {
    if (!localStorage.getItem('civic-kiosk.drafts')) localStorage.setItem('civic-kiosk.drafts', text);
  }, newer);
  await page.goto(env.origin + '/forms');
  await waitForApp(page);
  await page.getByText('do phiên bản mới hơn của ứng dụng lưu').waitFor();
  assert.equal(await page.locator('#keep-drafts').count(), 0, 'the choice that would save over them is not offered');
  // Filling a form in the meantime changes nothing stored.
  await page.getByRole('link', { name: 'Đơn tố giác tội phạm' }).click();
  await next(page);
  await page.getByLabel('Họ, chữ đệm và tên').fill('Ngô Văn Mới');
  await page.getByRole('navigation').getByRole('link', { name: 'Tờ khai', exact: true }).click();
  assert.equal(await page.evaluate(() => localStorage.getItem('civic-kiosk.drafts')), newer);
  await assertAccessible(page, 'forms: newer drafts');
  assert.deepEqual(problems, []);
  await context.close();
});
