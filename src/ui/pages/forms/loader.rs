//! The /forms page's code loader: a hand-off code from a phone's screen, a printed PDF's QR code,
//! pasted text or the camera opens the form filled in, ready to print.

use std::sync::Arc;

use leptos::prelude::*;

use super::form_route;
use crate::domain::form_session::load_code;
use crate::domain::forms::FormCatalog;
use crate::domain::handoff::HandoffError;
use crate::domain::text::Lang;
use crate::i18n::StaticWords;
use crate::platform;
use crate::ui::form::{ErrorSummary, FieldMessage, TextField};
use crate::ui::router::use_router;
use crate::ui::text::tr_form;
use crate::ui::use_app;

/// Loads a form from a hand-off code (a phone's screen, a printed PDF's QR code or pasted
/// text): the answers open on the review page, ready to print.
#[component]
pub(super) fn CodeLoader(catalog: Arc<FormCatalog>) -> impl IntoView {
    let app = use_app();
    let router = use_router();
    let code = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<LoadProblem>);
    let errors = Signal::derive(move || {
        problem
            .get()
            .map(|p| FieldMessage {
                field_id: "handoff-code".into(),
                message: p.message(app.lang.get()).into(),
            })
            .into_iter()
            .collect::<Vec<_>>()
    });
    let catalog = StoredValue::new(catalog);
    let open_code =
        move |text: String| match catalog.with_value(|catalog| load_code(catalog, &text)) {
            Ok((form_id, answers, place)) => {
                app.form_answers.update(|all| {
                    all.insert(form_id.clone(), answers);
                });
                router.navigate(&form_route(&form_id, place));
            }
            Err(error) => problem.set(Some(LoadProblem::Code(error))),
        };
    // A scanner that types ends with Enter, which submits.
    let load = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        open_code(code.get_untracked());
    };
    // The code read by the camera goes into the box too, so a bad one stays there to see.
    let scan = move |_| {
        let f = crate::i18n::form_messages(app.lang.get());
        leptos::task::spawn_local(async move {
            match platform::camera::scan(f.camera_prompt, f.camera_stop).await {
                Ok(Some(text)) => {
                    code.set(text.clone());
                    open_code(text);
                }
                Ok(None) => {}
                Err(unavailable) => problem.set(Some(LoadProblem::Camera(unavailable))),
            }
        });
    };
    view! {
        <section class="handoff-load" aria-labelledby="handoff-load-title">
            <h2 id="handoff-load-title">{tr_form(|t| t.handoff_load_title)}</h2>
            <ErrorSummary errors />
            <form novalidate on:submit=load>
                <TextField id="handoff-code" label=|t| t.handoff_load_label hint=|t| t.handoff_load_hint value=code errors />
                <button type="submit" class="button">{tr_form(|t| t.handoff_load)}</button>
                {platform::camera::available().then(|| view! {
                    <button type="button" class="button button-secondary" on:click=scan>{tr_form(|t| t.handoff_scan_camera)}</button>
                })}
            </form>
        </section>
    }
}

/// Why a form code did not open: the code itself, or the camera that was to read it.
#[derive(Clone, Copy)]
enum LoadProblem {
    Code(HandoffError),
    Camera(platform::camera::CameraUnavailable),
}

impl LoadProblem {
    fn message(self, lang: Lang) -> &'static str {
        match self {
            LoadProblem::Code(error) => error.message(lang),
            LoadProblem::Camera(unavailable) => unavailable.message(lang),
        }
    }
}
