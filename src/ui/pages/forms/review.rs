//! The page that shows every answer before the PDF, and the PDF's states (made in the PDF
//! module, then downloaded or printed).

use super::*;
use crate::domain::answer_sheet::{answer_sheet, Answer};
use crate::domain::form_session::{change_link, place_to_fix};
use crate::ui::made_pdf::{download_pdf, print_made_pdf, PdfState};

const REVIEW: Place = Place::at(Stage::Review);

/// How an answer reads on the review page: its lines, none when it was not answered.
fn shown_lines(answer: Answer, lang: Lang) -> Vec<String> {
    match answer {
        Answer::Blank => Vec::new(),
        Answer::Text(text) => vec![text],
        Answer::YesNo(yes) => vec![crate::i18n::yes_no(lang, yes).into()],
        Answer::Ticks(ticks) => ticks
            .into_iter()
            .filter(|(_, ticked)| *ticked)
            .map(|(label, _)| label.to_owned())
            .collect(),
        Answer::Table(rows) => rows
            .into_iter()
            .map(|cells| {
                let filled: Vec<String> = cells.into_iter().filter(|c| !c.is_empty()).collect();
                filled.join(" · ")
            })
            .collect(),
    }
}

#[component]
pub(super) fn ReviewView(form: Arc<FormDef>) -> impl IntoView {
    let app = use_app();
    // The citizen is about to ask for the PDF: start fetching its module now.
    platform::pdf::warm_up();
    let today = platform::clock::office_today();
    let answers = {
        let form_id = form.id.clone();
        move || {
            app.form_answers
                .with_untracked(|all| all.get(&form_id).cloned().unwrap_or_default())
        }
    };
    let has_problems = !form.check_all(&answers(), today).is_empty();

    let summary = {
        let (form, answers) = (form.clone(), answers.clone());
        move || {
            let lang = app.lang.get();
            let t = crate::i18n::messages(lang);
            let f = crate::i18n::form_messages(lang);
            let answers = answers();
            let problems = form
                .check_all(&answers, today)
                .into_iter()
                .map(|issue| {
                    let message = issue_message(&form, &issue, lang).message;
                    let fix = form_route(&form.id, place_to_fix(&form, &issue));
                    view! { <li><A href=fix>{message}</A></li> }
                })
                .collect_view();
            let sections = answer_sheet(&form, &answers, lang)
                .map(|section| {
                    let index = section.index;
                    let rows = section
                        .lines
                        .map(|line| {
                            let lines = shown_lines(line.answer, lang);
                            let value = if lines.is_empty() {
                                Either::Left(
                                    view! { <span class="hint">{f.form_not_answered}</span> },
                                )
                            } else {
                                Either::Right(
                                    lines
                                        .into_iter()
                                        .map(|l| view! { <span class="answer-line">{l}</span> })
                                        .collect_view(),
                                )
                            };
                            let label = line.field.label.get(lang).to_owned();
                            view! {
                                <div class="review-row">
                                    <dt>{label.clone()}</dt>
                                    <dd>{value}</dd>
                                    <dd class="review-change">
                                        <A href=form_route(&form.id, change_link(index))>
                                            {f.form_change}
                                            <span class="visually-hidden">" "{label}</span>
                                        </A>
                                    </dd>
                                </div>
                            }
                        })
                        .collect_view();
                    view! {
                        <h2>{section.step.title.get(lang).to_owned()}</h2>
                        <dl class="review-list">{rows}</dl>
                    }
                })
                .collect_view();
            view! {
                <h2 class="review-title">{f.form_review_title}</h2>
                <p>{f.form_review_intro}</p>
                {has_problems.then(|| view! {
                    <div class="notice notice-error error-summary" role="alert">
                        <h2>{t.error_summary_title}</h2>
                        <p>{f.form_fix_first}</p>
                        <ul>{problems}</ul>
                    </div>
                })}
                {sections}
            }
        }
    };

    let state = RwSignal::new(PdfState::Idle);
    let make = {
        let (form, answers) = (form.clone(), answers.clone());
        move |_| {
            let (form, answers) = (form.clone(), answers());
            state.set(PdfState::Loading(None));
            leptos::task::spawn_local(async move {
                let progress: platform::pdf::Progress = Rc::new(move |loaded: f64, total: f64| {
                    let percent = (total > 0.0).then(|| (loaded / total * 100.0).min(99.0) as u32);
                    state.set(PdfState::Loading(percent));
                });
                if let Err(failure) = platform::pdf::load_module(progress).await {
                    state.set(PdfState::Failed(failure));
                    return;
                }
                state.set(PdfState::Making);
                let forms_text = app.forms().text_untracked().unwrap_or_default();
                match platform::pdf::make_pdf(&forms_text, &form.id, &answers).await {
                    Ok(bytes) => state.set(PdfState::Ready(Arc::new(bytes))),
                    Err(failure) => state.set(PdfState::Failed(failure)),
                }
            });
        }
    };
    let file_name = format!("{}.pdf", form.id);
    let status = move || {
        let lang = app.lang.get();
        let f = crate::i18n::form_messages(lang);
        let busy = state.with(PdfState::busy);
        // Every state but "ready" is one line of text (and a bar while downloading).
        let notice = |class: &'static str, role: &'static str, text: String, bar: Option<u32>| {
            view! {
                <p class=class role=role>{text}</p>
                {bar.map(|percent| view! { <progress class="form-progress-bar" max="100" value=percent></progress> })}
            }.into_any()
        };
        let line = match state.get() {
            PdfState::Idle => None,
            PdfState::Loading(percent) => Some(notice(
                "pdf-status",
                "status",
                (f.form_pdf_loading)(percent),
                Some(percent.unwrap_or(0)),
            )),
            PdfState::Making => Some(notice(
                "pdf-status",
                "status",
                f.form_pdf_making.into(),
                None,
            )),
            PdfState::Failed(failure) => Some(notice(
                "notice notice-error",
                "alert",
                failure.message(lang).into(),
                None,
            )),
            PdfState::Blocked => Some(notice(
                "notice notice-error",
                "alert",
                f.form_download_blocked.into(),
                None,
            )),
            PdfState::Ready(bytes) => {
                let (download_bytes, print_bytes, file_name) =
                    (bytes.clone(), bytes, file_name.clone());
                let download = move |_| download_pdf(state, &file_name, &download_bytes);
                let print = move |_| {
                    if print_made_pdf(state, &print_bytes) && app.kiosk.is_some() {
                        app.printed.set(true);
                    }
                };
                // A kiosk prints only: a download would leave the citizen's answers in the shared
                // terminal's Downloads folder and its download list.
                let kiosk = app.kiosk.is_some();
                Some(view! {
                    <p class="notice notice-success pdf-status" role="status">{if kiosk { f.form_pdf_ready_print } else { f.form_pdf_ready }}</p>
                    <p class="actions">
                        {(!kiosk).then(|| view! {
                            <button type="button" class="button" id="pdf-download" on:click=download>{f.form_download}</button>
                        })}
                        <button type="button" class="button button-secondary" id="pdf-print" on:click=print>{f.form_print}</button>
                    </p>
                }.into_any())
            }
        };
        view! {
            {(!has_problems).then(|| view! {
                <p class="actions">
                    <button type="button" class="button" id="pdf-make" disabled=busy on:click=make.clone()>
                        {f.form_make_pdf}
                    </button>
                </p>
            })}
            {line}
        }
    };
    let clear = {
        let form = form.clone();
        let router = use_router();
        move |_| {
            let mut outcome = Outcome::Stay;
            app.form_answers.update(|all| {
                // The entry goes too: opened again, the form is prefilled as the first time.
                let mut answers = all.remove(&form.id).unwrap_or_default();
                outcome = update(&form, REVIEW, &mut answers, Event::Clear, today);
            });
            if let Some(route) = route_of(&form.id, &outcome) {
                router.navigate(&route);
            }
        }
    };
    let last_step = route_of(&form.id, &back(&form, REVIEW)).unwrap_or(Route::Forms);
    // The hand-off code, made when asked for (the answers do not change on this page).
    let shown_code = RwSignal::new(None::<String>);
    let show_code = {
        let (form, answers) = (form.clone(), answers.clone());
        move |_| shown_code.set(Some(encode(&form, &answers())))
    };
    let handoff = move || {
        let f = crate::i18n::form_messages(app.lang.get());
        match shown_code.get() {
            None => Either::Left(view! {
                <button type="button" class="button button-secondary" id="handoff-show" on:click=show_code.clone()>{f.handoff_show}</button>
            }),
            Some(code) => {
                let picture =
                    crate::domain::qr::encode(code.as_bytes(), crate::domain::qr::EcLevel::M)
                        .map(|modules| crate::domain::qr::qr_svg(&modules, f.handoff_qr_label));
                let missing = picture.is_none().then_some(f.handoff_too_long);
                Either::Right(view! {
                    <div class="qr qr-large" inner_html=picture.unwrap_or_default()></div>
                    {missing.map(|m| view! { <p class="hint">{m}</p> })}
                    <label for="handoff-text">{f.handoff_text_label}</label>
                    <textarea id="handoff-text" class="handoff-text" readonly rows="3" prop:value=code></textarea>
                })
            }
        }
    };
    view! {
        {summary}
        <section class="pdf-actions" aria-live="polite">{status}</section>
        // Not on a kiosk: the terminal is where codes are read, and a code shown there could be
        // copied (with every answer) by whoever comes next.
        {(!has_problems && app.kiosk.is_none()).then(|| view! {
            <section class="handoff" aria-labelledby="handoff-title">
                <h2 id="handoff-title">{tr_form(|t| t.handoff_title)}</h2>
                <p>{tr_form(|t| t.handoff_intro)}</p>
                {handoff}
            </section>
        })}
        <p class="actions">
            <A href=last_step attr:class="button button-secondary">{tr_form(|t| t.form_back)}</A>
            <button type="button" class="button button-secondary" on:click=clear>{tr_form(|t| t.form_clear)}</button>
        </p>
    }
}
