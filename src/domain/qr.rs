//! QR codes as SVG markup (no script, no style attribute: safe under the app's CSP). Drawn here
//! as one path, a rectangle per run of dark modules, rather than through the qrcode crate's
//! generic SVG renderer: smaller markup, and less code in the first-load wasm.

use std::fmt::Write;

use qrcode::{Color, EcLevel, QrCode};

/// The quiet zone readers need around a code, in modules.
const QUIET: usize = 4;

/// An SVG drawing of `text` as a QR code, or None if the text is too long for a QR code.
pub fn qr_svg(text: &str, label: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let mut path = String::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] != Color::Dark {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && row[x] == Color::Dark {
                x += 1;
            }
            let run = x - start;
            let _ = write!(path, "M{},{}h{run}v1h-{run}z", start + QUIET, y + QUIET);
        }
    }
    let size = width + 2 * QUIET;
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>",
        crate::domain::text::escape_html(label)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_an_svg_with_a_name() {
        let svg = qr_svg("K7M4QX9", "Mã QR \"lịch hẹn\"").expect("fits");
        assert!(svg.starts_with("<svg ") && svg.contains("role=\"img\""));
        assert!(svg.contains("aria-label=\"Mã QR &quot;lịch hẹn&quot;\""));
        assert!(!svg.contains("style="), "the CSP forbids inline styles");
        // Version 1 (21 modules) plus the quiet zone; the finder pattern's top row is one run.
        assert!(svg.contains("viewBox=\"0 0 29 29\""));
        assert!(svg.contains("M4,4h7v1h-7z"));
    }
}
