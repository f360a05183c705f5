//! QR codes: the modules of a code (`encode`, and `encode_short` for a booking code), for the
//! phone's SVG and the PDF's image, and the SVG markup (no script, no style attribute: safe
//! under the app's CSP). Drawn here as one path, a rectangle per run of dark modules, rather
//! than through the qrcode crate's generic SVG renderer: smaller markup, and less code in the
//! first-load wasm.

use std::fmt::Write;

use qrcode::canvas::{Canvas, MaskPattern};
pub use qrcode::EcLevel;

/// The quiet zone readers need around a code, in modules.
const QUIET: usize = 4;

/// An SVG drawing of `code`, named `label` for screen readers.
pub fn qr_svg(code: &QrModules, label: &str) -> String {
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
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>",
        crate::text::escape_html(label)
    )
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
    QrModules::best(MASKS.iter().map(|&mask| {
        let mut masked = canvas.clone();
        masked.apply_mask(mask);
        let dark = masked
            .into_colors()
            .into_iter()
            .map(|module| module == qrcode::Color::Dark)
            .collect();
        QrModules { width, dark }
    }))
}

/// Modules per side of the smallest QR code (version 1).
const SHORT_WIDTH: usize = 21;
/// Version 1 at level M: 16 data codewords and 10 for error correction, in one block.
const SHORT_DATA_CODEWORDS: usize = 16;
const SHORT_EC_CODEWORDS: usize = 10;

/// A short text of QR's alphanumeric characters (0–9, A–Z, space and $%*+-./:), at most 20 —
/// a booking code — as the smallest QR code (version 1, 21 modules) at level M, or None if it
/// does not fit. Written out here rather than through the qrcode crate, which serves every
/// size and mode: the crate cost the booking slip 11.7 KB of the first-load wasm (brotli),
/// this 3.4 KB. The same modules as the crate draws for the same segments (tested).
pub fn encode_short(text: &str) -> Option<QrModules> {
    let values = text
        .bytes()
        .map(alphanumeric_value)
        .collect::<Option<Vec<u16>>>()?;
    if values.len() > 20 {
        return None;
    }
    // Mode "alphanumeric", the count in 9 bits, then pairs in 11 bits (a last one in 6).
    let mut bits = Vec::with_capacity(SHORT_DATA_CODEWORDS * 8);
    let mut push =
        |value: u16, count: usize| bits.extend((0..count).rev().map(|i| value >> i & 1 == 1));
    push(0b0010, 4);
    push(values.len() as u16, 9);
    for pair in values.chunks(2) {
        match *pair {
            [first, second] => push(first * 45 + second, 11),
            [last] => push(last, 6),
            _ => {}
        }
    }
    // Up to four terminating zeros, zeros to a whole byte, then the standard's pad bytes.
    let terminator = (SHORT_DATA_CODEWORDS * 8 - bits.len()).min(4);
    bits.extend(std::iter::repeat_n(false, terminator));
    bits.extend(std::iter::repeat_n(false, (8 - bits.len() % 8) % 8));
    let mut codewords: Vec<u8> = bits
        .chunks(8)
        .map(|byte| byte.iter().fold(0, |acc, &bit| acc << 1 | u8::from(bit)))
        .collect();
    for pad in [0xEC, 0x11].into_iter().cycle() {
        if codewords.len() == SHORT_DATA_CODEWORDS {
            break;
        }
        codewords.push(pad);
    }
    let correction = reed_solomon_remainder(&codewords, SHORT_EC_CODEWORDS);
    codewords.extend(correction);

    let mut grid = ShortGrid::with_function_patterns();
    grid.place_data(&codewords);
    QrModules::best((0..8u8).map(|mask| grid.masked(mask)))
}

/// A character's value in QR's alphanumeric mode.
fn alphanumeric_value(byte: u8) -> Option<u16> {
    match byte {
        b'0'..=b'9' => Some(u16::from(byte - b'0')),
        b'A'..=b'Z' => Some(u16::from(byte - b'A') + 10),
        _ => b" $%*+-./:"
            .iter()
            .position(|&c| c == byte)
            .map(|i| 36 + i as u16),
    }
}

