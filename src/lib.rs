//! civic-kiosk: procedure checklists, appointments and prefilled forms for commune police
//! stations, running entirely in the browser.
//!
//! `domain` is the pure core and compiles everywhere; `ui` and `platform` exist only in the
//! browser build. See ARCHITECTURE.md.

pub mod domain;
pub mod i18n;
#[cfg(feature = "pdf")]
pub mod pdf;
#[cfg(target_arch = "wasm32")]
pub mod platform;
#[cfg(all(feature = "server", not(target_arch = "wasm32")))]
pub mod server;
#[cfg(target_arch = "wasm32")]
pub mod ui;
