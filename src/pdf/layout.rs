//! A small flowing layout on A4: a cursor moves down the page; anything that would cross the
//! bottom margin starts a new page, so long answers continue instead of being cut.

use printpdf::{
    DictItem, ExternalStream, ExternalXObject, FontId, Line, LinePoint, Mm, Op, PaintMode,
    ParsedFont, PdfDocument, PdfFontHandle, PdfPage, Point, Pt, Px, Rect, TextItem,
    XObjectTransform,
};

use std::collections::BTreeMap;
use std::sync::OnceLock;

use flate2::Compression;

use super::{normalize, PdfError};
use crate::domain::qr;

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const MARGIN: f32 = 18.0;
const BODY: f32 = 11.0;
const LINE: f32 = 5.6; // mm between baselines at 11 pt
/// The width kept for the QR code beside a last row of two signature blocks.
const QR_SLOT: f32 = 36.0;

/// The two faces used, as font files, and — made on the first PDF, then kept — the same files
/// compressed as every PDF embeds them.
pub struct Fonts {
    pub regular: Vec<u8>,
    pub bold: Vec<u8>,
    compressed: OnceLock<[Vec<u8>; 2]>,
}

impl Fonts {
    /// Noto Sans, subset to Latin and Vietnamese (public/fonts/README.md says how), built into
    /// the PDF module so that one cached download makes PDFs offline.
    pub fn embedded() -> Fonts {
        Fonts {
            regular: include_bytes!("../../public/fonts/NotoSans-Regular.ttf").to_vec(),
            bold: include_bytes!("../../public/fonts/NotoSans-Bold.ttf").to_vec(),
            compressed: OnceLock::new(),
        }
    }

    /// `program` compressed, if it is one of these two font files: the PDF's font stream.
    pub(super) fn compressed(&self, program: &[u8]) -> Option<&[u8]> {
        let index = [&self.regular, &self.bold]
            .iter()
            .position(|face| face.as_slice() == program)?;
        let both = self.compressed.get_or_init(|| {
            [&self.regular, &self.bold].map(|face| super::deflate(face, Compression::best()))
        });
        Some(&both[index])
    }
}

struct Face {
    parsed: ParsedFont,
    id: FontId,
}

pub struct Pages {
    regular: Face,
    bold: Face,
    done: Vec<PdfPage>,
    ops: Vec<Op>,
    /// Distance from the top edge, in mm.
    y: f32,
    /// Top and width of the free space left of the last signature row, where the QR code fits.
    free_left: Option<(f32, f32)>,
}

fn mm(v: f32) -> Pt {
    Mm(v).into()
}

