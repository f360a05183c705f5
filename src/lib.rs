//! civic-kiosk: procedure checklists, appointments and prefilled forms for commune police
//! stations, running entirely in the browser.
//!
//! `domain` (crates/domain) is the pure core and compiles everywhere; `ui` and `platform` exist in the
//! browser build and, natively, in the `prerender` feature (pages drawn to HTML). The station
//! server is a crate of its own (crates/server) that uses this one. See ARCHITECTURE.md.
// Natively, the HTML renderer's async view types nest deeper than the default limit.
#![recursion_limit = "256"]

/// The pure core, its own crate (crates/domain): Cargo refuses it any layer above.
pub use domain;
pub mod i18n;
#[cfg(feature = "pdf")]
pub mod pdf;
#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
pub mod platform;
#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
pub mod ui;

// Talc instead of Rust's default allocator (dlmalloc), in every wasm built from this crate: less
// code (0.6 KB of the first load, brotli, measured) and faster. Realloc-in-place left out, as
// talc suggests for size.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
