// Procedure checklists: search, answering questions, the citizen's own list, print view.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertAccessible, openPage, openPageAt, start, waitForApp } from './harness.mjs';

const openAt = (instant, options) => openPageAt(env, instant, options);

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

async function openProcedure(page, id) {
  await page.goto(`${env.origin}/services/${id}`);
  await waitForApp(page);
  await page.locator('h1').waitFor();
}

const checklistText = (page) => page.locator('.checklist').innerText();

test('search ignores accents, case and Unicode normalisation', async () => {
  const { page, problems, context } = await openPage(env);
  await page.goto(env.origin + '/services');
  await waitForApp(page);
  const search = page.getByLabel('Tìm thủ tục');
  const firstResult = page.locator('.search-results .procedure-link-title').first();

  await search.fill('cap lai can cuoc');
  assert.equal(await firstResult.innerText(), 'Cấp lại thẻ căn cước (mất hoặc hỏng)');
  assert.match(await page.locator('.search-count').innerText(), /Tìm thấy \d+ thủ tục/);
  await assertAccessible(page, 'services with results');

  await search.fill('TẠM TRÚ');
  assert.equal(await firstResult.innerText(), 'Đăng ký tạm trú');
  // Decomposed input, as some keyboards produce it.
  await search.fill('ho\u0302\u0323 chie\u0302\u0301u');
  assert.equal(await firstResult.innerText(), 'Cấp hộ chiếu phổ thông');

  await search.fill('xyzzy');
  assert.match(await page.locator('.search-count').innerText(), /Không tìm thấy thủ tục nào/);

  // The query survives a visit to a procedure and back.
  await search.fill('tam vang');
  await firstResult.click();
  await page.waitForURL('**/services/temporary-absence');
  await page.goBack();
  assert.equal(await page.getByLabel('Tìm thủ tục').inputValue(), 'tam vang');
  assert.deepEqual(problems, []);
  await context.close();
});

test('ID card replacement: answers decide the list, ticks that still apply are kept, language switch keeps all', async () => {
  const { page, problems, context } = await openPage(env);
  await openProcedure(page, 'id-card-replace');
  assert.match(await page.locator('.checklist, .notice').last().innerText(), /Trả lời các câu hỏi/);
  await assertAccessible(page, 'replacement, unanswered');

  await page.getByLabel('Bị hỏng, không dùng được').check();
  await page.getByLabel('Từ 6 đến dưới 14 tuổi').check();
  let list = await checklistText(page);
  assert.match(list, /Thẻ căn cước bị hỏng/);
  assert.match(list, /Thẻ căn cước của cha, mẹ hoặc người giám hộ/);
  assert.match(list, /DC02/);
  assert.match(list, /7 ngày làm việc/);
  assert.match(list, /Luật Căn cước số 26\/2023\/QH15, các điều 21, 23–26/);
  assert.match(list, /DC02 – Phiếu đề nghị giải quyết thủ tục về căn cước/);
  assert.match(list, /Bắt buộc\. Bạn có thể điền trước/, 'DC02 is a required paper');
  await page.getByLabel('Thẻ căn cước của cha, mẹ hoặc người giám hộ đi cùng').check();
  await page.getByLabel('Thẻ căn cước bị hỏng').check();
  await assertAccessible(page, 'replacement, damaged child');

  // Changing an earlier answer updates the list at once; the guardian's card still applies.
  await page.getByLabel('Bị mất').check();
  list = await checklistText(page);
  assert.doesNotMatch(list, /Thẻ căn cước bị hỏng/);
  assert.match(list, /Không cần giấy trình báo mất thẻ/);
  assert.ok(await page.getByLabel('Thẻ căn cước của cha, mẹ hoặc người giám hộ đi cùng').isChecked());

  await page.getByRole('button', { name: 'English' }).click();
  assert.equal(await page.locator('h1').innerText(), 'Replace an ID card (lost or damaged)');
  assert.ok(await page.getByLabel('It was lost').isChecked(), 'answers survive the switch');
  assert.ok(
    await page.getByLabel('The ID card of the parent or guardian who comes along').isChecked(),
    'ticks survive',
  );
  assert.match(await checklistText(page), /No police loss report is needed/);
  await assertAccessible(page, 'replacement (en)');
  assert.deepEqual(problems, []);
  await context.close();
});

