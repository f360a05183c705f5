//! A procedure's checklist: the papers, forms, fee, processing time, steps and legal basis for
//! the citizen's answers.

use std::sync::Arc;

use crate::domain::route::{Place, Route};
use leptos::prelude::*;

use crate::ui::router::A;
use crate::ui::text::{loc, tr};

use crate::domain::catalog::{
    fee_in_force, format_vnd, Answers, Catalog, Cite, FeeEntry, FeeKind, Procedure,
    ProcessingEntry, ProcessingKind,
};
use crate::domain::text::{Lang, Localized};
use crate::domain::time::{format_date_vn, parse_iso_date};
use crate::platform;
use crate::ui::use_app;

/// A citation in both languages, saying so when its source is known only from reports. Drawn
/// with `loc` like every other bilingual text, so it costs the app no view type of its own.
pub(in crate::ui::pages) fn cited(catalog: &Catalog, citation: &str) -> Localized {
    let one = |lang: Lang| match catalog.cited(citation, lang) {
        Some((text, true)) => text,
        Some((text, false)) => {
            format!(
                "{text} ({})",
                crate::i18n::messages(lang).source_unconfirmed
            )
        }
        None => Cite(citation).source().to_owned(),
    };
    Localized {
        vi: one(Lang::Vi),
        en: one(Lang::En),
    }
}

#[component]
pub(super) fn ChecklistView(
    catalog: Arc<Catalog>,
    procedure: Arc<Procedure>,
    answers: Answers,
    documents: Vec<(
        String,
        crate::domain::text::Localized,
        Option<crate::domain::text::Localized>,
        Option<crate::domain::text::Localized>,
    )>,
    forms: Vec<(
        crate::domain::catalog::FormInfo,
        Option<crate::domain::text::Localized>,
    )>,
    fee: Option<FeeEntry>,
    processing: Option<ProcessingEntry>,
    steps: Vec<crate::domain::text::Localized>,
    progress_id: String,
) -> impl IntoView {
    let app = use_app();
    let today = platform::clock::office_today();

    // The answers, in words, for the printed page: the questions themselves are not printed.
    let summary = procedure
        .visible_questions(&answers)
        .into_iter()
        .filter_map(|q| {
            let option = q
                .options
                .iter()
                .find(|o| answers.get(&q.id) == Some(&o.id))?
                .label
                .clone();
            let question = q.text.clone();
            Some(view! { <li>{loc(question)}" "<strong>{loc(option)}</strong></li> })
        })
        .collect_view();

    let document_items = documents
        .into_iter()
        .map(|(doc_id, name, detail, note)| {
            let input_id = format!("{progress_id}-doc-{doc_id}");
            let ticked = {
                let (progress_id, doc_id) = (progress_id.clone(), doc_id.clone());
                move || app.checklists.with(|all| all.get(&progress_id).is_some_and(|p| p.ticked.contains(&doc_id)))
            };
            let toggle = {
                let (progress_id, doc_id) = (progress_id.clone(), doc_id.clone());
                move |event: leptos::ev::Event| {
                    let on = event_target_checked(&event);
                    app.checklists.update(|all| {
                        let ticked = &mut all.entry(progress_id.clone()).or_default().ticked;
                        if on {
                            ticked.insert(doc_id.clone());
                        } else {
                            ticked.remove(&doc_id);
                        }
                    });
                }
            };
            view! {
                <li class="check-item">
                    <input type="checkbox" id=input_id.clone() prop:checked=ticked on:change=toggle />
                    <label for=input_id>
                        {loc(name)}
                        {detail.map(|d| view! { <span class="hint">{loc(d)}</span> })}
                        {note.map(|n| view! { <span class="hint">{loc(n)}</span> })}
                    </label>
                </li>
            }
        })
        .collect_view();

    let form_items = forms
        .into_iter()
        .map(|(form, note)| {
            let title = form.title;
            // The act that issues the form, or that none does.
            let basis = match (&form.basis, form.note) {
                (Some(basis), _) => cited(&catalog, basis),
                (None, Some(note)) => note,
                (None, None) => Localized { vi: String::new(), en: String::new() },
            };
            let fill = form.guided.map(|id| view! {
                " "
                <A href=Route::Form { id: id.clone(), place: Place::START } attr:class="no-print">{tr(|t| t.form_fill_online)}</A>
            });
            view! {
                <li>
                    <strong>{form.code}</strong>" – "{loc(title)}
                    " ("{loc(basis)}")"
                    {fill}
                    {note.map(|n| view! { <span class="hint">{loc(n)}</span> })}
                </li>
            }
        })
        .collect_view();

    let where_to_go = procedure.where_to_go.clone();
    let legal: Vec<Localized> = procedure
        .legal_basis
        .iter()
        .map(|c| cited(&catalog, c))
        .collect();
    let handled_here = procedure.handled_here;

    view! {
        <section class="checklist" aria-labelledby="checklist-title">
            <h2 id="checklist-title">{tr(|t| t.procedure_your_list)}</h2>
            <div class="print-only">
                <p><strong>{tr(|t| t.procedure_answers_summary)}</strong></p>
                <ul>{summary}</ul>
            </div>

            <h3>{tr(|t| t.procedure_documents)}</h3>
            <p class="hint no-print">{tr(|t| t.procedure_documents_hint)}</p>
            <ul class="plain-list check-list">{document_items}</ul>

            <h3>{tr(|t| t.procedure_forms)}</h3>
            <ul>{form_items}</ul>

            <h3>{tr(|t| t.procedure_fee)}</h3>
            {fee.map(|fee| view! { <FeeText catalog fee today /> })}

            <h3>{tr(|t| t.procedure_processing)}</h3>
            {processing.map(|processing| view! { <ProcessingText processing /> })}

            <h3>{tr(|t| t.procedure_where)}</h3>
            <p>{loc(where_to_go)}</p>
            {handled_here.then(|| view! { <p class="no-print"><A href=Route::Contact>{tr(|t| t.procedure_hours_link)}</A></p> })}

            {(!steps.is_empty()).then(|| view! {
                <h3>{tr(|t| t.procedure_steps)}</h3>
                <ol>
                    {steps.into_iter().map(|step| view! { <li>{loc(step)}</li> }).collect_view()}
                </ol>
            })}

            <h3>{tr(|t| t.procedure_legal_basis)}</h3>
            <ul>{legal.into_iter().map(|basis| view! { <li>{loc(basis)}</li> }).collect_view()}</ul>

            <p class="no-print">
                <button type="button" class="button" on:click=|_| platform::print::print_page()>
                    {tr(|t| t.procedure_print)}
                </button>
            </p>
            <p class="hint no-print">{tr(|t| t.procedure_print_hint)}</p>
        </section>
    }
}

