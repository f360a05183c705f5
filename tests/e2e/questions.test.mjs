// Asking the station (#29) through real browsers against a real station server: a citizen on a
// phone follows "Ask the station" from a procedure page, a bad question is refused beside its
// field with what was typed kept, the question is sent and its code kept on the phone; a second
// person on the same phone asks without keeping it and the phone lists only the first; an
// officer answers from the staff desk; the citizen reads the answer on the phone and on another
// device with the code and the phone number; on the kiosk the code is shown for printing,
// nothing is kept, and the wipe takes it off the screen; offline, the page says it needs the
// connection in its own words. axe on every new page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OFFICE_NOW, assertAccessible, openAtOfficeNow, start, waitForApp, waitForServiceWorker } from './harness.mjs';

const OFFICER = { username: 'tiep-dan', password: 'mat-khau-tiep-dan', role: 'officer' };

let env;
before(async () => {
  env = await start({ clockStart: OFFICE_NOW, staff: [OFFICER] });
});
after(async () => {
  await env?.stop();
});

const QUESTION = 'Tôi làm việc ở tỉnh khác, tạm trú tại phường đã 2 năm.\nTôi có làm lại CCCD ở đây được không?';
const ANSWER = 'Được. Mang theo giấy tờ chứng minh tạm trú; làm tại bộ phận một cửa, sáng thứ Hai đến thứ Sáu.';

async function ask(page, text, { phone, keep }) {
  await page.getByLabel('Câu hỏi của bạn').fill(text);
  if (phone) await page.getByLabel('Số điện thoại (không bắt buộc)').fill(phone);
  if (keep) await page.getByLabel(/^Giữ mã câu hỏi trên máy này/).check();
  await page.getByRole('button', { name: 'Gửi câu hỏi' }).click();
  const sent = page.locator('.question-sent');
  await sent.waitFor();
  return (await sent.locator('.code').innerText()).replace('-', '');
}

test('a citizen asks from a procedure page, an officer answers, the citizen reads it on the phone and on another device', async () => {
  const phone = await openAtOfficeNow(env, '/services/id-card-replace');
  await phone.page.getByRole('link', { name: 'Hỏi công an xã, phường' }).click();
  await phone.page.waitForURL(/\/ask\?procedure=id-card-replace$/);
  await phone.page.getByRole('heading', { level: 1, name: 'Hỏi công an xã, phường' }).waitFor();
  await waitForApp(phone.page);
  // The procedure comes chosen from the page the citizen came from.
  assert.equal(await phone.page.getByLabel('Về thủ tục (không bắt buộc)').inputValue(), 'id-card-replace');
  await assertAccessible(phone.page, 'ask');

  // A phone number that cannot be one: said beside the field, the question typed kept.
  await phone.page.getByLabel('Câu hỏi của bạn').fill(QUESTION);
  await phone.page.getByLabel('Số điện thoại (không bắt buộc)').fill('12345');
  await phone.page.getByRole('button', { name: 'Gửi câu hỏi' }).click();
  await phone.page.locator('#error-summary').waitFor();
  assert.match(await phone.page.locator('#ask-phone-error').innerText(), /Số điện thoại không đúng/);
  assert.equal(await phone.page.getByLabel('Câu hỏi của bạn').inputValue(), QUESTION);
  await assertAccessible(phone.page, 'ask with an error');

  const code = await ask(phone.page, QUESTION, { phone: '0912 345 678', keep: true });
  assert.match(code, /^[0-9A-Y]{7}$/);
  assert.match(await phone.page.locator('.question-sent').innerText(), /trả lời trong vòng 16 giờ làm việc/);
  await assertAccessible(phone.page, 'question sent');

  // A second person on the same phone asks without keeping the code: the phone lists only the
  // first question.
  await phone.page.getByRole('button', { name: 'Hỏi câu khác' }).click();
  const other = await ask(phone.page, 'Câu hỏi của người thứ hai về đăng ký thường trú', { keep: false });
  await phone.page.reload();
  await waitForApp(phone.page);
  const kept = phone.page.locator('.kept-questions');
  await kept.locator('.question-view').first().waitFor();
  assert.equal(await kept.locator('.question-view').count(), 1);
  assert.match(await kept.innerText(), /tạm trú tại phường đã 2 năm/);
  assert.doesNotMatch(await kept.innerText(), /người thứ hai/);
  assert.match(await kept.innerText(), /Chưa có câu trả lời/);
  assert.notEqual(other, code);

  // The officer answers from the desk.
  const desk = await openAtOfficeNow(env, '/staff');
  await desk.page.getByLabel('Tên đăng nhập').fill(OFFICER.username);
  await desk.page.getByLabel('Mật khẩu').fill(OFFICER.password);
  await desk.page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  const inbox = desk.page.locator('section.question-inbox');
  const item = inbox.locator('article.inbox-question', { hasText: 'tạm trú tại phường đã 2 năm' });
  await item.waitFor();
  assert.match(await item.innerText(), /0912 345 678/);
  await item.getByRole('button', { name: 'Nhận trả lời' }).click();
  await inbox.locator('article.inbox-question', { hasText: '2 năm' }).getByRole('button', { name: 'Trả lại' }).waitFor();
  const mine = inbox.locator('article.inbox-question', { hasText: '2 năm' });
  await mine.getByLabel('Câu trả lời').fill(ANSWER);
  await mine.getByRole('button', { name: 'Gửi câu trả lời' }).click();
  await inbox.locator('.inbox-decided', { hasText: ANSWER }).waitFor();
  await assertAccessible(desk.page, 'staff desk with questions');

  // On the phone: the kept question now has its answer, by role and not by name.
  await phone.page.reload();
  await waitForApp(phone.page);
  await kept.getByText(ANSWER).waitFor();
  assert.match(await kept.innerText(), /Trả lời của cán bộ tiếp dân/);
  assert.doesNotMatch(await kept.innerText(), new RegExp(OFFICER.username));

  // On another device, with the code and the phone number written another way.
  const elsewhere = await openAtOfficeNow(env, '/ask');
  await elsewhere.page.getByLabel('Mã câu hỏi', { exact: true }).fill(code.toLowerCase());
  await elsewhere.page.getByLabel('Số điện thoại đã ghi khi hỏi').fill('+84 912-345-678');
  await elsewhere.page.getByRole('button', { name: 'Xem', exact: true }).click();
  await elsewhere.page.locator('.read-answer').getByText(ANSWER).waitFor();
  // A wrong phone opens nothing.
  await elsewhere.page.getByLabel('Số điện thoại đã ghi khi hỏi').fill('0987 654 321');
  await elsewhere.page.getByRole('button', { name: 'Xem', exact: true }).click();
  await elsewhere.page.locator('#read-code-error').waitFor();
  assert.equal(await elsewhere.page.locator('.read-answer').getByText(ANSWER).count(), 0);
  await assertAccessible(elsewhere.page, 'reading an answer');

  for (const opened of [phone, desk, elsewhere]) {
    assert.deepEqual(opened.problems, []);
    await opened.context.close();
  }
});