test('permanent residence: the home decides the papers; fees in person and online', async () => {
  const { page, problems, context } = await openPage(env);
  await openProcedure(page, 'residence-permanent');
  assert.match(await page.locator('.procedure-code').innerText(), /1\.004222/);
  await page.getByLabel('Nhà thuộc sở hữu của tôi').check();
  let list = await checklistText(page);
  assert.match(list, /chứng minh chỗ ở hợp pháp thuộc sở hữu/);
  assert.doesNotMatch(list, /Hợp đồng cho thuê/);
  assert.match(list, /CT01 – Tờ khai thay đổi thông tin cư trú/);
  assert.match(list, /Nộp trực tiếp: 20\.000 đ; Nộp trực tuyến: 10\.000 đ/);
  await page.getByLabel('Nhà thuê, mượn hoặc ở nhờ').check();
  list = await checklistText(page);
  assert.match(list, /Hợp đồng cho thuê, cho mượn hoặc cho ở nhờ/);
  assert.match(list, /diện tích tối thiểu/);
  assert.match(await page.locator('main').innerText(), /Chủ hộ và chủ sở hữu chỗ ở phải đồng ý/);
  await assertAccessible(page, 'permanent residence, rented');
  assert.deepEqual(problems, []);
  await context.close();
});

test('crime report: 113, any hour, no appointment, confidentiality without promising anonymity', async () => {
  const { page, problems, context } = await openPage(env);
  await openProcedure(page, 'crime-report');
  const main = await page.locator('main').innerText();
  assert.match(main, /Khẩn cấp: Nếu đang nguy hiểm hoặc cần giúp ngay: gọi 113/);
  assert.match(main, /bất kỳ lúc nào; không cần đặt lịch hẹn/);
  // The law gives confidentiality and protection on request: the page offers, never promises.
  assert.match(main, /Bạn có thể đề nghị giữ bí mật danh tính/);
  assert.match(main, /đề nghị được bảo vệ/);
  assert.doesNotMatch(main, /Danh tính của bạn được giữ bí mật/);
  assert.doesNotMatch(main, /ẩn danh|anonym/i);
  assert.match(main, /Miễn phí/);
  assert.match(main, /Trong vòng 24 giờ/);
  await assertAccessible(page, 'crime report');
  assert.deepEqual(problems, []);
  await context.close();
});

test('passports are referred to the immigration office', async () => {
  const { page, problems, context } = await openPage(env);
  await page.goto(env.origin + '/services');
  await waitForApp(page);
  const card = page.locator('.procedure-link', { hasText: 'Cấp hộ chiếu phổ thông' });
  assert.match(await card.innerText(), /Không làm tại trụ sở này/);
  await card.click();
  const referral = await page.locator('.referral').innerText();
  assert.match(referral, /Thủ tục này không làm tại trụ sở này/);
  assert.match(referral, /Phòng Quản lý xuất nhập cảnh Công an tỉnh/);
  await page.getByLabel('Thay hộ chiếu bị mất hoặc hư hỏng').check();
  assert.match(await checklistText(page), /400\.000 đ/);
  await assertAccessible(page, 'passport referral');
  assert.deepEqual(problems, []);
  await context.close();
});

test('an unknown procedure says so and leads back to the list', async () => {
  const { page, context } = await openPage(env);
  await openProcedure(page, 'no-such-procedure');
  assert.match(await page.locator('main').innerText(), /Không có thủ tục này/);
  await assertAccessible(page, 'unknown procedure');
  await page.getByRole('main').getByRole('link', { name: 'Tất cả thủ tục' }).last().click();
  await page.waitForURL('**/services');
  await context.close();
});

test('the fee reduction follows the office date, not the device time zone', async () => {
  // 23:30 on 31/12/2026 in Hà Nội is still 31/12 morning in Los Angeles, and vice versa.
  for (const [instant, reduced] of [
    ['2026-12-31T23:30:00+07:00', true],
    ['2027-01-01T00:30:00+07:00', false],
  ]) {
    const { page, context } = await openAt(instant, { timezoneId: 'America/Los_Angeles' });
    await openProcedure(page, 'id-card-replace');
    await page.getByLabel('Bị mất').check();
    await page.getByLabel('Từ 14 tuổi trở lên').check();
    const list = await checklistText(page);
    assert.match(list, /^70\.000 đ \(mỗi thẻ\)$/m, 'the usual fee leads');
    if (reduced) assert.match(list, /Có thể được giảm còn 35\.000 đ \(mỗi thẻ\) đến hết ngày 31\/12\/2026/);
    else assert.doesNotMatch(list, /35\.000 đ/);
    await context.close();
  }
});

