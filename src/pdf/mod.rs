//! PDF rendering of guided forms with printpdf: A4, laid out like the official form (national
//! heading, form code, numbered fields, boxes for the ID number, signature blocks), text
//! selectable and searchable (embedded, subset Noto Sans with a ToUnicode map), long answers
//! wrapped and continued on added pages, and a QR code carrying the answers.
//!
//! Pure: fonts and answers are given; no browser. Compiled only with the `pdf` feature so the
//! engine never enters the first-load wasm.

mod layout;

use std::io::Write;

use flate2::{write::ZlibEncoder, Compression};
use lopdf::Object;
use printpdf::{PdfDocument, PdfSaveOptions};
use unicode_normalization::UnicodeNormalization;

use crate::domain::answer_sheet::{answer_sheet, Answer, SheetLine};
use crate::domain::forms::{FieldKind, FormAnswers, FormDef, PrintAs};
use crate::domain::poster::Poster;
use crate::domain::text::Lang;

pub use layout::Fonts;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("the font could not be read")]
    BadFont,
}

/// NFC, so that letters typed as base + combining marks print as one glyph and come back out of
/// the PDF exactly as the composed Vietnamese text.
pub fn normalize(text: &str) -> String {
    text.nfc().collect()
}

/// A one-line answer as printed: the sheet's words (yes/no in Vietnamese), composed (NFC).
fn printed_text(answer: &Answer) -> String {
    match answer {
        Answer::YesNo(yes) => crate::i18n::yes_no(Lang::Vi, *yes).into(),
        answer => normalize(answer.text()),
    }
}

/// What the QR code on the page holds: the hand-off code (`domain::handoff`), which staff load
/// at the counter exactly as a code shown on a phone.
pub fn qr_payload(form: &FormDef, answers: &FormAnswers) -> String {
    crate::domain::handoff::encode(form, answers)
}

/// Renders `form` filled with `answers` as a PDF: the date lines are left for the citizen to
/// write by hand.
pub fn render_form(
    form: &FormDef,
    answers: &FormAnswers,
    fonts: &Fonts,
) -> Result<Vec<u8>, PdfError> {
    let mut document = PdfDocument::new(&normalize(&form.print_title));
    let mut pages = layout::Pages::new(&mut document, fonts)?;
    pages.national_heading(&form.code, &form.basis.vi);
    pages.title(&form.print_title);

    let mut number = 0;
    for section in answer_sheet(form, answers, Lang::Vi) {
        if let Some(heading) = &section.step.print_heading {
            pages.heading(heading);
        }
        for line in section.lines.filter(|l| l.field.printed) {
            print_line(&line, &mut number, &mut pages);
        }
    }
    if let Some(pledge) = &form.pledge {
        pages.paragraph(pledge);
    }
    pages.signatures(&form.signatures);
    pages.qr(
        &mut document,
        &qr_payload(form, answers),
        "Mã QR chứa nội dung đã khai, để cán bộ nạp lại không cần gõ.",
    );
    let pages = pages.finish();
    document.with_pages(pages);
    Ok(write(&document, fonts))
}

/// What every poster reminds its reader of, with the station's number after it.
pub const POSTER_REMINDER: &str = "Công an không bao giờ yêu cầu chuyển tiền, đọc mã OTP hay cài ứng dụng qua điện thoại, tin nhắn hay mạng xã hội. Nghi ngờ bị lừa đảo: gọi 113 hoặc";

