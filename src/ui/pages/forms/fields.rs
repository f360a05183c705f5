//! The form's answer widgets: text boxes, choices, tables of rows, their hints and error lines,
//! and reading and writing answers in `AppContext::form_answers`.

use super::*;
use crate::domain::form_session::{edit, Edit};
use crate::domain::forms::{NO, YES};

/// Applies one change to the app's answers for this form (`domain::form_session::edit`).
pub(super) fn send(app: AppContext, form_id: &str, change: Edit) {
    app.form_answers.update(|all| {
        edit(all.entry(form_id.to_owned()).or_default(), change);
    });
}

/// One answer as it stands now (read without tracking: the views here do not follow answers).
pub(super) fn current_value(app: AppContext, form_id: &str, field: &str) -> Option<Value> {
    app.form_answers
        .with_untracked(|all| all.get(form_id).and_then(|a| a.get(field)).cloned())
}

pub(super) fn current_text(app: AppContext, form_id: &str, field: &str) -> String {
    match current_value(app, form_id, field) {
        Some(Value::Text(text)) => text,
        _ => String::new(),
    }
}

pub(super) fn message_for<'a>(errors: &'a [FieldMessage], id: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|e| e.field_id == id)
        .map(|e| e.message.as_str())
}

pub(super) fn error_line(errors: &[FieldMessage], id: &str) -> impl IntoView {
    message_for(errors, id).map(|message| {
        view! { <p class="field-error" id=format!("{id}-error")>{message.to_owned()}</p> }
    })
}

/// A question answered in one box, as drawn now: what to ask and how.
pub(super) struct Question<'a> {
    /// The input's DOM id (`input_id`, `cell_id`).
    pub id: String,
    pub label: &'a str,
    pub hint: String,
    pub kind: FieldKind,
    /// The choices of a list (`Choice`).
    pub options: &'a [AnswerOption],
}

/// A text box, a text area or a list in the field frame, holding `value`; `on_input` gets what
/// is typed or chosen.
pub(super) fn text_field(
    question: Question,
    lang: Lang,
    errors: &[FieldMessage],
    value: String,
    on_input: Rc<dyn Fn(String)>,
) -> AnyView {
    let Question {
        id,
        label,
        hint,
        kind,
        options,
    } = question;
    let error = message_for(errors, &id).is_some();
    let described_by = described_by(&id, error);
    let invalid = error.to_string();
    let control = match kind {
        FieldKind::LongText => EitherOf3::A(view! {
            <textarea id=id.clone() rows="5" aria-describedby=described_by.clone() aria-invalid=invalid
                prop:value=value on:input=move |e| on_input(event_target_value(&e))></textarea>
        }),
        FieldKind::Choice => {
            let items = options
                .iter()
                .map(|o| {
                    let selected = o.id == value;
                    view! { <option value=o.id.clone() selected=selected>{o.label.get(lang).to_owned()}</option> }
                })
                .collect_view();
            EitherOf3::B(view! {
                <select id=id.clone() aria-describedby=described_by.clone() aria-invalid=invalid
                    on:change=move |e| on_input(event_target_value(&e))>
                    <option value="">"—"</option>
                    {items}
                </select>
            })
        }
        _ => {
            let (input_type, mode) = match kind {
                FieldKind::Phone => ("tel", "tel"),
                FieldKind::IdNumber | FieldKind::Date => ("text", "numeric"),
                _ => ("text", "text"),
            };
            EitherOf3::C(view! {
                <input id=id.clone() type=input_type inputmode=mode autocomplete="off"
                    aria-describedby=described_by.clone() aria-invalid=invalid
                    prop:value=value on:input=move |e| on_input(event_target_value(&e)) />
            })
        }
    };
    field_frame(
        &id,
        label.to_owned(),
        hint,
        error_line(errors, &id),
        control,
    )
    .into_any()
}

/// The hint under a question: its help, how to write a date or an ID number, and "optional".
pub(super) fn hint_text(
    help: Option<&Localized>,
    kind: FieldKind,
    required: bool,
    lang: Lang,
) -> String {
    let f = crate::i18n::form_messages(lang);
    let mut parts: Vec<&str> = Vec::new();
    if let Some(help) = help {
        parts.push(help.get(lang));
    }
    match kind {
        FieldKind::Date => parts.push(f.form_date_hint),
        FieldKind::IdNumber => parts.push(f.form_id_hint),
        _ => {}
    }
    if !required {
        parts.push(f.form_optional);
    }
    parts.join(" ")
}

/// One question, drawn by its kind.
pub(super) fn field_view(
    form_id: &str,
    field: &Field,
    lang: Lang,
    errors: &[FieldMessage],
) -> AnyView {
    let app = use_app();
    let id = input_id(&field.id);
    let hint = hint_text(field.help.as_ref(), field.kind, field.required, lang);
    match field.kind {
        FieldKind::Choice | FieldKind::YesNo | FieldKind::Multi => {
            choice_view(form_id, field, id, hint, lang, errors)
        }
        FieldKind::Rows => view! {
            <RowsInput form_id=form_id.to_owned() field=field.clone() lang errors=errors.to_vec() />
        }
        .into_any(),
        kind => {
            let (form_id, field_id) = (form_id.to_owned(), field.id.clone());
            let value = current_text(app, &form_id, &field_id);
            let on_input = Rc::new(move |text| {
                let field = field_id.clone();
                send(app, &form_id, Edit::Type { field, text })
            });
            let question = Question {
                id,
                label: field.label.get(lang),
                hint,
                kind,
                options: &[],
            };
            text_field(question, lang, errors, value, on_input)
        }
    }
}