test('the printed checklist is a clean A4 page with the answers and without the controls', async () => {
  const { page, context } = await openPage(env);
  await openProcedure(page, 'residence-temporary');
  await page.getByLabel('Một người (tôi hoặc người thân)').check();
  await page.getByLabel('Có, dưới 18 tuổi').check();
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.site-header').isVisible(), false);
  assert.equal(await page.locator('.questions').isVisible(), false);
  assert.equal(await page.getByRole('button', { name: 'In danh sách' }).isVisible(), false);
  const dir = mkdtempSync(join(tmpdir(), 'civic-kiosk-print-'));
  const pdfPath = join(dir, 'checklist.pdf');
  writeFileSync(pdfPath, await page.pdf({ format: 'A4', printBackground: false }));
  const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
  assert.match(text, /Đăng ký tạm trú/);
  assert.match(text, /Câu trả lời của bạn/);
  assert.match(text, /Có, dưới 18 tuổi/);
  assert.match(text, /Giấy tờ chứng minh chỗ ở hợp pháp/);
  assert.doesNotMatch(text, /Trường hợp của bạn/, 'the questions are not printed');
  assert.doesNotMatch(text, /Dịch vụ công\s+Tin tức/, 'the navigation is not printed');
  const pages = Number(execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' }).match(/Pages:\s+(\d+)/)[1]);
  assert.ok(pages <= 2, `checklist printed on ${pages} A4 pages`);
  await context.close();
});

test('a checklist shows when it was checked, its sources, and the conditional fee waiver until it ends', async () => {
  const { page, problems, context } = await openAt('2026-12-02T09:00:00+07:00');
  await openProcedure(page, 'residence-permanent');
  // The checked date is there before any question is answered.
  assert.match(
    await page.locator('.procedure-checked').innerText(),
    /Thông tin được kiểm tra ngày 02\/12\/2026/,
  );
  await page.getByLabel('Nhà của người thân (cha mẹ, vợ chồng, con…)').check();
  let list = await checklistText(page);
  // The usual fee leads; the waiver stands beside it with its dates and conditions.
  assert.match(list, /^Nộp trực tiếp: 20\.000 đ; Nộp trực tuyến: 10\.000 đ$/m);
  assert.match(
    list,
    /Có thể được miễn lệ phí từ 15\/08\/2026 đến hết ngày 28\/02\/2027\. Chưa chắc chắn: hãy hỏi trụ sở trước khi nộp\. Điều kiện: Bạn có tài khoản định danh điện tử mức độ 2 \(VNeID\)/,
  );
  assert.match(list, /Thông tư 117\/2026\/TT-BTC \(miễn lệ phí đến 28\/02\/2027\) \(chưa đối chiếu văn bản gốc\)/);
  // The repealed residence circulars are gone; the new ones are cited.
  assert.match(list, /Nghị định 154\/2024\/NĐ-CP/);
  assert.match(list, /Thông tư 116\/2026\/TT-BCA/);
  assert.doesNotMatch(list, /62\/2021|55\/2021|56\/2021|66\/2023/);
  // Papers already in the databases are not demanded.
  assert.match(list, /Chỉ cần nếu thông tin này chưa có trong cơ sở dữ liệu quốc gia hoặc trên VNeID/);
  await assertAccessible(page, 'residence with the waiver');

  await page.getByRole('button', { name: 'English' }).click();
  list = await checklistText(page);
  assert.match(list, /You may pay no fee from 15\/08\/2026 to 28\/02\/2027 inclusive\. Not certain: ask the station before paying\. Conditions: You have a level-2 electronic identity account/);
  assert.match(await page.locator('.procedure-checked').innerText(), /Information checked on 02\/12\/2026/);
  assert.deepEqual(problems, []);
  await context.close();

  // The day after it ends, the waiver is not shown at all; the fee is the usual one.
  const later = await openAt('2027-03-01T08:00:00+07:00');
  await openProcedure(later.page, 'residence-permanent');
  await later.page.getByLabel('Nhà thuộc sở hữu của tôi').check();
  list = await checklistText(later.page);
  assert.match(list, /^Nộp trực tiếp: 20\.000 đ; Nộp trực tuyến: 10\.000 đ$/m);
  assert.doesNotMatch(list, /Có thể được miễn lệ phí|Điều kiện:/);
  await later.context.close();
});

test('an ID card error made by the issuing office is shown as free, but not as certain', async () => {
  const { page, problems, context } = await openAt('2026-12-02T09:00:00+07:00');
  await openProcedure(page, 'id-card-exchange');
  await page.getByLabel('Thẻ có sai sót thông tin').check();
  await page.getByLabel('Cơ quan cấp thẻ in sai so với thông tin của tôi').check();
  let list = await checklistText(page);
  assert.match(list, /^Miễn phí$/m);
  assert.match(list, /Chưa có thông tin chắc chắn: hãy hỏi trụ sở/);
  assert.doesNotMatch(list, /50\.000 đ/);
  await page.getByLabel('Thông tin tôi khai trước đây bị sai, hoặc tôi không rõ').check();
  list = await checklistText(page);
  assert.match(list, /^50\.000 đ \(mỗi thẻ\)$/m);
  await assertAccessible(page, 'ID card exchange, error');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a lost passport must be reported within 2 working days, citing the amending law', async () => {
  const { page, context } = await openPage(env);
  await openProcedure(page, 'lost-papers');
  await page.getByLabel('Hộ chiếu', { exact: true }).check();
  const main = await page.locator('main').innerText();
  assert.match(main, /Trình báo trong thời hạn 02 ngày làm việc kể từ ngày phát hiện mất/);
  assert.match(main, /Luật số 23\/2023\/QH15/);
  assert.doesNotMatch(main, /48 giờ/);
  assert.doesNotMatch(main, /chưa thống nhất/);
  await context.close();
});