/// The error-correction codewords for `data` (Reed–Solomon over GF(256), polynomial 0x11D).
fn reed_solomon_remainder(data: &[u8], degree: usize) -> Vec<u8> {
    fn multiply(x: u8, y: u8) -> u8 {
        let mut product: u16 = 0;
        for i in (0..8).rev() {
            product = (product << 1) ^ ((product >> 7) * 0x11D);
            product ^= u16::from(y >> i & 1) * u16::from(x);
        }
        product as u8
    }
    // The generator polynomial (x − α⁰)(x − α¹)…, highest coefficient (1) left out.
    let mut generator = vec![0u8; degree];
    generator[degree - 1] = 1;
    let mut root = 1u8;
    for _ in 0..degree {
        for j in 0..degree {
            generator[j] = multiply(generator[j], root);
            if j + 1 < degree {
                generator[j] ^= generator[j + 1];
            }
        }
        root = multiply(root, 2);
    }
    let mut remainder = vec![0u8; degree];
    for &byte in data {
        let factor = byte ^ remainder[0];
        remainder.rotate_left(1);
        remainder[degree - 1] = 0;
        for (r, &g) in remainder.iter_mut().zip(&generator) {
            *r ^= multiply(g, factor);
        }
    }
    remainder
}

/// A version-1 code being drawn: its modules, and which of them are fixed patterns.
struct ShortGrid {
    dark: [bool; SHORT_WIDTH * SHORT_WIDTH],
    fixed: [bool; SHORT_WIDTH * SHORT_WIDTH],
}

impl ShortGrid {
    fn with_function_patterns() -> Self {
        let mut grid = ShortGrid {
            dark: [false; SHORT_WIDTH * SHORT_WIDTH],
            fixed: [false; SHORT_WIDTH * SHORT_WIDTH],
        };
        for i in 0..SHORT_WIDTH {
            grid.set_fixed(6, i, i % 2 == 0);
            grid.set_fixed(i, 6, i % 2 == 0);
        }
        // Three finder patterns with their light separators.
        for (cx, cy) in [(3, 3), (SHORT_WIDTH - 4, 3), (3, SHORT_WIDTH - 4)] {
            for dy in -4i32..=4 {
                for dx in -4i32..=4 {
                    let (x, y) = (cx as i32 + dx, cy as i32 + dy);
                    if (0..SHORT_WIDTH as i32).contains(&x) && (0..SHORT_WIDTH as i32).contains(&y)
                    {
                        let ring = dx.abs().max(dy.abs());
                        grid.set_fixed(x as usize, y as usize, ring != 2 && ring != 4);
                    }
                }
            }
        }
        // The format areas, reserved now and drawn with each mask.
        grid.draw_format(0);
        grid
    }

    fn set_fixed(&mut self, x: usize, y: usize, dark: bool) {
        self.dark[y * SHORT_WIDTH + x] = dark;
        self.fixed[y * SHORT_WIDTH + x] = true;
    }