/// A warning's A4 poster: who issues it, the warning in large type, what to do, the reminder,
/// the station's official channels with how to recognise each, and a QR code to its page.
pub fn render_poster(poster: &Poster, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    let mut document = PdfDocument::new(&normalize(&poster.title));
    let mut pages = layout::Pages::new(&mut document, fonts)?;
    pages.centred_note(&poster.agency.to_uppercase(), 11.0, false);
    pages.centred_note(&poster.station.to_uppercase(), 12.0, true);
    pages.rule();
    let kind = if poster.warning {
        "CẢNH BÁO LỪA ĐẢO"
    } else {
        "THÔNG BÁO"
    };
    pages.banner(kind, 30.0);
    pages.banner(&poster.title, 20.0);
    let dates = match &poster.since {
        Some(since) => format!("Ghi nhận từ ngày {since} · Đăng ngày {}", poster.published),
        None => format!("Đăng ngày {}", poster.published),
    };
    pages.centred_note(&dates, 10.0, false);
    pages.paragraph_at(&poster.body, 14.0, false);
    if let Some(advice) = &poster.advice {
        pages.paragraph_at("Việc cần làm", 15.0, true);
        pages.paragraph_at(advice, 14.0, false);
    }
    pages.boxed(&format!("{POSTER_REMINDER} {}.", poster.phone), 13.0);
    if !poster.channels.is_empty() {
        pages.paragraph_at(
            &format!("Kênh chính thức của {}", poster.station),
            13.0,
            true,
        );
        for channel in &poster.channels {
            pages.paragraph_at(
                &format!("{} – {}: {}", channel.kind, channel.name, channel.address),
                11.0,
                false,
            );
            if let Some(recognise) = &channel.recognise {
                pages.paragraph_at(&format!("Cách nhận biết: {recognise}"), 10.0, false);
            }
        }
    }
    // The caption names what the code opens: a warning, or the station's notice.
    let item = if poster.warning {
        "cảnh báo này"
    } else {
        "thông báo này"
    };
    pages.qr(
        &mut document,
        &poster.link,
        &format!("Quét mã để đọc {item} trên điện thoại: {}", poster.link),
    );
    let pages = pages.finish();
    document.with_pages(pages);
    Ok(write(&document, fonts))
}

/// One field as a numbered line (or boxes, ticks, a table); `number` counts the printed lines.
fn print_line(line: &SheetLine, number: &mut usize, pages: &mut layout::Pages) {
    let field = line.field;
    if field.print_as == PrintAs::Addressee {
        pages.labelled_line(None, &field.print_label, &printed_text(&line.answer));
        return;
    }
    *number += 1;
    let number = *number;
    match (field.kind, &line.answer) {
        (FieldKind::IdNumber, answer) => {
            let digits: String = answer.text().chars().filter(char::is_ascii_digit).collect();
            pages.id_boxes(number, &field.print_label, &digits);
        }
        (FieldKind::Multi, answer) => {
            pages.labelled_line(Some(number), &field.print_label, "");
            match answer {
                Answer::Ticks(ticks) => {
                    for (label, ticked) in ticks {
                        pages.checkbox(*ticked, label);
                    }
                }
                _ => {
                    for option in &field.options {
                        pages.checkbox(false, &option.label.vi);
                    }
                }
            }
        }
        (FieldKind::Rows, answer) => {
            let rows: Vec<Vec<String>> = match answer {
                Answer::Table(rows) => rows
                    .iter()
                    .map(|cells| cells.iter().map(|c| normalize(c)).collect())
                    .collect(),
                _ => Vec::new(),
            };
            pages.labelled_line(Some(number), &field.print_label, "");
            let headers: Vec<String> = field
                .columns
                .iter()
                .map(|c| c.print_label.clone())
                .collect();
            pages.table(&headers, &rows);
        }
        (_, answer) => pages.labelled_line(Some(number), &field.print_label, &printed_text(answer)),
    }
}

/// The document's bytes. printpdf's own `save` compresses every stream at zlib's best level on
/// every PDF, and most of a PDF's time went to the two font files, the same 106 KB each time.
/// Written here instead: the fonts' streams compressed once per `Fonts` and reused, the page
/// content at zlib's default level (the QR image comes compressed, `layout::Pages::qr`).
fn write(document: &PdfDocument, fonts: &Fonts) -> Vec<u8> {
    let options = PdfSaveOptions {
        optimize: false,
        ..PdfSaveOptions::default()
    };
    let mut pdf = document.to_lopdf_document(&options, &mut Vec::new());
    for object in pdf.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if stream.dict.has(b"Filter") {
            continue;
        }
        if let Some(packed) = fonts.compressed(&stream.content) {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(packed.to_vec());
            continue;
        }
        let packed = deflate(&stream.content, Compression::default());
        if packed.len() < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(packed);
        }
    }
    let mut bytes = Vec::new();
    // Writing into memory: the only failure would be running out of it, which aborts anyway.
    let _ = pdf.save_to(&mut bytes);
    bytes
}

/// zlib-compressed `data`, as a PDF's FlateDecode filter reads it.
pub(crate) fn deflate(data: &[u8], level: Compression) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::new(), level);
    // Into memory: cannot fail short of running out of it.
    let _ = encoder.write_all(data);
    encoder.finish().unwrap_or_default()
}

// Its words live with it: i18n words only the domain's problems (tests/layers.rs).
impl PdfError {
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Vi => "Không đọc được phông chữ để tạo PDF. Hãy tải lại trang và thử lại.".into(),
            Lang::En => {
                "The font for the PDF could not be read. Reload the page and try again.".into()
            }
        }
    }
}
