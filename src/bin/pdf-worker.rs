//! The PDF module: a second wasm, run in a Web Worker and loaded only when a citizen first asks
//! for a PDF (public/pdf-loader.js starts it). It receives `{"form": …, "answers": …}` as JSON
//! text and answers with the PDF's bytes, or with a short failure code the page translates.
//! The printpdf engine and the fonts live here, never in the first-load wasm.

#[cfg(all(target_arch = "wasm32", feature = "pdf"))]
fn main() {
    worker::start();
}

#[cfg(not(all(target_arch = "wasm32", feature = "pdf")))]
fn main() {}

#[cfg(all(target_arch = "wasm32", feature = "pdf"))]
mod worker {
    use civic_kiosk::domain::forms::{FormAnswers, FormCatalog};
    use civic_kiosk::pdf::{render_form, Fonts};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    #[derive(serde::Deserialize)]
    struct Job {
        forms: FormCatalog,
        form: String,
        answers: FormAnswers,
    }

    fn render(text: &str, fonts: &Fonts) -> JsValue {
        let Ok(job) = serde_json::from_str::<Job>(text) else {
            return JsValue::from_str("bad-request");
        };
        let Some(form) = job.forms.forms.iter().find(|f| f.id == job.form) else {
            return JsValue::from_str("bad-request");
        };
        match render_form(form, &job.answers, fonts) {
            Ok(bytes) => js_sys::Uint8Array::from(bytes.as_slice()).into(),
            Err(_) => JsValue::from_str("bad-font"),
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
                None => JsValue::from_str("bad-request"),
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
