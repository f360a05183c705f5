//! Offering a file made in the browser (a calendar entry, a PDF) as a download, printing a PDF,
//! and reading a file the user chose (a pack of answers to import).

use std::cell::RefCell;

use wasm_bindgen::JsCast;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DownloadError {
    #[error("the browser did not allow the download")]
    Blocked,
}

fn blob_url(part: &wasm_bindgen::JsValue, mime: &str) -> Result<String, DownloadError> {
    let parts = js_sys::Array::of1(part);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|_| DownloadError::Blocked)?;
    web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| DownloadError::Blocked)
}

fn document() -> Result<web_sys::Document, DownloadError> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or(DownloadError::Blocked)
}

fn save(url: &str, file_name: &str) -> Result<(), DownloadError> {
    let anchor: web_sys::HtmlAnchorElement = document()?
        .create_element("a")
        .map_err(|_| DownloadError::Blocked)?
        .dyn_into()
        .map_err(|_| DownloadError::Blocked)?;
    anchor.set_href(url);
    anchor.set_download(file_name);
    anchor.click();
    // The object URL is released at once: nothing of the file stays reachable afterwards.
    let _ = web_sys::Url::revoke_object_url(url);
    Ok(())
}

pub fn download_text(file_name: &str, mime: &str, text: &str) -> Result<(), DownloadError> {
    let url = blob_url(&wasm_bindgen::JsValue::from_str(text), mime)?;
    save(&url, file_name)
}

pub fn download_bytes(file_name: &str, mime: &str, bytes: &[u8]) -> Result<(), DownloadError> {
    let url = blob_url(&js_sys::Uint8Array::from(bytes).into(), mime)?;
    save(&url, file_name)
}

thread_local! {
    /// The frame holding the PDF being printed and its object URL, released at the next print
    /// or when the page goes (a kiosk's erase reloads the page).
    static PRINT_FRAME: RefCell<Option<(web_sys::HtmlIFrameElement, String)>> = const { RefCell::new(None) };
}

/// Removes the PDF kept for printing, if any.
pub fn release_printed_pdf() {
    if !super::IN_BROWSER {
        return;
    }
    if let Some((frame, url)) = PRINT_FRAME.with(|f| f.borrow_mut().take()) {
        frame.remove();
        let _ = web_sys::Url::revoke_object_url(&url);
    }
}

/// Opens the browser's print dialog with the PDF: it is loaded in a hidden frame, which prints
/// itself once loaded.
pub fn print_pdf(bytes: &[u8]) -> Result<(), DownloadError> {
    release_printed_pdf();
    let url = blob_url(&js_sys::Uint8Array::from(bytes).into(), "application/pdf")?;
    let document = document()?;
    let frame: web_sys::HtmlIFrameElement = document
        .create_element("iframe")
        .map_err(|_| DownloadError::Blocked)?
        .dyn_into()
        .map_err(|_| DownloadError::Blocked)?;
    frame.set_class_name("print-frame");
    let _ = frame.set_attribute("title", "PDF");
    let _ = frame.set_attribute("aria-hidden", "true");
    let _ = frame.set_attribute("tabindex", "-1");
    let loaded = frame.clone();
    let on_load = wasm_bindgen::closure::Closure::once_into_js(move || {
        if let Some(window) = loaded.content_window() {
            let _ = window.print();
        }
    });
    frame.set_onload(Some(on_load.unchecked_ref()));
    frame.set_src(&url);
    document
        .body()
        .ok_or(DownloadError::Blocked)?
        .append_child(&frame)
        .map_err(|_| DownloadError::Blocked)?;
    PRINT_FRAME.with(|f| *f.borrow_mut() = Some((frame, url)));
    Ok(())
}

/// The text of the file chosen in the file input `event` came from; `None` when none was.
pub async fn chosen_file_text(event: &web_sys::Event) -> Result<Option<String>, DownloadError> {
    let Some(input) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return Ok(None);
    };
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return Ok(None);
    };
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|_| DownloadError::Blocked)?;
    // Chosen again later, the same file must fire `change` again.
    input.set_value("");
    Ok(text.as_string())
}