impl Pages {
    pub fn new(document: &mut PdfDocument, fonts: &Fonts) -> Result<Self, PdfError> {
        let mut load = |bytes: &[u8]| -> Result<Face, PdfError> {
            let parsed =
                ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).ok_or(PdfError::BadFont)?;
            let id = document.add_font(&parsed);
            Ok(Face { parsed, id })
        };
        Ok(Pages {
            regular: load(&fonts.regular)?,
            bold: load(&fonts.bold)?,
            done: Vec::new(),
            ops: Vec::new(),
            y: MARGIN,
            free_left: None,
        })
    }

    fn face(&self, bold: bool) -> &Face {
        if bold {
            &self.bold
        } else {
            &self.regular
        }
    }

    /// Width of `text` in mm at `size` pt.
    fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let font = &self.face(bold).parsed;
        let units_per_em = f32::from(font.pdf_font_metrics.units_per_em.max(1));
        let units: f32 = text
            .chars()
            .map(|c| {
                font.lookup_glyph_index(c as u32)
                    .and_then(|g| font.get_glyph_width(g))
                    .map_or(500.0, f32::from)
            })
            .sum();
        units / units_per_em * size * 25.4 / 72.0
    }

    fn ensure_room(&mut self, needed: f32) {
        if self.y + needed > PAGE_H - MARGIN {
            let ops = std::mem::take(&mut self.ops);
            self.done.push(PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops));
            self.y = MARGIN;
        }
    }

    /// Draws text with its baseline at `baseline` mm from the top.
    fn text_at(&mut self, x: f32, baseline: f32, text: &str, size: f32, bold: bool) {
        let font = self.face(bold).id.clone();
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(font),
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: Point {
                    x: mm(x),
                    y: mm(PAGE_H - baseline),
                },
            },
            Op::ShowText {
                items: vec![TextItem::Text(normalize(text))],
            },
            Op::EndTextSection,
        ]);
    }

    fn centered(&mut self, text: &str, size: f32, bold: bool) {
        let line = size * 0.5;
        self.ensure_room(line);
        self.y += line;
        let x = (PAGE_W - self.width(text, size, bold)) / 2.0;
        let y = self.y;
        self.text_at(x.max(MARGIN), y, text, size, bold);
    }

    /// Splits text into lines no wider than `max` mm, breaking at spaces (or inside a word too
    /// long for a line). Explicit line breaks are kept.
    fn wrap(&self, text: &str, max: f32, size: f32, bold: bool) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut current = String::new();
            for word in paragraph.split(' ') {
                let candidate = if current.is_empty() {
                    word.to_owned()
                } else {
                    format!("{current} {word}")
                };
                if self.width(&candidate, size, bold) <= max {
                    current = candidate;
                    continue;
                }
                if !current.is_empty() {
                    lines.push(std::mem::take(&mut current));
                }
                // A word wider than the line is cut into pieces that fit.
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if self.width(&piece, size, bold) > max {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                current = piece;
            }
            lines.push(current);
        }
        lines
    }

    fn hline(&mut self, x1: f32, x2: f32, y: f32, thickness: f32) {
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        self.ops.push(Op::DrawLine {
            line: Line {
                points: vec![
                    LinePoint {
                        p: Point {
                            x: mm(x1),
                            y: mm(PAGE_H - y),
                        },
                        bezier: false,
                    },
                    LinePoint {
                        p: Point {
                            x: mm(x2),
                            y: mm(PAGE_H - y),
                        },
                        bezier: false,
                    },
                ],
                is_closed: false,
            },
        });
    }

    fn rect(&mut self, x: f32, top: f32, w: f32, h: f32, fill: bool) {
        // A line width matters to outlines only: a QR code's thousands of filled runs skip it.
        if !fill {
            self.ops.push(Op::SetOutlineThickness { pt: Pt(0.6) });
        }
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: mm(x),
                y: mm(PAGE_H - top - h),
                width: mm(w),
                height: mm(h),
                mode: Some(if fill {
                    PaintMode::Fill
                } else {
                    PaintMode::Stroke
                }),
                winding_order: None,
            },
        });
    }

    pub fn national_heading(&mut self, code: &str, basis: &str) {
        if !code.is_empty() {
            let size = 9.0;
            let w = self.width(code, size, true);
            self.text_at(PAGE_W - MARGIN - w, MARGIN - 6.0, code, size, true);
            let note = format!("(Ban hành kèm theo {basis})");
            let w = self.width(&note, 8.0, false).min(PAGE_W - 2.0 * MARGIN);
            self.text_at(PAGE_W - MARGIN - w, MARGIN - 2.0, &note, 8.0, false);
        }
        self.y += 4.0;
        self.centered("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12.0, true);
        self.centered("Độc lập - Tự do - Hạnh phúc", 12.0, true);
        let w = self.width("Độc lập - Tự do - Hạnh phúc", 12.0, true);
        let y = self.y + 1.5;
        self.hline((PAGE_W - w) / 2.0, (PAGE_W + w) / 2.0, y, 0.6);
        self.y += 6.0;
    }

    pub fn title(&mut self, title: &str) {
        self.centered(title, 14.0, true);
        self.y += 5.0;
    }

    /// "N. Label: value", the value wrapping under the label when long.
    pub fn labelled_line(&mut self, number: Option<usize>, label: &str, value: &str) {
        let label = match number {
            Some(n) => format!("{n}. {label}: "),
            None => format!("{label}: "),
        };
        let label_w = self.width(&label, BODY, false);
        let room = PAGE_W - 2.0 * MARGIN;
        let first_line_room = room - label_w;
        let mut lines = self.wrap(value, first_line_room.max(20.0), BODY, true);
        // Continuation lines may use the full width.
        if lines.len() > 1 {
            let rest = lines[1..].join(" ");
            lines.truncate(1);
            lines.extend(self.wrap(&rest, room, BODY, true));
        }
        for (i, line) in lines.iter().enumerate() {
            self.ensure_room(LINE);
            self.y += LINE;
            let y = self.y;
            if i == 0 {
                self.text_at(MARGIN, y, &label, BODY, false);
                self.text_at(MARGIN + label_w, y, line, BODY, true);
            } else {
                self.text_at(MARGIN, y, line, BODY, true);
            }
        }
        self.y += 1.2;
    }

    /// The label, then twelve boxes holding the digits.
    pub fn id_boxes(&mut self, number: usize, label: &str, digits: &str) {
        let label = format!("{number}. {label}: ");
        let label_w = self.width(&label, BODY, false);
        let box_size = 6.0;
        self.ensure_room(box_size + 2.0);
        let top = self.y + 1.0;
        self.text_at(MARGIN, top + 4.6, &label, BODY, false);
        let x0 = MARGIN + label_w + 1.0;
        let digits: Vec<char> = digits.chars().collect();
        for i in 0..12 {
            let x = x0 + i as f32 * box_size;
            self.rect(x, top, box_size, box_size, false);
            if let Some(d) = digits.get(i) {
                let s = d.to_string();
                let w = self.width(&s, BODY, true);
                self.text_at(x + (box_size - w) / 2.0, top + 4.5, &s, BODY, true);
            }
        }
        self.y = top + box_size + 1.6;
    }

    pub fn checkbox(&mut self, checked: bool, label: &str) {
        let lines = self.wrap(label, PAGE_W - 2.0 * MARGIN - 10.0, BODY, false);
        for (i, line) in lines.iter().enumerate() {
            self.ensure_room(LINE);
            self.y += LINE;
            let y = self.y;
            if i == 0 {
                self.rect(MARGIN + 4.0, y - 3.4, 3.6, 3.6, false);
                if checked {
                    self.text_at(MARGIN + 4.5, y - 0.2, "X", 10.0, true);
                }
            }
            self.text_at(MARGIN + 10.0, y, line, BODY, false);
        }
    }

    /// A section heading in bold, kept on the page with at least one line after it.
    pub fn heading(&mut self, text: &str) {
        self.y += 2.5;
        self.full_width_lines(text, true, LINE * 2.0);
        self.y += 0.8;
    }

    pub fn paragraph(&mut self, text: &str) {
        self.y += 2.0;
        self.full_width_lines(text, false, LINE);
    }

    /// `text` wrapped across the page width, a new page started wherever less than `room` is left.
    fn full_width_lines(&mut self, text: &str, bold: bool, room: f32) {
        self.lines_at(text, BODY, bold, room, false);
    }

    /// `text` at `size` pt, wrapped across the page width, each line centred or flush left; a
    /// new page wherever less than `room` mm (besides the line) is left.
    fn lines_at(&mut self, text: &str, size: f32, bold: bool, room: f32, centre: bool) {
        let line = size * LINE / BODY;
        for text in self.wrap(text, PAGE_W - 2.0 * MARGIN, size, bold) {
            self.ensure_room(room.max(line));
            self.y += line;
            let x = if centre {
                ((PAGE_W - self.width(&text, size, bold)) / 2.0).max(MARGIN)
            } else {
                MARGIN
            };
            let y = self.y;
            self.text_at(x, y, &text, size, bold);
        }
    }

    /// Large text for a poster, centred and wrapped.
    pub fn banner(&mut self, text: &str, size: f32) {
        self.y += 1.5;
        self.lines_at(text, size, true, 0.0, true);
        self.y += 2.0;
    }

    /// Small centred text (a poster's dates, its issuer).
    pub fn centred_note(&mut self, text: &str, size: f32, bold: bool) {
        self.lines_at(text, size, bold, 0.0, true);
    }

    /// A paragraph at `size` pt: a poster's body is read from a step away.
    pub fn paragraph_at(&mut self, text: &str, size: f32, bold: bool) {
        self.y += 2.0;
        self.lines_at(text, size, bold, 0.0, false);
    }

    /// A full-width rule below what came before.
    pub fn rule(&mut self) {
        self.y += 3.0;
        let y = self.y;
        self.hline(MARGIN, PAGE_W - MARGIN, y, 0.8);
        self.y += 1.0;
    }

    /// `text` in a framed box across the page, never split across pages.
    pub fn boxed(&mut self, text: &str, size: f32) {
        let line = size * LINE / BODY;
        let lines = self.wrap(text, PAGE_W - 2.0 * MARGIN - 8.0, size, true);
        let height = lines.len() as f32 * line + 5.0;
        self.y += 3.0;
        self.ensure_room(height);
        let top = self.y;
        self.rect(MARGIN, top, PAGE_W - 2.0 * MARGIN, height, false);
        for (i, text) in lines.iter().enumerate() {
            self.text_at(
                MARGIN + 4.0,
                top + 1.5 + line * (i as f32 + 0.9),
                text,
                size,
                true,
            );
        }
        self.y = top + height;
    }

    /// A table with a header row; cells wrap within their column, rows never split across pages.
    pub fn table(&mut self, headers: &[String], rows: &[Vec<String>]) {
        let size = 9.0;
        let line = 4.4;
        let number_w = 8.0;
        let col_w = (PAGE_W - 2.0 * MARGIN - number_w) / headers.len().max(1) as f32;
        let draw_row = |pages: &mut Pages, cells: Vec<String>, bold: bool| {
            let wrapped: Vec<Vec<String>> = cells
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    pages.wrap(
                        c,
                        if i == 0 { number_w - 1.5 } else { col_w - 2.0 },
                        size,
                        bold,
                    )
                })
                .collect();
            let height = wrapped.iter().map(Vec::len).max().unwrap_or(1) as f32 * line + 2.0;
            pages.ensure_room(height);
            let top = pages.y;
            let mut x = MARGIN;
            for (i, cell) in wrapped.iter().enumerate() {
                let w = if i == 0 { number_w } else { col_w };
                pages.rect(x, top, w, height, false);
                for (j, text) in cell.iter().enumerate() {
                    pages.text_at(
                        x + 1.0,
                        top + 1.0 + line * (j as f32 + 0.8),
                        text,
                        size,
                        bold,
                    );
                }
                x += w;
            }
            pages.y = top + height;
        };
        let mut header = vec!["TT".to_owned()];
        header.extend(headers.iter().cloned());
        draw_row(self, header, true);
        let blank = vec![String::new(); headers.len()];
        let filled = rows
            .iter()
            .chain(std::iter::repeat(&blank))
            .take(rows.len().max(2));
        for (i, row) in filled.enumerate() {
            let mut cells = vec![(i + 1).to_string()];
            cells.extend(row.iter().cloned());
            draw_row(self, cells, false);
        }
        self.y += 2.0;
    }

    /// Signature blocks, two per row: date line, title, "(Ký, ghi rõ họ tên)", room to sign.
    /// The last row leaves its left side free for the QR code: a single block sits on the
    /// right, where forms put the declarant; a pair narrows to make room for it.
    pub fn signatures(&mut self, titles: &[String]) {
        let rows = titles.chunks(2).count();
        for (row, pair) in titles.chunks(2).enumerate() {
            self.ensure_room(38.0);
            let top = self.y + 6.0;
            let last = row + 1 == rows;
            let (left, col_w) = match (pair.len(), last) {
                (1, _) => (
                    MARGIN + (PAGE_W - 2.0 * MARGIN) / 2.0,
                    (PAGE_W - 2.0 * MARGIN) / 2.0,
                ),
                (_, true) => (MARGIN + QR_SLOT, (PAGE_W - 2.0 * MARGIN - QR_SLOT) / 2.0),
                _ => (MARGIN, (PAGE_W - 2.0 * MARGIN) / 2.0),
            };
            if last {
                let room = if pair.len() == 1 { 40.0 } else { QR_SLOT - 2.0 };
                self.free_left = Some((top - 4.0, room));
            }
            for (i, title) in pair.iter().enumerate() {
                let x = left + i as f32 * col_w;
                let center = |pages: &Pages, text: &str, size: f32, bold: bool| {
                    x + (col_w - pages.width(text, size, bold)) / 2.0
                };
                let date = "…………, ngày …… tháng …… năm ……";
                let cx = center(self, date, 9.5, false);
                self.text_at(cx, top, date, 9.5, false);
                let lines = self.wrap(title, col_w - 4.0, 10.0, true);
                for (j, line) in lines.iter().enumerate() {
                    let cx = center(self, line, 10.0, true);
                    self.text_at(cx, top + 5.5 + j as f32 * 4.6, line, 10.0, true);
                }
                let hint = "(Ký, ghi rõ họ tên)";
                let cx = center(self, hint, 9.0, false);
                self.text_at(cx, top + 6.0 + lines.len() as f32 * 4.6, hint, 9.0, false);
            }
            self.y = top + 34.0;
        }
    }

    /// A QR code of `payload` at the bottom right of the last page (a form's answers, so staff
    /// can load them without retyping; a poster's link), `caption` beside it. Left out, with a
    /// line saying so, when the payload is too long for one.
    pub fn qr(&mut self, document: &mut PdfDocument, payload: &str, caption: &str) {
        let Some(code) = qr::encode(payload.as_bytes(), qr::EcLevel::L) else {
            self.paragraph("(Nội dung quá dài để in mã QR.)");
            return;
        };
        let modules = code.width;
        // At least 0.4 mm a module, so that a phone camera can read a long code from paper.
        let size = (modules as f32 * 0.4).max(34.0);
        let cell = size / modules as f32;
        let (x0, top, beside_signature) = match self.free_left.take() {
            Some((top, room)) if size <= room => (MARGIN, top, true),
            _ => {
                self.ensure_room(size + 8.0);
                (PAGE_W - MARGIN - size, self.y + 4.0, false)
            }
        };
        // The code as an image of one pixel per module, scaled up without smoothing: a few
        // hundred bytes where drawing DC02's long code as filled runs took 2,000+ rectangles —
        // most of that PDF's time and 11 KB of its size. One bit a module (printpdf's own images
        // are 8), each row starting on a byte, a set bit white.
        let bits: Vec<u8> = code
            .dark
            .chunks(modules)
            .flat_map(|row| {
                row.chunks(8).map(|eight| {
                    (eight.iter().enumerate())
                        .fold(0u8, |byte, (i, &dark)| byte | (u8::from(!dark) << (7 - i)))
                })
            })
            .collect();
        let side = DictItem::Int(modules as i64);
        let name = |name: &str| DictItem::Name(name.as_bytes().to_vec());
        let image = document.add_xobject(&ExternalXObject {
            stream: ExternalStream {
                dict: BTreeMap::from([
                    ("Type".to_owned(), name("XObject")),
                    ("Subtype".to_owned(), name("Image")),
                    ("Width".to_owned(), side.clone()),
                    ("Height".to_owned(), side),
                    ("ColorSpace".to_owned(), name("DeviceGray")),
                    ("BitsPerComponent".to_owned(), DictItem::Int(1)),
                    ("Filter".to_owned(), name("FlateDecode")),
                ]),
                content: super::deflate(&bits, Compression::default()),
                compress: false,
            },
            width: Some(Px(modules)),
            height: Some(Px(modules)),
            dpi: None,
        });
        // One image pixel is one module: `dpi` turns the pixel into `cell` mm.
        self.ops.push(Op::UseXobject {
            id: image,
            transform: XObjectTransform {
                translate_x: Some(mm(x0)),
                translate_y: Some(mm(PAGE_H - top - size)),
                dpi: Some(25.4 / cell),
                ..XObjectTransform::default()
            },
        });
        if beside_signature {
            for (i, line) in self
                .wrap(caption, size + 30.0, 7.5, false)
                .iter()
                .enumerate()
            {
                self.text_at(MARGIN, top + size + 3.5 + i as f32 * 3.4, line, 7.5, false);
            }
            self.y = self.y.max(top + size + 10.0);
        } else {
            let lines = self.wrap(caption, PAGE_W - 2.0 * MARGIN - size - 6.0, 8.5, false);
            for (i, line) in lines.iter().enumerate() {
                let baseline =
                    top + size / 2.0 + (i as f32 - (lines.len() as f32 - 1.0) / 2.0) * 4.0;
                self.text_at(MARGIN, baseline, line, 8.5, false);
            }
            self.y = top + size;
        }
    }

    pub fn finish(mut self) -> Vec<PdfPage> {
        let ops = std::mem::take(&mut self.ops);
        self.done.push(PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops));
        self.done
    }
}
