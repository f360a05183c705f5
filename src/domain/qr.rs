//! QR codes: the modules of a code (`encode`), for the phone's SVG and the PDF's image, and the
//! SVG markup (no script, no style attribute: safe under the app's CSP). Drawn here as one path,
//! a rectangle per run of dark modules, rather than through the qrcode crate's generic SVG
//! renderer: smaller markup, and less code in the first-load wasm.

use std::fmt::Write;

use qrcode::canvas::{Canvas, MaskPattern};
pub use qrcode::EcLevel;

/// The quiet zone readers need around a code, in modules.
const QUIET: usize = 4;

/// An SVG drawing of `text` as a QR code, or None if the text is too long for a QR code.
pub fn qr_svg(text: &str, label: &str) -> Option<String> {
    let code = encode(text.as_bytes(), EcLevel::M)?;
    let width = code.width;
    let mut path = String::new();
    for (y, row) in code.dark.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if !row[x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && row[x] {
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

/// A QR code's modules, row by row from the top.
pub struct QrModules {
    /// Modules per side, without the quiet zone.
    pub width: usize,
    /// `width × width` entries, true where the module is dark.
    pub dark: Vec<bool>,
}

/// `data` as a QR code at `level`, or None if it is too long for one.
///
/// The same code as the qrcode crate's `QrCode::with_error_correction_level` (tested below),
/// but with the mask chosen by the scorer here: the crate scores each of the eight masks
/// through a boxed closure per module, which took 15 ms of DC02's 22 ms PDF (a 169-module
/// code) natively and more in the browser; this takes well under a millisecond.
pub fn encode(data: &[u8], level: EcLevel) -> Option<QrModules> {
    let bits = qrcode::bits::encode_auto(data, level).ok()?;
    let version = bits.version();
    let (codewords, correction) =
        qrcode::ec::construct_codewords(&bits.into_bytes(), version, level).ok()?;
    let mut canvas = Canvas::new(version, level);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&codewords, &correction);
    let width = usize::try_from(version.width()).ok()?;
    MASKS
        .iter()
        .map(|&mask| {
            let mut masked = canvas.clone();
            masked.apply_mask(mask);
            let dark = masked
                .into_colors()
                .into_iter()
                .map(|module| module == qrcode::Color::Dark)
                .collect();
            QrModules { width, dark }
        })
        // The first of equally good masks, as the crate picks.
        .min_by_key(QrModules::penalty)
}

/// The eight masks of a (non-micro) QR code, in the standard's order.
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

impl QrModules {
    /// The standard's penalty for a masked code (ISO/IEC 18004 rules 1–4), scored as the qrcode
    /// crate scores it, so both pick the same mask: lower reads more reliably.
    fn penalty(&self) -> u32 {
        let w = self.width;
        // Columns scored as the rows of the transposed code: each line is then a slice.
        let mut transposed = vec![false; self.dark.len()];
        for (i, &dark) in self.dark.iter().enumerate() {
            transposed[(i % w) * w + i / w] = dark;
        }
        let lines = self.dark.chunks(w).chain(transposed.chunks(w));
        let mut score: u32 = lines
            .map(|line| run_penalty(line) + finder_penalty(line))
            .sum();
        for (row, below) in self.dark.chunks(w).zip(self.dark.chunks(w).skip(1)) {
            for x in 0..w - 1 {
                let this = row[x];
                if this == row[x + 1] && this == below[x] && this == below[x + 1] {
                    score += 3;
                }
            }
        }
        let dark = self.dark.iter().filter(|&&d| d).count();
        let ratio = dark * 200 / self.dark.len();
        score + ratio.abs_diff(100) as u32
    }
}

/// Rule 1 along one line: a run of 5 + n modules of one colour costs 3 + n.
fn run_penalty(line: &[bool]) -> u32 {
    line.chunk_by(|a, b| a == b)
        .map(|run| run.len() as u32)
        .filter(|&run| run >= 5)
        .map(|run| run - 2)
        .sum()
}

/// Rule 3 along one line: 40 for each dark-light-dark×3-light-dark that lacks light space on a
/// side (the crate's reading: no dark module within four of it, the edge counting as light).
fn finder_penalty(line: &[bool]) -> u32 {
    const PATTERN: [bool; 7] = [true, false, true, true, true, false, true];
    let dark_in = |from: usize, to: usize| line[from..to.min(line.len())].contains(&true);
    let found = line
        .windows(7)
        .enumerate()
        .filter(|(_, window)| *window == PATTERN);
    found
        .filter(|&(start, _)| {
            !dark_in(start.saturating_sub(4), start) || !dark_in(start + 7, start + 11)
        })
        .count() as u32
        * 40
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

    // The mask chosen here is the crate's own choice, module for module, for codes from the
    // smallest to the size of a long form's hand-off code, at both levels the app uses.
    #[test]
    fn encodes_the_same_code_as_the_qrcode_crate() {
        for length in [1, 7, 30, 120, 400, 900, 1_700, 2_600] {
            let text: String = "CK1:Nguyễn Thị Hồng Nhung|0912345678|"
                .chars()
                .cycle()
                .take(length)
                .collect();
            for level in [EcLevel::L, EcLevel::M] {
                let Ok(theirs) = qrcode::QrCode::with_error_correction_level(&text, level) else {
                    assert!(encode(text.as_bytes(), level).is_none(), "{length} chars");
                    continue;
                };
                let ours = encode(text.as_bytes(), level).expect("fits");
                assert_eq!(ours.width, theirs.width(), "{length} chars");
                let theirs: Vec<bool> = theirs
                    .to_colors()
                    .into_iter()
                    .map(|c| c == qrcode::Color::Dark)
                    .collect();
                assert!(
                    ours.dark == theirs,
                    "{length} chars at {level:?}: another mask"
                );
            }
        }
    }

    #[test]
    fn text_too_long_for_any_code_has_none() {
        assert!(encode(&[b'x'; 3_000], EcLevel::L).is_none());
    }
}
