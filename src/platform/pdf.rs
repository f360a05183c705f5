//! Making PDFs: the page side of the PDF module (src/bin/pdf-worker.rs). The module is a second
//! wasm started in a Web Worker the first time a PDF is asked for, so the ~1 MB engine never
//! weighs on the first load; while it downloads, `on_progress` hears how far it got.

use serde_json::value::RawValue;

use crate::domain::pdf_job::{FormJob, PdfJob, PdfJobFailure};
use crate::domain::poster::Poster;
use crate::domain::text::Lang;
use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker};

use crate::domain::forms::FormAnswers;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PdfFailure {
    #[error("the PDF module could not be loaded")]
    ModuleUnavailable,
    #[error("the PDF module could not read the form")]
    BadRequest,
    #[error("the PDF font could not be read")]
    BadFont,
}

/// Download progress of the PDF module: bytes so far and, when known, the total.
pub type Progress = Rc<dyn Fn(f64, f64)>;

struct Module {
    worker: Worker,
    /// Resolves when the module listens; rejects when it could not be loaded.
    ready: js_sys::Promise,
}

thread_local! {
    static MODULE: RefCell<Option<Rc<Module>>> = const { RefCell::new(None) };
    static PROGRESS: RefCell<Option<Progress>> = const { RefCell::new(None) };
}

fn field(data: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(data, &name.into())
        .ok()
        .filter(|v| !v.is_undefined())
}

fn start_module() -> Option<Rc<Module>> {
    let worker = Worker::new("/pdf-loader.js").ok()?;
    let loading = worker.clone();
    let ready = js_sys::Promise::new(&mut |resolve, reject| {
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new({
            let (resolve, reject) = (resolve.clone(), reject.clone());
            move |event: MessageEvent| {
                let data = event.data();
                if let Some(loaded) = field(&data, "progress").and_then(|v| v.as_f64()) {
                    let total = field(&data, "total")
                        .and_then(|v| v.as_f64())
                        .unwrap_or(0.0);
                    PROGRESS.with(|p| {
                        if let Some(report) = p.borrow().as_ref() {
                            report(loaded, total);
                        }
                    });
                } else if field(&data, "ready").is_some() {
                    let _ = resolve.call0(&JsValue::NULL);
                } else if field(&data, "failed").is_some() {
                    let _ = reject.call0(&JsValue::NULL);
                }
            }
        });
        loading.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let on_error = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            let _ = reject.call0(&JsValue::NULL);
        });
        loading.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
    });
    // Whoever awaits `ready` sees a failure; this keeps a failed warm-up nobody awaited yet
    // from being reported as an unhandled rejection.
    let ignore = Closure::<dyn FnMut(JsValue)>::new(|_| {});
    let _ = ready.catch(&ignore);
    ignore.forget();
    Some(Rc::new(Module { worker, ready }))
}

/// Starts loading the PDF module if it is not loaded yet, e.g. when a citizen reaches the
/// review page, so the PDF is quick when asked for; not when the browser asks to save data
/// (then the module is fetched on "Make PDF" only).
pub fn warm_up() {
    if !super::service_worker::saves_data() {
        let _ = module();
    }
}

fn module() -> Option<Rc<Module>> {
    MODULE.with(|m| {
        let mut slot = m.borrow_mut();
        if slot.is_none() {
            *slot = start_module();
        }
        slot.clone()
    })
}

/// Loads the PDF module if it is not loaded yet; `on_progress` hears how the download goes.
/// A start that fails (the warm-up may have begun while the page was still settling offline) is
/// tried once more with a fresh worker before the citizen is told.
pub async fn load_module(on_progress: Progress) -> Result<(), PdfFailure> {
    PROGRESS.with(|p| *p.borrow_mut() = Some(on_progress));
    let mut result = Err(PdfFailure::ModuleUnavailable);
    for _attempt in 0..2 {
        let Some(module) = module() else {
            break;
        };
        if JsFuture::from(module.ready.clone()).await.is_ok() {
            result = Ok(());
            break;
        }
        // Forget the failed worker, so that the next try (or the next press) starts afresh.
        module.worker.terminate();
        MODULE.with(|m| *m.borrow_mut() = None);
    }
    PROGRESS.with(|p| *p.borrow_mut() = None);
    result
}

/// Renders form `form_id` of the forms file `forms_text` (data/forms.json as fetched) filled
/// with `answers` in the PDF module, and returns the PDF's bytes. The file goes as the text it
/// came as: the module parses it, so the page needs no code to write form definitions out.
pub async fn make_pdf(
    forms_text: &str,
    form_id: &str,
    answers: &FormAnswers,
) -> Result<Vec<u8>, PdfFailure> {
    let job = PdfJob::Form(FormJob {
        forms: RawValue::from_string(forms_text.to_owned()).map_err(|_| PdfFailure::BadRequest)?,
        form: form_id.to_owned(),
        answers: answers.clone(),
    });
    run(serde_json::to_string(&job).map_err(|_| PdfFailure::BadRequest)?).await
}

/// Renders a warning's poster in the PDF module and returns the PDF's bytes.
pub async fn make_poster(poster: Poster) -> Result<Vec<u8>, PdfFailure> {
    let job: PdfJob<()> = PdfJob::Poster(poster);
    run(serde_json::to_string(&job).map_err(|_| PdfFailure::BadRequest)?).await
}

/// Sends a job, as JSON text, to the PDF module and waits for its answer.
async fn run(job: String) -> Result<Vec<u8>, PdfFailure> {
    load_module(Rc::new(|_, _| {})).await?;
    let module = module().ok_or(PdfFailure::ModuleUnavailable)?;
    let worker = module.worker.clone();
    let answer = js_sys::Promise::new(&mut |resolve, _reject| {
        let on_message = Closure::once_into_js(move |event: MessageEvent| {
            let _ = resolve.call1(&JsValue::NULL, &event.data());
        });
        worker.set_onmessage(Some(on_message.unchecked_ref()));
    });
    module
        .worker
        .post_message(&JsValue::from_str(&job))
        .map_err(|_| PdfFailure::BadRequest)?;
    let reply = JsFuture::from(answer)
        .await
        .map_err(|_| PdfFailure::BadRequest)?;
    if let Some(bytes) = reply.dyn_ref::<js_sys::Uint8Array>() {
        return Ok(bytes.to_vec());
    }
    Err(
        match PdfJobFailure::from_code(&reply.as_string().unwrap_or_default()) {
            PdfJobFailure::BadFont => PdfFailure::BadFont,
            PdfJobFailure::BadRequest => PdfFailure::BadRequest,
        },
    )
}

// Its words live with it: i18n words only the domain's problems (tests/layers.rs).
impl PdfFailure {
    pub fn message(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (PdfFailure::ModuleUnavailable, Lang::Vi) => {
                "Chưa tải được công cụ tạo PDF (lần đầu cần mạng). Hãy kiểm tra kết nối rồi bấm lại. Câu trả lời của bạn vẫn còn nguyên."
            }
            (PdfFailure::ModuleUnavailable, Lang::En) => {
                "The PDF tool could not be downloaded (the first time needs the network). Check the connection and press again. Your answers are all still here."
            }
            (PdfFailure::BadRequest | PdfFailure::BadFont, Lang::Vi) => {
                "Không tạo được PDF. Hãy tải lại trang và thử lại, hoặc nhờ cán bộ giúp."
            }
            (PdfFailure::BadRequest | PdfFailure::BadFont, Lang::En) => {
                "The PDF could not be made. Reload the page and try again, or ask the staff for help."
            }
        }
    }
}
