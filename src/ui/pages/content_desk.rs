//! The content desk on the staff page (#28): editors change the station's news and warnings,
//! hours, channels, holidays and closures as forms; each change is a draft the server checks
//! with check-data's rules (`domain::site_check`) and publishes only when a second account
//! approves it. Drafts, revisions with their differences, and restoring one are here too.
//! The station bundle only: citizens never download it.

use std::sync::Arc;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::staff::failure_text;
use super::staff_admin::office_moment;
use crate::domain::catalog::Catalog;
use crate::domain::content_desk::{
    ContentOverview, ContentProblem, ContentRefused, ContentSettings, Draft, DraftStatus, NewDraft,
    Published, RevisionInfo, Section,
};
use crate::domain::json;
use crate::domain::news::{News, NewsItem, NewsKind};
use crate::domain::public_answers::{answer_id, PublicAnswer, PublicAnswers};
use crate::domain::schedule::{Closure, Holiday, Plan};
use crate::domain::station::{Channel, ChannelKind, Station, Weekday, WeeklyHours};
use crate::domain::station_api::{StaffSession, CSRF_HEADER};
use crate::domain::text::{Lang, Localized};
use crate::i18n::{content_messages, ContentMessages};
use crate::platform::api_client::{call, call_keeping_refusal, Failure};
use crate::ui::made_pdf::{download_pdf, print_made_pdf, PdfState};
use crate::ui::text::tr_content;
use crate::ui::use_app;

type Pick = fn(&ContentMessages) -> &'static str;

/// How a field is typed.
#[derive(Clone, Copy)]
enum Input {
    Line,
    Area,
    Date,
    Check,
    Choice(&'static [(&'static str, Pick)]),
    /// One of the station's procedures, or none.
    Procedure,
}

#[derive(Clone, Copy)]
enum Label {
    Word(Pick),
    Day(Weekday),
}

/// One field of a section's form. `key` is its path in the file below the row (`title`,
/// `opening_hours.mon`), where the server's problems are matched to it.
struct Field {
    key: &'static str,
    lang: Option<Lang>,
    label: Label,
    input: Input,
}

const fn field(key: &'static str, label: Pick, input: Input) -> Field {
    Field {
        key,
        lang: None,
        label: Label::Word(label),
        input,
    }
}

const fn vi(key: &'static str, label: Pick, input: Input) -> Field {
    Field {
        key,
        lang: Some(Lang::Vi),
        label: Label::Word(label),
        input,
    }
}

const fn en(key: &'static str, label: Pick, input: Input) -> Field {
    Field {
        key,
        lang: Some(Lang::En),
        label: Label::Word(label),
        input,
    }
}

const NEWS_KINDS: &[(&str, Pick)] = &[
    ("warning", |t| t.kind_warning),
    ("notice", |t| t.kind_notice),
];

const NEWS_FIELDS: &[Field] = &[
    field("kind", |t| t.kind, Input::Choice(NEWS_KINDS)),
    field("published", |t| t.published, Input::Date),
    field("pinned", |t| t.pinned, Input::Check),
    field("expires", |t| t.expires, Input::Date),
    field("since", |t| t.since, Input::Date),
    vi("title", |t| t.news_title, Input::Line),
    en("title", |t| t.news_title, Input::Line),
    vi("body", |t| t.body, Input::Area),
    en("body", |t| t.body, Input::Area),
    vi("advice", |t| t.advice, Input::Area),
    en("advice", |t| t.advice, Input::Area),
    vi("source", |t| t.source, Input::Line),
    en("source", |t| t.source, Input::Line),
];

const CHANNEL_KINDS: &[(&str, Pick)] = &[
    ("zalo", |_| "Zalo"),
    ("facebook", |_| "Facebook"),
    ("website", |t| t.kind_website),
    ("hotline", |t| t.kind_phone),
    ("email", |t| t.kind_email),
];

const CHANNEL_FIELDS: &[Field] = &[
    field("kind", |t| t.kind, Input::Choice(CHANNEL_KINDS)),
    field("address", |t| t.channel_address, Input::Line),
    vi("name", |t| t.channel_name, Input::Line),
    en("name", |t| t.channel_name, Input::Line),
    vi("recognise", |t| t.channel_recognise, Input::Line),
    en("recognise", |t| t.channel_recognise, Input::Line),
];

const HOLIDAY_FIELDS: &[Field] = &[
    field("date", |t| t.date, Input::Date),
    vi("name", |t| t.holiday_name, Input::Line),
    en("name", |t| t.holiday_name, Input::Line),
    field("confirmed", |t| t.confirmed, Input::Check),
];

const CLOSURE_FIELDS: &[Field] = &[
    field("from", |t| t.from, Input::Date),
    field("to", |t| t.to, Input::Date),
    vi("reason", |t| t.reason, Input::Line),
    en("reason", |t| t.reason, Input::Line),
    field("hours", |t| t.closed_hours, Input::Line),
];

const fn day(key: &'static str, day: Weekday) -> Field {
    Field {
        key,
        lang: None,
        label: Label::Day(day),
        input: Input::Line,
    }
}

const HOURS_FIELDS: &[Field] = &[
    day("opening_hours.mon", Weekday::Mon),
    day("opening_hours.tue", Weekday::Tue),
    day("opening_hours.wed", Weekday::Wed),
    day("opening_hours.thu", Weekday::Thu),
    day("opening_hours.fri", Weekday::Fri),
    day("opening_hours.sat", Weekday::Sat),
    day("opening_hours.sun", Weekday::Sun),
    vi("hours_note", |t| t.hours_note, Input::Line),
    en("hours_note", |t| t.hours_note, Input::Line),
];

const ANSWER_FIELDS: &[Field] = &[
    field("id", |t| t.answer_id, Input::Line),
    field("procedure", |t| t.answer_procedure, Input::Procedure),
    field("published", |t| t.published, Input::Date),
    field("checked", |t| t.answer_checked, Input::Date),
    vi("question", |t| t.answer_question, Input::Area),
    en("question", |t| t.answer_question, Input::Area),
    vi("answer", |t| t.answer_text, Input::Area),
    en("answer", |t| t.answer_text, Input::Area),
    field("legal_basis", |t| t.answer_basis, Input::Area),
];

/// Where in a published answer's row each value is (`ANSWER_FIELDS`).
const ANSWER_PROCEDURE: usize = 1;
const ANSWER_QUESTION_VI: usize = 4;
const ANSWER_TEXT_VI: usize = 6;
const ANSWER_BASIS: usize = 8;

