//! Browser glue, one capability per file. Everything here may fail in a real browser (storage
//! switched off, no service worker in an insecure context, offline) and says so with a typed
//! value instead of panicking.
//!
//! Natively (the `prerender` feature) this compiles too, for drawing pages to HTML: there the
//! few functions a page calls while it is drawn answer as a fresh visit would (online, no
//! camera, nothing stored, the system clock), and the page's title is recorded for the file.

/// False when pages are drawn natively to HTML: nothing of the device (storage, service
/// worker, location) is read or started then.
pub const IN_BROWSER: bool = cfg!(target_arch = "wasm32");

pub mod announce;
pub mod api_client;
pub mod booking_store;
pub mod bundles;
pub mod camera;
pub mod clock;
pub mod document;
pub mod download;
pub mod drafts_store;
pub mod fetch;
pub mod kiosk;
pub mod live;
pub mod pdf;
pub mod print;
pub mod questions_store;
pub mod random;
pub mod service_worker;
pub mod storage;
