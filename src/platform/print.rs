//! The browser's print dialog.

/// Opens the print dialog for the current page; the print styles give a clean A4 page.
/// A browser that refuses (kiosk policies can) simply shows nothing: there is no error to report.
pub fn print_page() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}
