//! Browser glue, one capability per file. Everything here may fail in a real browser (storage
//! switched off, no service worker in an insecure context, offline) and says so with a typed
//! value instead of panicking.

pub mod booking_store;
pub mod camera;
pub mod clock;
pub mod document;
pub mod download;
pub mod drafts_store;
pub mod fetch;
pub mod kiosk;
pub mod pdf;
pub mod print;
pub mod random;
pub mod service_worker;
pub mod station;
pub mod station_bundle;
pub mod storage;
