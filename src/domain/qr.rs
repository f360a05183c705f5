//! QR codes as SVG markup (no script, no style attribute: safe under the app's CSP).

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// An SVG drawing of `text` as a QR code, or None if the text is too long for a QR code.
pub fn qr_svg(text: &str, label: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    // Give the picture an accessible name; the renderer emits a bare <svg …>.
    Some(image.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{}\" ", escape_attr(label)),
        1,
    ))
}

fn escape_attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_an_svg_with_a_name() {
        let svg = qr_svg("K7M4QX9", "Mã QR \"lịch hẹn\"").expect("fits");
        assert!(svg.starts_with("<?xml") || svg.contains("<svg role=\"img\""));
        assert!(svg.contains("aria-label=\"Mã QR &quot;lịch hẹn&quot;\""));
        assert!(!svg.contains("style="), "the CSP forbids inline styles");
    }
}
