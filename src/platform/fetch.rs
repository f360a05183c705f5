//! Fetching the data files under public/data.

use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::domain::data_file::{parse_data_file, DataFileError, Validate};

/// Fetches `file` (a path under the site root, e.g. "data/station.json") and parses it.
/// The service worker answers from its cache when the network is gone.
pub async fn load_data_file<T: DeserializeOwned + Validate>(
    file: &'static str,
) -> Result<T, DataFileError> {
    let text = fetch_text(file).await?;
    parse_data_file(file, &text)
}

async fn fetch_text(file: &str) -> Result<String, DataFileError> {
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
