//! A PDF made on the device — a citizen's form (`pages::forms::review`) or a warning's poster
//! (`pages::content_desk`): how far its making has gone, and saving or printing it, where a
//! browser that refuses either is told to the reader instead of doing nothing.

use std::sync::Arc;

use leptos::prelude::*;

use crate::platform::download::{download_bytes, print_pdf};
use crate::platform::pdf::PdfFailure;

/// What making a PDF has reached.
#[derive(Clone, Debug, PartialEq)]
pub enum PdfState {
    Idle,
    /// Downloading the PDF module: percent when the size is known.
    Loading(Option<u32>),
    Making,
    Ready(Arc<Vec<u8>>),
    Failed(PdfFailure),
    /// The browser refused the download or the print.
    Blocked,
}

impl PdfState {
    /// A PDF is on its way: its button waits.
    pub fn busy(&self) -> bool {
        matches!(self, PdfState::Loading(_) | PdfState::Making)
    }
}

/// Saves the PDF as `file_name`; a refusal becomes `Blocked`.
pub fn download_pdf(state: RwSignal<PdfState>, file_name: &str, bytes: &[u8]) {
    if download_bytes(file_name, "application/pdf", bytes).is_err() {
        state.set(PdfState::Blocked);
    }
}

/// Opens the browser's print dialog for the PDF; a refusal becomes `Blocked`. True when the
/// dialog was asked for.
pub fn print_made_pdf(state: RwSignal<PdfState>, bytes: &[u8]) -> bool {
    let asked = print_pdf(bytes).is_ok();
    if !asked {
        state.set(PdfState::Blocked);
    }
    asked
}