/// A section's form: its fields, and for a list the file's key of the list (the rows' paths
/// are `items[3].title`); the hours are one record.
struct SectionForm {
    section: Section,
    title: Pick,
    list: Option<&'static str>,
    fields: &'static [Field],
}

const SECTIONS: [SectionForm; 6] = [
    SectionForm {
        section: Section::News,
        title: |t| t.section_news,
        list: Some("items"),
        fields: NEWS_FIELDS,
    },
    SectionForm {
        section: Section::Closures,
        title: |t| t.section_closures,
        list: Some("closures"),
        fields: CLOSURE_FIELDS,
    },
    SectionForm {
        section: Section::Hours,
        title: |t| t.section_hours,
        list: None,
        fields: HOURS_FIELDS,
    },
    SectionForm {
        section: Section::Channels,
        title: |t| t.section_channels,
        list: Some("channels"),
        fields: CHANNEL_FIELDS,
    },
    SectionForm {
        section: Section::Holidays,
        title: |t| t.section_holidays,
        list: Some("holidays"),
        fields: HOLIDAY_FIELDS,
    },
    SectionForm {
        section: Section::Answers,
        title: |t| t.section_answers,
        list: Some("answers"),
        fields: ANSWER_FIELDS,
    },
];

/// The files as the desk read them, with the revision each was at, and the procedures the
/// published answers may be about.
#[derive(Clone)]
struct Current {
    news: Arc<News>,
    station: Arc<Station>,
    plan: Arc<Plan>,
    answers: Arc<PublicAnswers>,
    /// answers.json as read: what "Export" saves.
    answers_text: Arc<str>,
    catalog: Arc<Catalog>,
    overview: ContentOverview,
}

impl Current {
    fn revision(&self, section: Section) -> i64 {
        let file = section.file();
        self.overview
            .files
            .iter()
            .find(|f| f.file == file)
            .map_or(0, |f| f.revision)
    }
}

/// A row of a form: one value per field, as typed (a tick is "true" or "").
type Row = Vec<RwSignal<String>>;

fn row_of(values: Vec<String>) -> Row {
    values.into_iter().map(RwSignal::new).collect()
}

fn text(value: &str) -> String {
    value.to_owned()
}

fn tick(value: bool) -> String {
    if value {
        "true".into()
    } else {
        String::new()
    }
}

fn pair(text: &Localized) -> [String; 2] {
    [text.vi.clone(), text.en.clone()]
}

fn maybe_pair(text: &Option<Localized>) -> [String; 2] {
    text.as_ref().map(pair).unwrap_or_default()
}

/// The rows of `section` as the files hold it now.
fn rows_of(section: Section, current: &Current) -> Vec<Vec<String>> {
    match section {
        Section::News => current
            .news
            .items
            .iter()
            .map(|item| {
                let [title_vi, title_en] = pair(&item.title);
                let [body_vi, body_en] = pair(&item.body);
                let [advice_vi, advice_en] = maybe_pair(&item.advice);
                let [source_vi, source_en] = maybe_pair(&item.source);
                vec![
                    text(crate::domain::named::name_of(item.kind)),
                    item.published.clone(),
                    tick(item.pinned),
                    item.expires.clone().unwrap_or_default(),
                    item.since.clone().unwrap_or_default(),
                    title_vi,
                    title_en,
                    body_vi,
                    body_en,
                    advice_vi,
                    advice_en,
                    source_vi,
                    source_en,
                ]
            })
            .collect(),
        Section::Channels => current
            .station
            .channels
            .iter()
            .map(|channel| {
                let [name_vi, name_en] = pair(&channel.name);
                let [recognise_vi, recognise_en] = maybe_pair(&channel.recognise);
                vec![
                    text(crate::domain::named::name_of(channel.kind)),
                    channel.address.clone(),
                    name_vi,
                    name_en,
                    recognise_vi,
                    recognise_en,
                ]
            })
            .collect(),
        Section::Holidays => current
            .plan
            .holidays
            .iter()
            .map(|holiday| {
                let [name_vi, name_en] = pair(&holiday.name);
                vec![
                    holiday.date.clone(),
                    name_vi,
                    name_en,
                    tick(holiday.confirmed),
                ]
            })
            .collect(),
        Section::Closures => current
            .plan
            .closures
            .iter()
            .map(|closure| {
                let [reason_vi, reason_en] = pair(&closure.reason);
                vec![
                    closure.from.clone(),
                    closure.to.clone(),
                    reason_vi,
                    reason_en,
                    closure.hours.clone().unwrap_or_default(),
                ]
            })
            .collect(),
        Section::Answers => current.answers.answers.iter().map(answer_row).collect(),
        Section::Hours => {
            let hours = &current.station.opening_hours;
            let mut row: Vec<String> = Weekday::ALL
                .iter()
                .map(|day| hours.raw(*day).join(", "))
                .collect();
            row.extend(pair(&current.station.hours_note));
            vec![row]
        }
    }
}

/// A published answer as a row of `ANSWER_FIELDS`.
fn answer_row(answer: &PublicAnswer) -> Vec<String> {
    let [question_vi, question_en] = pair(&answer.question);
    let [answer_vi, answer_en] = pair(&answer.answer);
    vec![
        answer.id.clone(),
        answer.procedure.clone().unwrap_or_default(),
        answer.published.clone(),
        answer.checked.clone(),
        question_vi,
        question_en,
        answer_vi,
        answer_en,
        answer.legal_basis.join("\n"),
    ]
}

/// What a new row starts with.
fn blank_row(section: Section, today: chrono::NaiveDate) -> Vec<String> {
    let today = crate::domain::time::format_iso_date(today);
    let mut row = vec![String::new(); form_of(section).fields.len()];
    match section {
        Section::News => {
            row[0] = "warning".into();
            row[1] = today.clone();
            row[4] = today;
        }
        Section::Channels => row[0] = "zalo".into(),
        Section::Holidays => {
            row[0] = today;
            row[3] = tick(true);
        }
        Section::Closures => {
            row[0] = today.clone();
            row[1] = today;
        }
        Section::Answers => {
            row[2] = today.clone();
            row[3] = today;
        }
        Section::Hours => {}
    }
    row
}

fn form_of(section: Section) -> &'static SectionForm {
    SECTIONS
        .iter()
        .find(|form| form.section == section)
        .unwrap_or(&SECTIONS[0])
}

/// Both languages from two boxes: an English left empty shows the Vietnamese until translated
/// (the files need both; the desk asks only for the Vietnamese).
fn both(vi: &str, en: &str) -> Localized {
    let vi = vi.trim().to_owned();
    let en = if en.trim().is_empty() {
        vi.clone()
    } else {
        en.trim().to_owned()
    };
    Localized { vi, en }
}

