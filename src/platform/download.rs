//! Offering a file made in the browser (a calendar entry, later PDFs) as a download.

use wasm_bindgen::JsCast;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DownloadError {
    #[error("the browser did not allow the download")]
    Blocked,
}

pub fn download_text(file_name: &str, mime: &str, text: &str) -> Result<(), DownloadError> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| DownloadError::Blocked)?;
    let url =
        web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| DownloadError::Blocked)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(DownloadError::Blocked)?;
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| DownloadError::Blocked)?
        .dyn_into()
        .map_err(|_| DownloadError::Blocked)?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    // The object URL is released at once: nothing of the file stays reachable afterwards.
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
