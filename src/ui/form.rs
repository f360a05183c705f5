//! Form pieces following the GOV.UK pattern: an error summary at the top that takes focus and
//! links to each field, and the same message next to the field.

use leptos::prelude::*;

use crate::ui::text::tr;

/// Problems by field id, kept untranslated: `drawn_messages` makes the messages shown.
pub type Problems<P> = RwSignal<Vec<(&'static str, P)>>;

/// The messages for `problems`, made in the language of the moment by `message`, so a language
/// switch translates them too: every page keeps what went wrong as a value, never as a sentence.
pub fn drawn_messages<P: Send + Sync + 'static>(
    problems: Problems<P>,
    message: fn(&P, crate::domain::text::Lang) -> String,
) -> Signal<Vec<FieldMessage>> {
    let app = crate::ui::use_app();
    Signal::derive(move || {
        let lang = app.lang.get();
        problems.with(|all| {
            all.iter()
                .map(|(field_id, problem)| FieldMessage {
                    field_id: (*field_id).into(),
                    message: message(problem, lang),
                })
                .collect()
        })
    })
}

/// One problem: the id of the field in error and the message to show.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FieldMessage {
    pub field_id: String,
    pub message: String,
}

pub fn focus_element(id: &str) {
    crate::platform::document::focus(id);
}

/// Shown when `errors` is not empty; moves focus to itself when the list appears or changes (not
/// when it is only translated) so screen readers announce it. Links move focus to the field (the router would treat "#id" as a route).
#[component]
pub fn ErrorSummary(errors: Signal<Vec<FieldMessage>>) -> impl IntoView {
    // Not when the messages changed only because the language did: the switch keeps focus.
    let app = crate::ui::use_app();
    Effect::new(move |shown_in: Option<crate::domain::text::Lang>| {
        let lang = app.lang.get_untracked();
        if !errors.with(Vec::is_empty) && shown_in.is_none_or(|shown_in| shown_in == lang) {
            request_animation_frame(|| focus_element("error-summary"));
        }
        lang
    });
    view! {
        {move || (!errors.with(Vec::is_empty)).then(|| view! {
            <div id="error-summary" class="notice notice-error error-summary" role="alert" tabindex="-1">
                <h2>{tr(|t| t.error_summary_title)}</h2>
                <ul>
                    {move || errors.get().into_iter().map(|error| {
                        let target = error.field_id.clone();
                        view! {
                            <li>
                                <a
                                    href=format!("#{}", error.field_id)
                                    on:click=move |event| {
                                        event.prevent_default();
                                        focus_element(&target);
                                    }
                                >
                                    {error.message}
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </div>
        })}
    }
}

/// The message shown under a field's label when that field is in error.
pub fn field_error(
    errors: Signal<Vec<FieldMessage>>,
    field_id: impl Into<String>,
) -> impl IntoView {
    let field_id: String = field_id.into();
    move || {
        errors
            .with(|list| {
                list.iter()
                    .find(|e| e.field_id == field_id)
                    .map(|e| e.message.clone())
            })
            .map(|message| {
                view! { <p class="field-error" id=format!("{field_id}-error")>{message}</p> }
            })
    }
}

/// What a screen reader reads after a field's label: its hint (`<id>-hint`), then its error
/// (`<id>-error`) when there is one, as GOV.UK's fields do, so the problem is heard on reaching
/// the field, not only in the summary.
pub fn described_by(id: &str, has_error: bool) -> String {
    if has_error {
        format!("{id}-hint {id}-error")
    } else {
        format!("{id}-hint")
    }
}

/// The GOV.UK field: its label, its hint (`<id>-hint`), the error line when there is one, then
/// the control. Every text box, list and text area of the app is drawn in this frame.
pub fn field_frame(
    id: &str,
    label: impl IntoView,
    hint: impl IntoView,
    error: impl IntoView,
    control: impl IntoView,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id.to_owned()>{label}</label>
            <p class="hint" id=format!("{id}-hint")>{hint}</p>
            {error}
            {control}
        </div>
    }
}

/// A labelled text input with its hint and its error message, GOV.UK style. The value lives in
/// `value`, so it survives language switches and re-renders.
#[component]
pub fn TextField(
    id: &'static str,
    label: fn(&crate::i18n::Messages) -> &'static str,
    hint: fn(&crate::i18n::Messages) -> &'static str,
    value: RwSignal<String>,
    errors: Signal<Vec<FieldMessage>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
) -> impl IntoView {
    let input = text_input(id, value, errors, input_type, autocomplete);
    field_frame(id, tr(label), tr(hint), field_error(errors, id), input)
}

/// The input of a `TextField`, for a field whose label and hint come from another catalog
/// (put in `field_frame` with them).
pub fn text_input(
    id: &'static str,
    value: RwSignal<String>,
    errors: Signal<Vec<FieldMessage>>,
    input_type: &'static str,
    autocomplete: &'static str,
) -> impl IntoView {
    view! {
        <input
            id=id
            type=input_type
            autocomplete=autocomplete
            aria-describedby=move || {
                described_by(id, errors.with(|e| e.iter().any(|m| m.field_id == id)))
            }
            aria-invalid=move || errors.with(|e| e.iter().any(|m| m.field_id == id)).to_string()
            prop:value=move || value.get()
            on:input=move |e| value.set(event_target_value(&e))
        />
    }
}
