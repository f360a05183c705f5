//! Fetching the data files under public/data.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::domain::data_file::DataFileError;

/// Fetches `file` (a path under the site root, e.g. "data/station.json") as text; the caller
/// parses it with `domain::data_file::parse_data_file`. One function for every file, so the
/// async machinery around it is compiled once. The service worker answers from its cache when
/// the network is gone.
pub async fn fetch_text(file: &'static str) -> Result<String, DataFileError> {
    let unavailable = |status| DataFileError::Unavailable {
        file: file.to_owned(),
        status,
    };
    let window = web_sys::window().ok_or_else(|| unavailable(None))?;
    // Absolute, so that deep routes such as /services/x do not resolve it below themselves.
    let answer = JsFuture::from(window.fetch_with_str(&format!("/{file}")))
        .await
        .map_err(|_| unavailable(None))?;
    let response: web_sys::Response = answer.dyn_into().map_err(|_| unavailable(None))?;
    if !response.ok() {
        return Err(unavailable(Some(response.status())));
    }
    let body = response.text().map_err(|_| unavailable(None))?;
    let text = JsFuture::from(body).await.map_err(|_| unavailable(None))?;
    text.as_string().ok_or_else(|| unavailable(None))
}
