// Published answers (#29) through real browsers against a real station server with its own copy
// of the data: an officer answers a citizen's question starting from a published answer the
// inbox offers, then publishes it: the content desk gets it as a new draft row, refuses it while
// the asker's phone number is still in it (beside the field, what was typed kept), takes it
// rewritten, and a second officer approves. Citizens then find it on its procedure's page, in the
// search in both languages, offline after one visit, and on /ask as they type a question like
// it. The answers go to another station as a pack and come back in as new rows. axe on each page.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { assertAccessible, OFFICE_NOW, openAtOfficeNow, openStaffPage, start, waitForApp, waitForOfflineCopy, waitForServiceWorker } from './harness.mjs';

const EDITOR = { username: 'bien-tap', password: 'mat-khau-bien-tap', role: 'officer' };
const ADMIN = { username: 'quan-tri', password: 'mat-khau-quan-tri', role: 'admin' };

let env;
before(async () => {
  env = await start({ clockStart: OFFICE_NOW, staff: [EDITOR, ADMIN], station: (data) => data });
});
after(async () => {
  await env?.stop();
});

/** A session over the API, as the admin's own buttons use it. */
async function apiSession(account) {
  const login = await fetch(`${env.origin}/api/v1/staff/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ station: 'e2e', username: account.username, password: account.password }),
  });
  assert.equal(login.status, 200, await login.clone().text());
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const { csrf_token: csrf } = await login.json();
  return { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf };
}

const ASKED = 'Em là Hoa, số 0912 345 678. Em mất thẻ căn cước khi đi làm ở xa quê, có phải về quê làm lại không ạ?';
const REWRITTEN = 'Mất thẻ căn cước khi đang làm việc ở tỉnh khác thì làm lại ở đâu?';
const REWRITTEN_EN = 'I lost my ID card while working in another province: where do I get a new one?';

test('an answered question is published rewritten, approved, and citizens find it on its page, in search, offline and while asking', async () => {
  // The admin gives the officer the editor right; a citizen asks with their phone number.
  const admin = await apiSession(ADMIN);
  const given = await fetch(`${env.origin}/api/v1/staff/accounts/${EDITOR.username}/editor`, {
    method: 'POST', headers: admin, body: JSON.stringify({ editor: true }),
  });
  assert.equal(given.status, 200, await given.clone().text());
  const consent = readFileSync(new URL('../../crates/domain/src/questions.rs', import.meta.url), 'utf8')
    .match(/QUESTION_CONSENT_VERSION: &str = "([^"]+)"/)[1];
  const asked = await fetch(`${env.origin}/api/v1/stations/e2e/questions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: ASKED, procedure: 'id-card-replace', phone: '0912 345 678', consent_version: consent }),
  });
  assert.equal(asked.status, 201, await asked.clone().text());

  // The inbox offers the published answer to a question like it; the officer starts from it.
  const editor = await openStaffPage(env, EDITOR);
  const inbox = editor.page.locator('section.question-inbox');
  const item = inbox.locator('article.inbox-question', { hasText: 'Em là Hoa' });
  // The best match first: the sample station's answer about a card lost far from home.
  await item.getByRole('button', { name: 'Bắt đầu từ câu trả lời này' }).first().click();
  assert.match(await item.getByLabel('Câu trả lời').inputValue(), /^Không\. Cấp lại thẻ căn cước làm được tại công an cấp xã, phường bất kỳ/);
  await item.getByRole('button', { name: 'Gửi câu trả lời' }).click();
  const answered = inbox.locator('.inbox-decided', { hasText: 'Em là Hoa' });
  await answered.waitFor();
  await assertAccessible(editor.page, 'the inbox offering published answers');

  // "Publish": the desk's answered questions get a new row after the sample station's three,
  // the question focused.
  const section = editor.page.locator('section[aria-labelledby="content-answers"]');
  await editor.page.locator('#c-answers-2-4').waitFor();
  await answered.getByRole('button', { name: /^Công khai thành câu hỏi – trả lời/ }).click();
  const row = 3;
  const question = editor.page.locator(`#c-answers-${row}-4`);
  await editor.page.waitForFunction((id) => document.activeElement?.id === id, `c-answers-${row}-4`);
  assert.equal(await question.inputValue(), ASKED);
  assert.equal(await editor.page.locator(`#c-answers-${row}-1`).inputValue(), 'id-card-replace');
  assert.match(await editor.page.locator(`#c-answers-${row}-8`).inputValue(), /^luat-can-cuoc-2023 \| các điều 21, 23–26/);
  // Saved as it came: the asker's number is refused beside the field, everything typed kept.
  await section.getByRole('button', { name: 'Lưu bản nháp để duyệt' }).click();
  const beside = editor.page.locator(`#c-answers-${row}-4-error`);
  await beside.waitFor();
  assert.match(await beside.innerText(), /0912 345 678.*thông tin cá nhân/);
  assert.equal(await question.inputValue(), ASKED);
  await assertAccessible(editor.page, 'the desk refusing a personal number');
  // Rewritten, with the English, it is saved as a draft.
  await question.fill(REWRITTEN);
  await editor.page.locator(`#c-answers-${row}-5`).fill(REWRITTEN_EN);
  await section.getByRole('button', { name: 'Lưu bản nháp để duyệt' }).click();
  await section.getByText('Đã lưu bản nháp').waitFor();

  // Not yet for citizens; the admin, a second officer, approves.
  const phone = await openAtOfficeNow(env, '/services/id-card-replace');
  assert.equal(await phone.page.getByText(REWRITTEN).count(), 0);
  const approver = await openStaffPage(env, ADMIN);
  const drafts = approver.page.locator('section[aria-labelledby="content-drafts-title"]');
  await drafts.getByText(REWRITTEN).first().waitFor();
  await drafts.getByRole('button', { name: /Duyệt và đăng/ }).click();
  await drafts.getByText(/Đã đăng answers\.json, phiên bản 1/).waitFor();
  const written = JSON.parse(readFileSync(join(env.dataDir, 'answers.json'), 'utf8'));
  const published = written.answers.find((a) => a.question.vi === REWRITTEN);
  assert.ok(published, 'written to the station\'s file');
  assert.doesNotMatch(JSON.stringify(written), /0912|Hoa/);

  // On its procedure's page: drawn ahead (before the app) and then by the app, opened to read.
  const drawn = await (await fetch(`${env.origin}/services/id-card-replace`)).text();
  assert.ok(drawn.includes(REWRITTEN), 'the page drawn ahead has it');
  await phone.page.reload();
  await waitForApp(phone.page);
  const answers = phone.page.locator('section.public-answers');
  await answers.getByText(REWRITTEN).click();
  // Opened: the answer (started from the sample's, so two hold that sentence; this one is open).
  const opened = answers.locator('details[open]');
  await opened.getByText(/Cấp lại thẻ căn cước làm được tại công an cấp xã/).waitFor();
  assert.match(await opened.innerText(), /Căn cứ: Luật Căn cước số 26\/2023\/QH15/);
  await assertAccessible(phone.page, 'a procedure page with its answered questions');

  // In the search, in Vietnamese and in English.
  await phone.page.goto(`${env.origin}/services`);
  await waitForApp(phone.page);
  await phone.page.getByLabel('Tìm thủ tục').fill('lam viec o tinh khac');
  const results = phone.page.locator('.search-results');
  await results.getByText(/câu hỏi đã được trả lời khớp/).waitFor();
  await results.getByText(REWRITTEN).waitFor();
  await assertAccessible(phone.page, 'search with answered questions');
  await phone.page.getByRole('button', { name: 'English' }).click();
  await phone.page.getByLabel('Search for a procedure').fill('another province');
  await results.getByText(REWRITTEN_EN).waitFor();

  // Offline after one visit: the kept file shows it on the page.
  await waitForServiceWorker(phone.page);
  await waitForOfflineCopy(phone.page, 'answers');
  await phone.context.setOffline(true);
  await phone.page.goto(`${env.origin}/services/id-card-replace`);
  await phone.page.locator('section.public-answers summary', { hasText: /tỉnh khác|another province/ }).waitFor();
  await phone.context.setOffline(false);

  // On /ask, a question typed like it shows the answer before anything is sent.
  const asking = await openAtOfficeNow(env, '/ask');
  await asking.page.getByLabel('Câu hỏi của bạn').fill('Tôi đi làm ở tỉnh khác bị mất thẻ căn cước thì làm lại ở đâu?');
  const like = asking.page.locator('.answers-like');
  await like.getByText('Câu hỏi giống của bạn đã được trả lời').waitFor();
  await like.getByText(REWRITTEN).waitFor();
  await assertAccessible(asking.page, '/ask showing answered questions like the one typed');

  for (const opened of [editor, approver, asking]) assert.deepEqual(opened.problems, []);
  assert.deepEqual(phone.problems.filter((p) => !/Failed to load resource: net::ERR_(FAILED|INTERNET_DISCONNECTED)/.test(p)), []);
  for (const opened of [editor, approver, phone, asking]) await opened.context.close();
});