fn maybe_both(vi: &str, en: &str) -> Option<Localized> {
    (!vi.trim().is_empty() || !en.trim().is_empty()).then(|| both(vi, en))
}

fn maybe(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

#[derive(Serialize)]
struct NewsValue {
    items: Vec<NewsItem>,
}

#[derive(Serialize)]
struct ChannelsValue {
    channels: Vec<Channel>,
}

#[derive(Serialize)]
struct HolidaysValue {
    holidays: Vec<Holiday>,
}

#[derive(Serialize)]
struct ClosuresValue {
    closures: Vec<Closure>,
}

#[derive(Serialize)]
struct AnswersValue {
    answers: Vec<PublicAnswer>,
}

#[derive(Serialize)]
struct HoursValue {
    opening_hours: WeeklyHours,
    hours_note: Localized,
}

/// Why a draft was not saved: the server's problems beside the fields, or its sentence.
#[derive(Clone)]
enum Outcome {
    Saved,
    Refused(Vec<ContentProblem>),
    Failed(Failure),
}

async fn send_draft<V: Serialize>(
    session: &StaffSession,
    section: Section,
    base_revision: i64,
    value: V,
    note: String,
) -> Outcome {
    let draft = NewDraft {
        section,
        base_revision,
        value,
        note,
    };
    let answer = call_keeping_refusal::<Draft>(
        "POST",
        "/staff/content/drafts",
        &[(CSRF_HEADER, &session.csrf_token)],
        Some(&draft),
    )
    .await;
    match answer {
        Ok(_) => Outcome::Saved,
        Err((failure, body)) if failure.refused_as("invalid_content") => {
            match json::from_str::<ContentRefused>(&body) {
                Ok(refused) => Outcome::Refused(refused.problems),
                Err(_) => Outcome::Failed(failure),
            }
        }
        Err((failure, _)) => Outcome::Failed(failure),
    }
}

/// The draft of `section` from its rows, sent.
async fn save(
    session: &StaffSession,
    section: Section,
    base: i64,
    rows: Vec<Vec<String>>,
    note: String,
) -> Outcome {
    let kind_of = |name: &str| {
        use crate::domain::named::Named;
        NewsKind::NAMES
            .iter()
            .position(|n| *n == name)
            .map_or(NewsKind::Warning, |i| NewsKind::VALUES[i])
    };
    let channel_of = |name: &str| {
        use crate::domain::named::Named;
        ChannelKind::NAMES
            .iter()
            .position(|n| *n == name)
            .map_or(ChannelKind::Website, |i| ChannelKind::VALUES[i])
    };
    match section {
        Section::News => {
            let items = rows
                .iter()
                .map(|r| NewsItem {
                    kind: kind_of(&r[0]),
                    published: r[1].trim().to_owned(),
                    pinned: !r[2].is_empty(),
                    expires: maybe(&r[3]),
                    since: maybe(&r[4]),
                    title: both(&r[5], &r[6]),
                    body: both(&r[7], &r[8]),
                    advice: maybe_both(&r[9], &r[10]),
                    source: maybe_both(&r[11], &r[12]),
                })
                .collect();
            send_draft(session, section, base, NewsValue { items }, note).await
        }
        Section::Channels => {
            let channels = rows
                .iter()
                .map(|r| Channel {
                    kind: channel_of(&r[0]),
                    address: r[1].trim().to_owned(),
                    name: both(&r[2], &r[3]),
                    recognise: maybe_both(&r[4], &r[5]),
                })
                .collect();
            send_draft(session, section, base, ChannelsValue { channels }, note).await
        }
        Section::Holidays => {
            let holidays = rows
                .iter()
                .map(|r| Holiday {
                    date: r[0].trim().to_owned(),
                    name: both(&r[1], &r[2]),
                    confirmed: !r[3].is_empty(),
                })
                .collect();
            send_draft(session, section, base, HolidaysValue { holidays }, note).await
        }
        Section::Closures => {
            let closures = rows
                .iter()
                .map(|r| Closure {
                    from: r[0].trim().to_owned(),
                    to: r[1].trim().to_owned(),
                    reason: both(&r[2], &r[3]),
                    hours: maybe(&r[4]),
                })
                .collect();
            send_draft(session, section, base, ClosuresValue { closures }, note).await
        }
        Section::Answers => {
            let answers = rows
                .iter()
                .map(|r| {
                    let question = both(&r[ANSWER_QUESTION_VI], &r[ANSWER_QUESTION_VI + 1]);
                    // An id left empty is made from the question, so a new answer needs none.
                    let id = maybe(&r[0]).unwrap_or_else(|| answer_id(&question.vi));
                    PublicAnswer {
                        id,
                        procedure: maybe(&r[ANSWER_PROCEDURE]),
                        published: r[2].trim().to_owned(),
                        checked: r[3].trim().to_owned(),
                        question,
                        answer: both(&r[ANSWER_TEXT_VI], &r[ANSWER_TEXT_VI + 1]),
                        legal_basis: r[ANSWER_BASIS]
                            .lines()
                            .map(str::trim)
                            .filter(|line| !line.is_empty())
                            .map(str::to_owned)
                            .collect(),
                    }
                })
                .collect();
            send_draft(session, section, base, AnswersValue { answers }, note).await
        }
        Section::Hours => {
            let empty = Vec::new();
            let r = rows.first().unwrap_or(&empty);
            let day = |i: usize| -> Vec<String> {
                r.get(i)
                    .map(|text| {
                        text.split(',')
                            .map(|p| p.trim().to_owned())
                            .filter(|p| !p.is_empty())
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let note_of = |i: usize| r.get(i).map_or("", String::as_str);
            let value = HoursValue {
                opening_hours: WeeklyHours {
                    mon: day(0),
                    tue: day(1),
                    wed: day(2),
                    thu: day(3),
                    fri: day(4),
                    sat: day(5),
                    sun: day(6),
                },
                hours_note: both(note_of(7), note_of(8)),
            };
            send_draft(session, section, base, value, note).await
        }
    }
}

/// Whether a problem's field (`news.json:items[2].title`) is at `path` or below it.
fn is_at(problem: &ContentProblem, path: &str) -> bool {
    let field = problem
        .field
        .split_once(':')
        .map_or(problem.field.as_str(), |(_, f)| f);
    field == path
        || field
            .strip_prefix(path)
            .is_some_and(|rest| rest.starts_with('[') || rest.starts_with('.'))
}

fn problem_text(problem: &ContentProblem, lang: Lang) -> String {
    match lang {
        Lang::Vi => problem.message_vi.clone(),
        Lang::En => problem.message_en.clone(),
    }
}

/// Reads the three files and the desk's overview afresh.
async fn load_current() -> Result<Current, Failure> {
    use crate::platform::fetch::fetch_text;
    let overview = call::<ContentOverview>("GET", "/staff/content", &[], None::<&()>).await?;
    let read = |text: Result<String, _>| text.map_err(|_| Failure::Unreachable);
    let news: News = json::from_str(&read(fetch_text(crate::domain::news::NEWS_FILE).await)?)
        .map_err(|_| Failure::NoService)?;
    let station: Station = json::from_str(&read(
        fetch_text(crate::domain::station::STATION_FILE).await,
    )?)
    .map_err(|_| Failure::NoService)?;
    let plan: Plan = json::from_str(&read(
        fetch_text(crate::domain::schedule::SCHEDULE_FILE).await,
    )?)
    .map_err(|_| Failure::NoService)?;
    let answers_text = read(fetch_text(crate::domain::public_answers::ANSWERS_FILE).await)?;
    let answers: PublicAnswers = json::from_str(&answers_text).map_err(|_| Failure::NoService)?;
    let catalog: Catalog = json::from_str(&read(
        fetch_text(crate::domain::catalog::CATALOG_FILE).await,
    )?)
    .map_err(|_| Failure::NoService)?;
    Ok(Current {
        news: Arc::new(news),
        station: Arc::new(station),
        plan: Arc::new(plan),
        answers: Arc::new(answers),
        answers_text: answers_text.into(),
        catalog: Arc::new(catalog),
        overview,
    })
}

/// A section's form as the editor left it. The desk is drawn again from the server after each
/// save or approval; these belong to the desk, not to the form drawn, so what is typed in one
/// section survives saving another and "saved" or the problems stay said.
#[derive(Clone, Copy)]
struct SectionState {
    /// The section as the file held it when the rows were filled: they are filled again only
    /// when the section itself is published anew, not when another section of the same file
    /// is (the hours published must not refill the channels being typed).
    filled_from: RwSignal<Option<Vec<Vec<String>>>>,
    rows: RwSignal<Vec<Row>>,
    note: RwSignal<String>,
    outcome: RwSignal<Option<Outcome>>,
}

/// What the desk keeps across its reloads, created with it.
#[derive(Clone)]
struct Kept {
    /// The desk's owner: row signals are made under it, so a redraw does not drop them.
    owner: Owner,
    sections: Vec<SectionState>,
    /// The last approval's or restore's answer.
    drafts_said: RwSignal<Option<Result<Published, Failure>>>,
    history_said: RwSignal<Option<Result<Published, Failure>>>,
}

/// The content desk, for editors and admins.
#[component]
pub fn ContentDesk(session: StaffSession, admin: bool) -> impl IntoView {
    let app = use_app();
    let current = RwSignal::new(None::<Result<Current, Failure>>);
    let kept = Kept {
        owner: Owner::current().unwrap_or_default(),
        sections: SECTIONS
            .iter()
            .map(|_| SectionState {
                filled_from: RwSignal::new(None),
                rows: RwSignal::new(Vec::new()),
                note: RwSignal::new(String::new()),
                outcome: RwSignal::new(None),
            })
            .collect(),
        drafts_said: RwSignal::new(None),
        history_said: RwSignal::new(None),
    };
    let reload = move || {
        leptos::task::spawn_local(async move {
            current.set(Some(load_current().await));
        });
    };
    reload();
    let session = Arc::new(session);
    let body = move || {
        let session = session.clone();
        match current.get() {
            None => view! { <p role="status">{move || app.t().loading}</p> }.into_any(),
            Some(Err(failure)) => view! {
                <p class="notice notice-error" role="alert">
                    {tr_content(|t| t.not_loaded)}" "{move || failure_text(&failure, app.lang.get())}
                </p>
            }
            .into_any(),
            Some(Ok(loaded)) => view! {
                <Drafts session=session.clone() current=loaded.clone() reload said=kept.drafts_said />
                <Posters current=loaded.clone() />
                {SECTIONS.iter().zip(&kept.sections).map(|(form, state)| view! {
                    <SectionEditor session=session.clone() form current=loaded.clone() reload state=*state owner=kept.owner.clone() />
                }).collect_view()}
                <History session=session.clone() current=loaded.clone() reload said=kept.history_said />
                {admin.then(|| view! { <Settings session=session.clone() settings=loaded.overview.settings /> })}
            }
            .into_any(),
        }
    };
    view! {
        <section class="no-print content-desk" aria-labelledby="content-title">
            <h2 id="content-title">{tr_content(|t| t.title)}</h2>
            <p>{tr_content(|t| t.intro)}</p>
            {body}
        </section>
    }
}

#[component]
fn SectionEditor(
    session: Arc<StaffSession>,
    form: &'static SectionForm,
    current: Current,
    reload: impl Fn() + Copy + Send + Sync + 'static,
    state: SectionState,
    owner: Owner,
) -> impl IntoView {
    let app = use_app();
    let section = form.section;
    let base = current.revision(section);
    let catalog = current.catalog.clone();
    let SectionState {
        filled_from,
        rows,
        note,
        outcome,
    } = state;
    let in_file = rows_of(section, &current);
    if filled_from.with_untracked(|filled| filled.as_ref() != Some(&in_file)) {
        let filled = owner.with(|| in_file.iter().cloned().map(row_of).collect());
        rows.set(filled);
        filled_from.set(Some(in_file));
    }
    let problems = Signal::derive(move || match outcome.get() {
        Some(Outcome::Refused(problems)) => problems,
        _ => Vec::new(),
    });
    let name = section.as_str();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let session = session.clone();
        let typed: Vec<Vec<String>> = rows
            .get_untracked()
            .iter()
            .map(|row| row.iter().map(|value| value.get_untracked()).collect())
            .collect();
        let why = note.get_untracked();
        leptos::task::spawn_local(async move {
            let result = save(&session, section, base, typed, why).await;
            if matches!(result, Outcome::Saved) {
                note.set(String::new());
                outcome.set(Some(Outcome::Saved));
                reload();
            } else {
                outcome.set(Some(result));
            }
        });
    };
    let today = crate::platform::clock::office_today();
    let add = {
        let owner = owner.clone();
        move |_| {
            let blank = owner.with(|| row_of(blank_row(section, today)));
            rows.update(|rows| rows.push(blank));
        }
    };
    let drawn_rows = move || {
        let list = rows.get();
        list.into_iter()
            .enumerate()
            .map(|(index, row)| {
                let path = form
                    .list
                    .map_or(String::new(), |list| format!("{list}[{index}]."));
                let remove = move |_| {
                    rows.update(|rows| {
                        if index < rows.len() {
                            rows.remove(index);
                        }
                    })
                };
                view! {
                    <fieldset class="content-item">
                        {form.list.map(|_| view! {
                            <legend>{move || (content_messages(app.lang.get()).item)(index + 1)}</legend>
                        })}
                        <div class="content-fields">
                            {form.fields.iter().zip(row).enumerate().map(|(at, (field, value))| {
                                let id = format!("c-{name}-{index}-{at}");
                                field_view(field, id, value, format!("{path}{}", field.key), problems, catalog.clone())
                            }).collect_view()}
                        </div>
                        {form.list.map(|_| view! {
                            <p><button type="button" class="button button-small button-secondary" on:click=remove>
                                {tr_content(|t| t.remove)}
                                <span class="visually-hidden">" "{move || (content_messages(app.lang.get()).item)(index + 1)}</span>
                            </button></p>
                        })}
                    </fieldset>
                }
            })
            .collect_view()
    };
    // An answer an officer chose to publish from the inbox: a new row, filled in, focused.
    if section == Section::Answers {
        if let Some(seeds) = use_context::<AnswerSeeds>() {
            let owner = owner.clone();
            Effect::new(move |_| {
                let taken = seeds
                    .0
                    .with(|s| !s.is_empty())
                    .then(|| seeds.0.write().drain(..).collect::<Vec<_>>());
                let Some(taken) = taken else { return };
                let today = crate::platform::clock::office_today();
                let mut first_new = None;
                for seed in taken {
                    let mut row = blank_row(section, today);
                    row[ANSWER_PROCEDURE] = seed.procedure;
                    row[ANSWER_QUESTION_VI] = seed.question;
                    row[ANSWER_TEXT_VI] = seed.answer;
                    row[ANSWER_BASIS] = seed.legal_basis.join("\n");
                    let row = owner.with(|| row_of(row));
                    rows.update(|rows| {
                        first_new.get_or_insert(rows.len());
                        rows.push(row);
                    });
                }
                if let Some(index) = first_new {
                    let id = format!("c-{}-{index}-{ANSWER_QUESTION_VI}", section.as_str());
                    request_animation_frame(move || crate::platform::document::focus(&id));
                }
            });
        }
    }
    let pack = (section == Section::Answers).then(|| {
        view! { <AnswersPack current=current.clone() rows owner=owner.clone() /> }
    });
    let (heading_id, heading_for) = (format!("content-{name}"), format!("content-{name}"));
    let (note_id, note_for) = (format!("c-{name}-note"), format!("c-{name}-note"));
    let said = move || {
        outcome.get().map(|outcome| match outcome {
            Outcome::Saved => view! {
                <p class="notice notice-success" role="status">{tr_content(|t| t.saved)}</p>
            }
            .into_any(),
            Outcome::Refused(problems) => view! {
                <div class="notice notice-error" role="alert">
                    <p><strong>{tr_content(|t| t.refused)}</strong></p>
                    <ul>
                        {problems.into_iter().map(|problem| {
                            let shown = problem.clone();
                            view! { <li>{problem.field.clone()}": "{move || problem_text(&shown, app.lang.get())}</li> }
                        }).collect_view()}
                    </ul>
                </div>
            }
            .into_any(),
            Outcome::Failed(failure) => view! {
                <p class="notice notice-error" role="alert">{move || failure_text(&failure, app.lang.get())}</p>
            }
            .into_any(),
        })
    };
    view! {
        <section class="content-section" aria-labelledby=heading_for>
            <h3 id=heading_id>
                {tr_content(form.title)}" "
                <span class="content-revision">"("{move || (content_messages(app.lang.get()).revision)(base)}")"</span>
            </h3>
            <p class="hint">{tr_content(|t| t.en_may_follow)}</p>
            <form novalidate on:submit=submit>
                {said}
                {drawn_rows}
                {form.list.map(|_| view! {
                    <p><button type="button" class="button button-secondary" on:click=add>{tr_content(|t| t.add)}</button></p>
                })}
                {pack}
                <div class="field">
                    <label for=note_for>{tr_content(|t| t.note)}</label>
                    <p class="hint">{tr_content(|t| t.note_hint)}</p>
                    <input id=note_id type="text" prop:value=move || note.get() on:input=move |e| note.set(event_target_value(&e)) />
                </div>
                <p><button type="submit" class="button">{tr_content(|t| t.save_draft)}</button></p>
            </form>
        </section>
    }
}

/// One field with its label, and the server's problems for it beside it (on the Vietnamese
/// box of a pair).
fn field_view(
    field: &'static Field,
    id: String,
    value: RwSignal<String>,
    path: String,
    problems: Signal<Vec<ContentProblem>>,
    catalog: Arc<Catalog>,
) -> AnyView {
    let app = use_app();
    let label = move || {
        let lang = app.lang.get();
        let words = content_messages(lang);
        let name = match field.label {
            Label::Word(pick) => pick(words).to_owned(),
            Label::Day(day) => (words.weekday_hours)(app.t().weekday(day)),
        };
        match field.lang {
            Some(Lang::Vi) => format!("{name} ({})", words.vi),
            Some(Lang::En) => format!("{name} ({})", words.en),
            None => name,
        }
    };
    let shows_problems = field.lang != Some(Lang::En);
    let error_id = format!("{id}-error");
    let here = {
        let path = path.clone();
        move || {
            if !shows_problems {
                return Vec::new();
            }
            problems
                .get()
                .into_iter()
                .filter(|problem| is_at(problem, &path))
                .collect::<Vec<_>>()
        }
    };
    let described = {
        let (here, error_id) = (here.clone(), error_id.clone());
        move || (!here().is_empty()).then(|| error_id.clone())
    };
    let has_problem = {
        let here = here.clone();
        move || here().iter().any(|p| p.error).to_string()
    };
    let errors = {
        let error_id = error_id.clone();
        move || {
            let found = here();
            (!found.is_empty()).then(|| {
                let lang = app.lang.get();
                let warning = content_messages(lang).warning;
                view! {
                    <p class="field-error" id=error_id.clone()>
                        {found.iter().map(|p| if p.error { problem_text(p, lang) } else { format!("{warning}: {}", problem_text(p, lang)) }).collect::<Vec<_>>().join(" ")}
                    </p>
                }
            })
        }
    };
    let lang_attr = field.lang.map(Lang::tag);
    let label_for = id.clone();
    match field.input {
        Input::Check => view! {
            <div class="check-item">
                <input type="checkbox" id=id prop:checked=move || !value.get().is_empty()
                    on:change=move |e| value.set(tick(event_target_checked(&e))) />
                <label for=label_for>{label}</label>
            </div>
        }
        .into_any(),
        Input::Choice(choices) => view! {
            <div class="field">
                <label for=label_for>{label}</label>
                {errors}
                <select id=id on:change=move |e| value.set(event_target_value(&e))>
                    {choices.iter().map(|(key, pick)| {
                        let key = *key;
                        let pick = *pick;
                        view! { <option value=key selected=move || value.get() == key>{tr_content(pick)}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
        .into_any(),
        Input::Procedure => view! {
            <div class="field">
                <label for=label_for>{label}</label>
                {errors}
                <select id=id on:change=move |e| value.set(event_target_value(&e))>
                    <option value="" selected=move || value.get().is_empty()>{tr_content(|t| t.answer_no_procedure)}</option>
                    {catalog.procedures.iter().map(|p| {
                        let key = p.id.clone();
                        let chosen = key.clone();
                        view! { <option value=key selected=move || value.get() == chosen>{crate::ui::text::loc(p.title.clone())}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
        .into_any(),
        Input::Area => view! {
            <div class="field">
                <label for=label_for>{label}</label>
                {errors}
                <textarea id=id rows="3" lang=lang_attr aria-describedby=described aria-invalid=has_problem
                    prop:value=move || value.get() on:input=move |e| value.set(event_target_value(&e))></textarea>
            </div>
        }
        .into_any(),
        Input::Line | Input::Date => {
            let kind = if matches!(field.input, Input::Date) { "date" } else { "text" };
            view! {
                <div class="field">
                    <label for=label_for>{label}</label>
                    {errors}
                    <input id=id type=kind lang=lang_attr aria-describedby=described aria-invalid=has_problem
                        prop:value=move || value.get() on:input=move |e| value.set(event_target_value(&e)) />
                </div>
            }
            .into_any()
        }
    }
}

/// A step on a draft or a revision, with the session's anti-forgery token and `If-Match`.
async fn step<T: for<'de> Deserialize<'de>>(
    session: &StaffSession,
    path: &str,
    revision: Option<i64>,
) -> Result<T, Failure> {
    let matching = revision.map(|r| format!("\"{r}\""));
    let mut headers = vec![(CSRF_HEADER, session.csrf_token.as_str())];
    if let Some(matching) = &matching {
        headers.push(("If-Match", matching.as_str()));
    }
    call("POST", path, &headers, None::<&()>).await
}

/// Answers the officers' inbox hands to the desk to publish (#29), given by the staff page.
#[derive(Clone, Copy)]
pub struct AnswerSeeds(pub RwSignal<Vec<AnswerSeed>>);

/// A question and its answer as the officer sent them: the desk's new row starts from these,
/// and the officer rewrites them without anything personal before saving.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AnswerSeed {
    pub procedure: String,
    pub question: String,
    pub answer: String,
    /// The procedure's own legal basis, to keep or trim.
    pub legal_basis: Vec<String>,
}

/// "Export" and "Import" of the published answers: a pack is answers.json itself, so one
/// station's good answers can serve others; an import only fills the form (new ids only), and
/// is published like any other edit, checked and approved.
#[component]
fn AnswersPack(current: Current, rows: RwSignal<Vec<Row>>, owner: Owner) -> impl IntoView {
    let app = use_app();
    let said = RwSignal::new(None::<Result<(usize, usize), ()>>);
    let text = current.answers_text.clone();
    let station = current.station.name.vi.clone();
    let export = move |_| {
        let today = crate::domain::time::format_iso_date(crate::platform::clock::office_today());
        let name = format!(
            "answers-{}-{today}.json",
            crate::domain::public_answers::answer_id(&station)
        );
        let _ = crate::platform::download::download_text(&name, "application/json", &text);
    };
    let import = move |event: leptos::ev::Event| {
        let owner = owner.clone();
        leptos::task::spawn_local(async move {
            let Ok(Some(text)) = crate::platform::download::chosen_file_text(&event).await else {
                said.set(Some(Err(())));
                return;
            };
            let Ok(pack) = json::from_str::<PublicAnswers>(&text) else {
                said.set(Some(Err(())));
                return;
            };
            let existing: Vec<String> = rows.with_untracked(|rows| {
                rows.iter()
                    .map(|row| row.first().map(|id| id.get_untracked()).unwrap_or_default())
                    .collect()
            });
            let (new, known) = PublicAnswers::new_in_pack(&existing, &pack);
            let added = new.len();
            let new_rows: Vec<Row> =
                owner.with(|| new.into_iter().map(|a| row_of(answer_row(a))).collect());
            rows.update(|rows| rows.extend(new_rows));
            said.set(Some(Ok((added, known))));
        });
    };
    view! {
        <div class="answers-pack">
            <h4>{tr_content(|t| t.pack_title)}</h4>
            <p class="hint">{tr_content(|t| t.pack_hint)}</p>
            <p><button type="button" class="button button-secondary" on:click=export>{tr_content(|t| t.pack_export)}</button></p>
            <div class="field">
                <label for="answers-pack-file">{tr_content(|t| t.pack_import)}</label>
                <input id="answers-pack-file" type="file" accept=".json,application/json" on:change=import />
            </div>
            {move || said.get().map(|outcome| match outcome {
                Ok((added, known)) => view! {
                    <p class="notice notice-success" role="status">{move || (content_messages(app.lang.get()).pack_imported)(added, known)}</p>
                }.into_any(),
                Err(()) => view! {
                    <p class="notice notice-error" role="alert">{tr_content(|t| t.pack_unreadable)}</p>
                }.into_any(),
            })}
        </div>
    }
}

fn section_title(section: Section) -> Pick {
    form_of(section).title
}

#[component]
fn Drafts(
    session: Arc<StaffSession>,
    current: Current,
    reload: impl Fn() + Copy + Send + Sync + 'static,
    said: RwSignal<Option<Result<Published, Failure>>>,
) -> impl IntoView {
    let app = use_app();
    let drafts = current.overview.drafts.clone();
    let me = session.username.clone();
    let open: Vec<Draft> = drafts
        .into_iter()
        .filter(|d| d.status == DraftStatus::Open)
        .collect();
    let rows = open
        .into_iter()
        .map(|draft| {
            let id = draft.id;
            let mine = draft.author == me;
            let section = draft.section;
            let author = draft.author.clone();
            let line = move || {
                let t = content_messages(app.lang.get());
                (t.draft_line)(id, section_title(section)(t), &author, t.status_open)
            };
            let act = |verb: &'static str, revision: Option<i64>| {
                let session = session.clone();
                move |_| {
                    let session = session.clone();
                    leptos::task::spawn_local(async move {
                        let path = format!("/staff/content/drafts/{id}/{verb}");
                        match verb {
                            "approve" => {
                                said.set(Some(step::<Published>(&session, &path, revision).await));
                            }
                            _ => {
                                if let Err(failure) = step::<Draft>(&session, &path, None).await {
                                    said.set(Some(Err(failure)));
                                }
                            }
                        }
                        reload();
                    });
                }
            };
            let approve = act("approve", Some(draft.base_revision));
            let reject = act("reject", None);
            let withdraw = act("withdraw", None);
            let touched = draft.touched_bookings.clone();
            let count = touched.len();
            let note = draft.note.clone();
            view! {
                <li class="content-draft">
                    <p><strong>{line}</strong>" · "{office_moment(draft.created_ms)}</p>
                    {(!note.is_empty()).then(|| view! { <p>{note}</p> })}
                    <pre class="content-difference">{draft.difference.clone()}</pre>
                    {(count > 0).then(|| view! {
                        <p class="notice notice-warning">{move || (content_messages(app.lang.get()).touched)(count)}</p>
                        <table class="touched-bookings">
                            <thead><tr>
                                {(0..6).map(|i| view! { <th scope="col">{move || content_messages(app.lang.get()).touched_head[i]}</th> }).collect_view()}
                            </tr></thead>
                            <tbody>
                                {touched.into_iter().map(|b| view! {
                                    <tr><td>{b.code}</td><td>{b.date}</td><td>{b.start}</td><td>{b.procedure}</td><td>{b.name}</td><td>{b.phone}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    })}
                    <p class="actions">
                        <button type="button" class="button" on:click=approve>{tr_content(|t| t.approve)}<span class="visually-hidden">" "{id}</span></button>" "
                        {if mine {
                            view! { <button type="button" class="button button-secondary" on:click=withdraw>{tr_content(|t| t.withdraw)}<span class="visually-hidden">" "{id}</span></button> }.into_any()
                        } else {
                            view! { <button type="button" class="button button-secondary" on:click=reject>{tr_content(|t| t.reject)}<span class="visually-hidden">" "{id}</span></button> }.into_any()
                        }}
                    </p>
                </li>
            }
        })
        .collect_view();
    let empty = current
        .overview
        .drafts
        .iter()
        .all(|d| d.status != DraftStatus::Open);
    view! {
        <section class="content-drafts" aria-labelledby="content-drafts-title">
            <h3 id="content-drafts-title">{tr_content(|t| t.drafts_title)}</h3>
            {move || said.get().map(|said| match said {
                Ok(published) => view! {
                    <p class="notice notice-success" role="status">{move || (content_messages(app.lang.get()).published_done)(&published.file, published.revision)}</p>
                }.into_any(),
                Err(failure) => view! {
                    <p class="notice notice-error" role="alert">{move || failure_text(&failure, app.lang.get())}</p>
                }.into_any(),
            })}
            {empty.then(|| view! { <p>{tr_content(|t| t.no_drafts)}</p> })}
            <ul class="plain-list">{rows}</ul>
        </section>
    }
}

/// What `GET …/revisions/{file}/{n}` answers that the desk shows.
#[derive(Clone, Deserialize)]
struct RevisionChange {
    difference: String,
}

#[component]
fn History(
    session: Arc<StaffSession>,
    current: Current,
    reload: impl Fn() + Copy + Send + Sync + 'static,
    said: RwSignal<Option<Result<Published, Failure>>>,
) -> impl IntoView {
    let app = use_app();
    let chosen = RwSignal::new(None::<String>);
    let revisions = RwSignal::new(Vec::<RevisionInfo>::new());
    let shown = RwSignal::new(None::<(i64, String)>);
    let files = current.overview.files.clone();
    let open = move |file: String| {
        chosen.set(Some(file.clone()));
        shown.set(None);
        leptos::task::spawn_local(async move {
            let path = format!("/staff/content/revisions/{file}");
            revisions.set(
                call::<Vec<RevisionInfo>>("GET", &path, &[], None::<&()>)
                    .await
                    .unwrap_or_default(),
            );
        });
    };
    let buttons = crate::domain::content_desk::EDITABLE_FILES
        .iter()
        .map(|file| {
            let file = (*file).to_owned();
            let revision = files.iter().find(|f| f.file == file).map_or(0, |f| f.revision);
            let label = format!("{file} · ");
            let open_it = {
                let file = file.clone();
                move |_| open(file.clone())
            };
            view! {
                <li>
                    {label}{move || (content_messages(app.lang.get()).revision)(revision)}" "
                    <button type="button" class="button button-small button-secondary" on:click=open_it>
                        {tr_content(|t| t.show_history)}<span class="visually-hidden">" "{file.clone()}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    let current_revision = move |file: &str| files_revision(&current, file);
    let list = move || {
        let file = chosen.get()?;
        let session = session.clone();
        Some(revisions.get().into_iter().map(|info| {
            let n = info.revision;
            let change = info.change.clone();
            let who = [info.drafted_by.clone(), info.approved_by.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            let when = office_moment(info.at_ms);
            let line = move || {
                let t = content_messages(app.lang.get());
                let change = match change.as_str() {
                    "original" => t.change_names[0].to_owned(),
                    "restore" => t.change_names[1].to_owned(),
                    "server_file" => t.change_names[2].to_owned(),
                    section => Section::parse(section)
                        .map_or(section.to_owned(), |s| section_title(s)(t).to_owned()),
                };
                (t.revision_line)(n, &change, &who, &when)
            };
            let show = {
                let file = file.clone();
                move |_| {
                    let file = file.clone();
                    leptos::task::spawn_local(async move {
                        let path = format!("/staff/content/revisions/{file}/{n}");
                        if let Ok(change) = call::<RevisionChange>("GET", &path, &[], None::<&()>).await {
                            shown.set(Some((n, change.difference)));
                        }
                    });
                }
            };
            let restore = {
                let (file, session) = (file.clone(), session.clone());
                let head = current_revision(&file);
                move |_| {
                    let (file, session) = (file.clone(), session.clone());
                    leptos::task::spawn_local(async move {
                        let path = format!("/staff/content/revisions/{file}/{n}/restore");
                        said.set(Some(step::<Published>(&session, &path, Some(head)).await));
                        reload();
                    });
                }
            };
            view! {
                <li>
                    {line}" "
                    <button type="button" class="button button-small button-secondary" on:click=show>{tr_content(|t| t.show_difference)}<span class="visually-hidden">" "{n}</span></button>" "
                    <button type="button" class="button button-small button-secondary" on:click=restore>{tr_content(|t| t.restore)}<span class="visually-hidden">" "{n}</span></button>
                    {move || shown.get().filter(|(at, _)| *at == n).map(|(_, difference)| view! { <pre class="content-difference">{difference}</pre> })}
                </li>
            }
        }).collect_view())
    };
    view! {
        <section class="content-history" aria-labelledby="content-history-title">
            <h3 id="content-history-title">{tr_content(|t| t.history_title)}</h3>
            {move || said.get().map(|said| match said {
                Ok(published) => view! {
                    <p class="notice notice-success" role="status">{move || (content_messages(app.lang.get()).published_done)(&published.file, published.revision)}</p>
                }.into_any(),
                Err(failure) => view! {
                    <p class="notice notice-error" role="alert">{move || failure_text(&failure, app.lang.get())}</p>
                }.into_any(),
            })}
            <ul class="plain-list">{buttons}</ul>
            <ul class="plain-list content-revisions">{list}</ul>
        </section>
    }
}

fn files_revision(current: &Current, file: &str) -> i64 {
    current
        .overview
        .files
        .iter()
        .find(|f| f.file == file)
        .map_or(0, |f| f.revision)
}

#[component]
fn Settings(session: Arc<StaffSession>, settings: ContentSettings) -> impl IntoView {
    let app = use_app();
    let one_step = RwSignal::new(settings.closures_one_step);
    let failed = RwSignal::new(None::<Failure>);
    let change = move |event: leptos::ev::Event| {
        let wanted = event_target_checked(&event);
        let session = session.clone();
        leptos::task::spawn_local(async move {
            let body = ContentSettings {
                closures_one_step: wanted,
            };
            match call::<ContentSettings>(
                "PUT",
                "/staff/content/settings",
                &[(CSRF_HEADER, &session.csrf_token)],
                Some(&body),
            )
            .await
            {
                Ok(saved) => {
                    failed.set(None);
                    one_step.set(saved.closures_one_step);
                }
                Err(failure) => failed.set(Some(failure)),
            }
        });
    };
    view! {
        <section class="content-settings" aria-labelledby="content-settings-title">
            <h3 id="content-settings-title">{tr_content(|t| t.settings_title)}</h3>
            {move || failed.get().map(|failure| view! {
                <p class="notice notice-error" role="alert">{move || failure_text(&failure, app.lang.get())}</p>
            })}
            <div class="check-item">
                <input type="checkbox" id="content-one-step" prop:checked=move || one_step.get() on:change=change />
                <label for="content-one-step">{tr_content(|t| t.closures_one_step)}</label>
            </div>
        </section>
    }
}

/// The items now published, each with "Make an A4 poster" (`domain::poster`, made by the PDF
/// module like a form): a poster's QR code leads to the item on this server's news page.
#[component]
fn Posters(current: Current) -> impl IntoView {
    let today = crate::platform::clock::office_today();
    let site = crate::platform::document::origin();
    let items: Vec<(usize, crate::domain::poster::Poster, String)> = current
        .news
        .shown(today)
        .into_iter()
        .enumerate()
        .map(|(at, item)| {
            let poster = crate::domain::poster::poster(&current.station, item, &site);
            (at, poster, format!("{}.pdf", item.anchor()))
        })
        .collect();
    let empty = items.is_empty();
    view! {
        <section class="content-section" aria-labelledby="content-posters">
            <h3 id="content-posters">{tr_content(|t| t.posters_title)}</h3>
            <p class="hint">{tr_content(|t| t.posters_intro)}</p>
            {empty.then(|| view! { <p>{tr_content(|t| t.no_posters)}</p> })}
            <ul class="content-posters">
                {items.into_iter().map(|(at, poster, file_name)| view! {
                    <PosterRow at poster file_name />
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn PosterRow(at: usize, poster: crate::domain::poster::Poster, file_name: String) -> impl IntoView {
    let app = use_app();
    let state = RwSignal::new(PdfState::Idle);
    let title = poster.title.clone();
    let make = move |_| {
        let poster = poster.clone();
        state.set(PdfState::Making);
        leptos::task::spawn_local(async move {
            state.set(match crate::platform::pdf::make_poster(poster).await {
                Ok(bytes) => PdfState::Ready(Arc::new(bytes)),
                Err(failure) => PdfState::Failed(failure),
            });
        });
    };
    let status = move || {
        let lang = app.lang.get();
        match state.get() {
            PdfState::Idle => None,
            // The poster's maker loads the PDF module itself: one line while either happens.
            PdfState::Loading(_) | PdfState::Making => Some(view! {
                <p class="pdf-status" role="status">{tr_content(|t| t.poster_making)}</p>
            }
            .into_any()),
            PdfState::Failed(failure) => Some(view! {
                <p class="notice notice-error" role="alert">{failure.message(lang)}</p>
            }
            .into_any()),
            PdfState::Blocked => Some(view! {
                <p class="notice notice-error" role="alert">{tr_content(|t| t.poster_blocked)}</p>
            }
            .into_any()),
            PdfState::Ready(bytes) => {
                let (saved, printed, file_name) = (bytes.clone(), bytes, file_name.clone());
                let download = move |_| download_pdf(state, &file_name, &saved);
                let print = move |_| {
                    print_made_pdf(state, &printed);
                };
                Some(view! {
                    <p class="notice notice-success" role="status">{tr_content(|t| t.poster_ready)}</p>
                    <p class="actions">
                        <button type="button" class="button" id=format!("poster-download-{at}") on:click=download>{tr_content(|t| t.poster_download)}</button>
                        <button type="button" class="button button-secondary" on:click=print>{tr_content(|t| t.poster_print)}</button>
                    </p>
                }
                .into_any())
            }
        }
    };
    let busy = move || state.with(PdfState::busy);
    view! {
        <li class="content-poster">
            <p><strong>{title.clone()}</strong></p>
            <p>
                <button type="button" class="button button-secondary" id=format!("poster-make-{at}") disabled=busy on:click=make>
                    {tr_content(|t| t.poster)}<span class="visually-hidden">": "{title}</span>
                </button>
            </p>
            {status}
        </li>
    }
}
