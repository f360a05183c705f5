//! The PDF module: a second wasm, run in a Web Worker and loaded only when a citizen first asks
//! for a PDF (public/pdf-loader.js starts it). It receives a `domain::pdf_job::PdfJob` as JSON text
//! (a form or a warning's poster) and answers with the PDF's bytes, or with a `PdfJobFailure` code the page translates.
//! The printpdf engine and the fonts live here, never in the first-load wasm.

#[cfg(all(target_arch = "wasm32", feature = "pdf"))]
fn main() {
    worker::start();
}

#[cfg(not(all(target_arch = "wasm32", feature = "pdf")))]
fn main() {}

#[cfg(all(target_arch = "wasm32", feature = "pdf"))]
mod worker {
    use civic_kiosk::domain::forms::FormCatalog;
    use civic_kiosk::domain::pdf_job::{PdfJob, PdfJobFailure};
    use civic_kiosk::pdf::{render_form, render_poster, Fonts};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    fn render(text: &str, fonts: &Fonts) -> JsValue {
        let failed = |failure: PdfJobFailure| JsValue::from_str(failure.code());
        let Ok(job) = serde_json::from_str::<PdfJob<FormCatalog>>(text) else {
            return failed(PdfJobFailure::BadRequest);
        };
        let made = match job {
            PdfJob::Form(job) => {
                let Some(form) = job.forms.forms.iter().find(|f| f.id == job.form) else {
                    return failed(PdfJobFailure::BadRequest);
                };
                render_form(form, &job.answers, fonts)
            }
            PdfJob::Poster(poster) => render_poster(&poster, fonts),
        };
        match made {
            Ok(bytes) => js_sys::Uint8Array::from(bytes.as_slice()).into(),
            Err(_) => failed(PdfJobFailure::BadFont),
        }
    }

    pub fn start() {
        let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
            return;
        };
        // Parsed once: the fonts are the costly part of every PDF's set-up.
        let fonts = Fonts::embedded();
        let reply_scope = scope.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let reply = match event.data().as_string() {
                Some(text) => render(&text, &fonts),
                None => JsValue::from_str(PdfJobFailure::BadRequest.code()),
            };
            let _ = reply_scope.post_message(&reply);
        });
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let ready = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&ready, &"ready".into(), &JsValue::TRUE);
        let _ = scope.post_message(&ready);
    }
}