#[component]
fn FeeText(catalog: Arc<Catalog>, fee: FeeEntry, today: chrono::NaiveDate) -> impl IntoView {
    let app = use_app();
    move || {
        let lang = app.lang.get();
        let t = app.t();
        let date = |iso: &str| parse_iso_date(iso).map(format_date_vn).unwrap_or_default();
        let unit = fee
            .unit
            .as_ref()
            .map(|u| format!(" ({})", u.get(lang)))
            .unwrap_or_default();
        let amounts = |in_person: Option<u32>, online: Option<u32>| {
            // One way to pay: the amount alone reads best ("70.000 đ (mỗi thẻ)").
            if let (Some(a), None) = (in_person, online) {
                return format!("{}{unit}", format_vnd(a, lang));
            }
            let mut parts = Vec::new();
            if let Some(a) = in_person {
                parts.push(format!(
                    "{}: {}{unit}",
                    t.fee_in_person,
                    format_vnd(a, lang)
                ));
            }
            if let Some(a) = online {
                parts.push(format!("{}: {}{unit}", t.fee_online, format_vnd(a, lang)));
            }
            parts.join("; ")
        };
        let mut lines: Vec<String> = Vec::new();
        let now = fee_in_force(&fee, today);
        match fee.kind {
            FeeKind::Free => lines.push(t.fee_free.to_owned()),
            FeeKind::Varies => lines.push(t.fee_varies.to_owned()),
            FeeKind::AskStation => lines.push(t.fee_ask.to_owned()),
            FeeKind::Fixed => {
                let usual = amounts(fee.in_person_vnd, fee.online_vnd);
                match now.applied {
                    // Certain and for everyone: the adjusted fee is the fee; the usual one is context.
                    Some(applied) => {
                        let until = date(applied.until.as_deref().unwrap_or_default());
                        lines.push(match applied.kind {
                            FeeKind::Fixed => format!(
                                "{} ({})",
                                amounts(now.in_person, now.online),
                                (t.fee_reduced_until)(&until)
                            ),
                            _ => (t.fee_free_until)(&until),
                        });
                        lines.push(format!("{}: {usual}", t.fee_usual));
                        if let Some(basis) = &applied.basis {
                            lines.push(cited(&catalog, basis).get(lang).to_owned());
                        }
                    }
                    None => lines.push(usual),
                }
            }
        }
        if !fee.confirmed {
            lines.push(t.fee_ask.to_owned());
        }
        if let Some(basis) = &fee.basis {
            lines.push(cited(&catalog, basis).get(lang).to_owned());
        }
        // Conditional or uncertain: never presented as the fee, only beside it.
        for adjustment in now.beside {
            let until = date(adjustment.until.as_deref().unwrap_or_default());
            let mut line = match adjustment.kind {
                FeeKind::Fixed => (t.fee_maybe_reduced)(
                    &amounts(adjustment.in_person_vnd, adjustment.online_vnd),
                    &until,
                ),
                _ => {
                    let from = adjustment.from.as_deref().map(date).unwrap_or_default();
                    let mut text = (t.fee_exempt_between)(&from, &until);
                    if !adjustment.confirmed {
                        text = format!("{text} {}", t.fee_not_certain);
                    }
                    text
                }
            };
            if let Some(conditions) = &adjustment.conditions {
                line = format!("{line} {}: {}", t.fee_conditions, conditions.get(lang));
            }
            lines.push(line);
            if let Some(basis) = &adjustment.basis {
                lines.push(cited(&catalog, basis).get(lang).to_owned());
            }
        }
        if let Some(note) = &fee.note {
            lines.push(note.get(lang).to_owned());
        }
        view! {
            <ul class="plain-list fee">
                {lines.into_iter().enumerate().map(|(i, line)| view! { <li class:fee-main=i == 0>{line}</li> }).collect_view()}
            </ul>
        }
    }
}

#[component]
fn ProcessingText(processing: ProcessingEntry) -> impl IntoView {
    let app = use_app();
    move || {
        let t = app.t();
        let main = match processing.kind {
            ProcessingKind::WorkingDays => {
                (t.processing_working_days)(processing.min.unwrap_or(1), processing.max)
            }
            ProcessingKind::Hours => (t.processing_hours)(processing.max.unwrap_or(24)),
            ProcessingKind::HalfDay => t.processing_half_day.to_owned(),
            ProcessingKind::Immediate => t.processing_immediate.to_owned(),
            ProcessingKind::AskStation => t.processing_ask.to_owned(),
        };
        let note = processing
            .note
            .as_ref()
            .map(|n| n.get(app.lang.get()).to_owned());
        view! {
            <p><strong>{main}</strong></p>
            {note.map(|n| view! { <p>{n}</p> })}
        }
    }
}