test('on the kiosk the code is shown for its slip, nothing is kept, and the wipe takes it away', async () => {
  const terminal = await openAtOfficeNow(env, '/ask?kiosk=1&idle=60&warn=20');
  await terminal.page.getByRole('heading', { level: 1, name: 'Hỏi công an xã, phường' }).waitFor();
  assert.equal(await terminal.page.getByLabel(/^Giữ mã câu hỏi trên máy này/).count(), 0);
  const code = await ask(terminal.page, 'Hỏi tại máy tiếp dân: cấp lại CCCD cần gì?', {});
  await terminal.page.getByRole('button', { name: 'In phiếu' }).waitFor();
  await assertAccessible(terminal.page, 'kiosk question sent');
  assert.deepEqual(await terminal.page.evaluate(() => Object.keys(localStorage)), []);
  await terminal.page.getByRole('button', { name: 'Xong và xóa' }).click();
  await terminal.page.waitForURL(/\/\?kiosk=1&idle=60&warn=20$/);
  await waitForApp(terminal.page);
  assert.doesNotMatch(await terminal.page.content(), new RegExp(`${code.slice(0, 3)}-${code.slice(3)}`));
  assert.deepEqual(terminal.problems, []);
  await terminal.context.close();
});

test('offline, asking says it needs the connection in its own words, and opens once online', async () => {
  const { page, problems, context } = await openAtOfficeNow(env, '/services/id-card-replace');
  await waitForServiceWorker(page);
  await context.setOffline(true);
  await page.getByRole('link', { name: 'Hỏi công an xã, phường' }).click();
  const notice = page.getByRole('alert').filter({ hasText: 'cần kết nối mạng để hỏi' });
  await notice.waitFor();
  await page.getByRole('heading', { level: 1, name: 'Hỏi công an xã, phường' }).waitFor();
  await assertAccessible(page, 'asking unavailable offline');
  await context.setOffline(false);
  await page.getByRole('button', { name: 'Thử lại' }).click();
  await page.getByLabel('Câu hỏi của bạn').waitFor();
  assert.deepEqual(problems.filter((problem) => !/Failed to load resource: net::ERR_FAILED/.test(problem)), []);
  await context.close();
});