    /// Level M and `mask` as 15 bits (BCH-coded, XOR 0x5412), in both copies, and the module
    /// that is always dark.
    fn draw_format(&mut self, mask: u8) {
        let data = u32::from(mask); // level M is 00
        let mut remainder = data;
        for _ in 0..10 {
            remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537);
        }
        let bits = ((data << 10) | remainder) ^ 0x5412;
        let bit = |i: usize| bits >> i & 1 == 1;
        let w = SHORT_WIDTH;
        for i in 0..=5 {
            self.set_fixed(8, i, bit(i));
        }
        self.set_fixed(8, 7, bit(6));
        self.set_fixed(8, 8, bit(7));
        self.set_fixed(7, 8, bit(8));
        for i in 9..15 {
            self.set_fixed(14 - i, 8, bit(i));
        }
        for i in 0..8 {
            self.set_fixed(w - 1 - i, 8, bit(i));
        }
        for i in 8..15 {
            self.set_fixed(8, w - 15 + i, bit(i));
        }
        self.set_fixed(8, w - 8, true);
    }

    /// The codewords' bits in the standard's zigzag: two columns at a time from the right,
    /// upwards then downwards, around the fixed patterns.
    fn place_data(&mut self, codewords: &[u8]) {
        let w = SHORT_WIDTH;
        let mut index = 0;
        let mut right = w - 1;
        while right >= 1 {
            if right == 6 {
                right = 5;
            }
            let upward = (right + 1) & 2 == 0;
            for vertical in 0..w {
                let y = if upward { w - 1 - vertical } else { vertical };
                for x in [right, right - 1] {
                    if !self.fixed[y * w + x] && index < codewords.len() * 8 {
                        self.dark[y * w + x] = codewords[index / 8] >> (7 - index % 8) & 1 == 1;
                        index += 1;
                    }
                }
            }
            if right < 2 {
                break;
            }
            right -= 2;
        }
    }

    /// The code with `mask` (0–7, the standard's numbering) applied to the data modules.
    fn masked(&self, mask: u8) -> QrModules {
        let mut grid = ShortGrid {
            dark: self.dark,
            fixed: self.fixed,
        };
        grid.draw_format(mask);
        for (i, dark) in grid.dark.iter_mut().enumerate() {
            let (x, y) = (i % SHORT_WIDTH, i / SHORT_WIDTH);
            let invert = match mask {
                0 => (x + y) % 2 == 0,
                1 => y % 2 == 0,
                2 => x % 3 == 0,
                3 => (x + y) % 3 == 0,
                4 => (x / 3 + y / 2) % 2 == 0,
                5 => x * y % 2 + x * y % 3 == 0,
                6 => (x * y % 2 + x * y % 3) % 2 == 0,
                _ => ((x + y) % 2 + x * y % 3) % 2 == 0,
            };
            if !self.fixed[i] && invert {
                *dark = !*dark;
            }
        }
        QrModules {
            width: SHORT_WIDTH,
            dark: grid.dark.to_vec(),
        }
    }
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
    /// The code with the lowest penalty of `masked` (one per mask, in the standard's order); the
    /// first of equally good ones, as the qrcode crate picks.
    fn best(masked: impl Iterator<Item = QrModules>) -> Option<QrModules> {
        masked.min_by_key(QrModules::penalty)
    }

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
        let code = encode_short("K7M4QX9").expect("fits");
        let svg = qr_svg(&code, "Mã QR \"lịch hẹn\"");
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

    /// The crate's own version-1 level-M code for `text` in alphanumeric mode, its own mask.
    fn crates_short_code(text: &str) -> Vec<bool> {
        use qrcode::{bits::Bits, Version};
        let version = Version::Normal(1);
        let mut bits = Bits::new(version);
        bits.push_alphanumeric_data(text.as_bytes()).expect("fits");
        bits.push_terminator(EcLevel::M).expect("fits");
        let (data, correction) =
            qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).expect("fits");
        let mut canvas = Canvas::new(version, EcLevel::M);
        canvas.draw_all_functional_patterns();
        canvas.draw_data(&data, &correction);
        canvas
            .apply_best_mask()
            .into_colors()
            .into_iter()
            .map(|module| module == qrcode::Color::Dark)
            .collect()
    }

    // Every length a short code can have, every character of the mode, and booking codes: the
    // same modules as the crate's, mask included.
    #[test]
    fn a_short_code_is_the_crates_own_code() {
        const CHARACTERS: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        let mut texts: Vec<String> = (1..=20)
            .map(|length| {
                CHARACTERS
                    .chars()
                    .cycle()
                    .skip(length * 7)
                    .take(length)
                    .collect()
            })
            .collect();
        texts.extend(
            [
                "K7M4QX9",
                "0000000",
                "YYYYYYY",
                "A1B2C3D",
                "HTTP://X.VN/K7M4QX9",
            ]
            .map(String::from),
        );
        for text in texts.iter().filter(|t| t.len() <= 20) {
            let ours = encode_short(text).expect("fits");
            assert_eq!(ours.width, 21);
            assert!(
                ours.dark == crates_short_code(text),
                "{text:?}: another code"
            );
        }
        assert!(
            encode_short(&"A".repeat(21)).is_none(),
            "21 characters do not fit"
        );
        assert!(
            encode_short("k7m4qx9").is_none(),
            "lower case is not in the mode"
        );
    }

    #[test]
    fn text_too_long_for_any_code_has_none() {
        assert!(encode(&[b'x'; 3_000], EcLevel::L).is_none());
    }
}