test('the answers go to another station as a pack, and a pack comes in as new rows to approve', async () => {
  const desk = await openStaffPage(env, ADMIN);
  const section = desk.page.locator('section[aria-labelledby="content-answers"]');
  const [download] = await Promise.all([
    desk.page.waitForEvent('download'),
    section.getByRole('button', { name: 'Tải xuống tệp câu trả lời' }).click(),
  ]);
  const pack = join(env.dataDir, '..', 'pack.json');
  await download.saveAs(pack);
  const exported = JSON.parse(readFileSync(pack, 'utf8'));
  assert.deepEqual(exported, JSON.parse(readFileSync(join(env.dataDir, 'answers.json'), 'utf8')));

  // Another station's pack: one answer this station has, one it does not.
  const theirs = structuredClone(exported);
  theirs.answers = [exported.answers[0], { ...exported.answers[0], id: 'tu-tram-khac', question: { vi: 'Câu hỏi từ trụ sở khác?', en: 'A question from another station?' } }];
  writeFileSync(pack, JSON.stringify(theirs));
  const before = await section.locator('fieldset.content-item').count();
  await section.getByLabel('Nhập tệp câu trả lời của trụ sở khác').setInputFiles(pack);
  await section.getByText(/Đã thêm 1 câu trả lời vào biểu mẫu \(1 câu đã có ở đây nên bỏ qua\)/).waitFor();
  assert.equal(await section.locator('fieldset.content-item').count(), before + 1);
  assert.equal(await desk.page.locator(`#c-answers-${before}-4`).inputValue(), 'Câu hỏi từ trụ sở khác?');
  // Not a pack: said, the form unchanged.
  writeFileSync(pack, '{"not": "answers"}');
  await section.getByLabel('Nhập tệp câu trả lời của trụ sở khác').setInputFiles(pack);
  await section.getByText(/Không đọc được tệp này/).waitFor();
  assert.equal(await section.locator('fieldset.content-item').count(), before + 1);
  await assertAccessible(desk.page, 'the desk after importing a pack');
  assert.deepEqual(desk.problems, []);
  await desk.context.close();
});
