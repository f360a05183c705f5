//! Reading a QR code with the device's camera (public/camera/scan.js, loaded the first time it
//! is asked for, so it weighs nothing on the first load).

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::domain::text::Lang;

#[wasm_bindgen(
    inline_js = "export function cameraAvailable(){return!!navigator.mediaDevices?.getUserMedia}\
export function scanWithCamera(p,s){return import('/camera/scan.js').then(m=>m.scan(p,s))}"
)]
extern "C" {
    #[wasm_bindgen(js_name = cameraAvailable)]
    fn camera_available() -> bool;
    #[wasm_bindgen(js_name = scanWithCamera)]
    fn scan_with_camera(prompt: &str, stop_label: &str) -> js_sys::Promise;
}

/// The camera could not be used: none, permission refused, or the reader could not load.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CameraUnavailable;

/// True where the browser can give a camera's picture (a secure page with media devices).
pub fn available() -> bool {
    super::IN_BROWSER && camera_available()
}

/// Shows the camera's picture until a QR code is read (its text) or the person stops (None).
pub async fn scan(prompt: &str, stop_label: &str) -> Result<Option<String>, CameraUnavailable> {
    JsFuture::from(scan_with_camera(prompt, stop_label))
        .await
        .map(|text| text.as_string())
        .map_err(|_| CameraUnavailable)
}

// Its words live with it: i18n words only the domain's problems (tests/layers.rs).
impl CameraUnavailable {
    pub fn message(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => "Không dùng được máy ảnh (không có máy ảnh, hoặc chưa được cho phép). Hãy quét bằng máy quét hoặc dán mã vào ô.",
            Lang::En => "The camera could not be used (there is none, or permission was refused). Scan with the scanner or paste the code into the box instead.",
        }
    }
}