/// Radio buttons (one answer) or check boxes (several).
pub(super) fn choice_view(
    form_id: &str,
    field: &Field,
    id: String,
    hint: String,
    lang: Lang,
    errors: &[FieldMessage],
) -> AnyView {
    let app = use_app();
    let multi = field.kind == FieldKind::Multi;
    let options: Vec<(String, String)> = if field.kind == FieldKind::YesNo {
        vec![
            (YES.into(), crate::i18n::yes_no(lang, true).into()),
            (NO.into(), crate::i18n::yes_no(lang, false).into()),
        ]
    } else {
        field
            .options
            .iter()
            .map(|o| (o.id.clone(), o.label.get(lang).to_owned()))
            .collect()
    };
    let current = current_value(app, form_id, &field.id);
    let items = options
        .into_iter()
        .enumerate()
        .map(|(i, (option, label))| {
            // The first option carries the field's id, so error links land on it.
            let option_id = if i == 0 {
                id.clone()
            } else {
                format!("{id}-{option}")
            };
            let checked = match &current {
                Some(Value::Text(t)) => *t == option,
                Some(Value::Many(list)) => list.contains(&option),
                _ => false,
            };
            let (form_id, field_id) = (form_id.to_owned(), field.id.clone());
            let on_change = move |event: leptos::ev::Event| {
                let (field, option) = (field_id.clone(), option.clone());
                let change = if multi {
                    let ticked = event_target_checked(&event);
                    Edit::Tick {
                        field,
                        option,
                        ticked,
                    }
                } else {
                    Edit::Type {
                        field,
                        text: option,
                    }
                };
                send(app, &form_id, change);
            };
            view! {
                <li class=if multi { "check-item" } else { "radio" }>
                    <input type=if multi { "checkbox" } else { "radio" } id=option_id.clone()
                        name=field.id.clone() prop:checked=checked on:change=on_change />
                    <label for=option_id>{label}</label>
                </li>
            }
        })
        .collect_view();
    let hint_id = format!("{id}-hint");
    let described_by = described_by(&id, message_for(errors, &id).is_some());
    view! {
        <fieldset class="question" aria-describedby=described_by>
            <legend>{field.label.get(lang).to_owned()}</legend>
            <p class="hint" id=hint_id>{hint}</p>
            {error_line(errors, &id)}
            <ul class="plain-list">{items}</ul>
        </fieldset>
    }
    .into_any()
}

/// A table of repeated rows (e.g. CT01's household members): one group of inputs per row, with
/// buttons to add and remove rows. Redrawn when a row is added or removed.
#[component]
pub(super) fn RowsInput(
    form_id: String,
    field: Field,
    lang: Lang,
    errors: Vec<FieldMessage>,
) -> impl IntoView {
    let app = use_app();
    let f = crate::i18n::form_messages(lang);
    let rows_now = {
        let (form_id, field_id) = (form_id.clone(), field.id.clone());
        move || match current_value(app, &form_id, &field_id) {
            Some(Value::Rows(rows)) => rows,
            _ => Vec::new(),
        }
    };
    let count = {
        let (form_id, field_id) = (form_id.clone(), field.id.clone());
        Memo::new(move |_| {
            app.form_answers.with(
                |all| match all.get(&form_id).and_then(|a| a.get(&field_id)) {
                    Some(Value::Rows(rows)) => rows.len(),
                    _ => 0,
                },
            )
        })
    };
    let change = {
        let form_id = form_id.clone();
        move |change: Edit| send(app, &form_id, change)
    };
    let field_id = field.id.clone();
    let add_to = field.id.clone();
    let columns = field.columns.clone();
    let rows_view = {
        let change = change.clone();
        move || {
            let rows = rows_now();
            (0..count.get())
                .map(|row| {
                    let cells = columns
                        .iter()
                        .map(|column| {
                            let id = cell_id(&field_id, row, &column.id);
                            let value = rows
                                .get(row)
                                .and_then(|r| r.get(&column.id).cloned())
                                .unwrap_or_default();
                            let (change, field, column_id) = (change.clone(), field_id.clone(), column.id.clone());
                            let hint = if column.kind == FieldKind::Date { f.form_date_hint.to_owned() } else { String::new() };
                            let on_input = Rc::new(move |text: String| {
                                let (field, column) = (field.clone(), column_id.clone());
                                change(Edit::TypeCell { field, row, column, text })
                            });
                            let question = Question { id, label: column.label.get(lang), hint, kind: column.kind, options: &column.options };
                            text_field(question, lang, &errors, value, on_input)
                        })
                        .collect_view();
                    let (change, field) = (change.clone(), field_id.clone());
                    view! {
                        <fieldset class="row-group">
                            <legend>{(f.form_row)(row + 1)}</legend>
                            {cells}
                            <button type="button" class="button button-secondary" on:click=move |_| change(Edit::RemoveRow { field: field.clone(), row })>
                                {(f.form_remove_row)(row + 1)}
                            </button>
                        </fieldset>
                    }
                })
                .collect_view()
        }
    };
    view! {
        <div class="field" id=input_id(&field.id) tabindex="-1">
            <h3 class="field-heading">{field.label.get(lang).to_owned()}</h3>
            {field.help.as_ref().map(|h| view! { <p class="hint">{h.get(lang).to_owned()}</p> })}
            {move || (count.get() == 0).then(|| view! { <p class="hint">{f.form_no_rows}</p> })}
            {rows_view}
            <button type="button" class="button button-secondary" on:click=move |_| change(Edit::AddRow { field: add_to.clone() })>
                {f.form_add_row}
            </button>
        </div>
    }
}
