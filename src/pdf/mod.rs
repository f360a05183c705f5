//! PDF rendering of guided forms with printpdf: A4, laid out like the official form (national
//! heading, form code, numbered fields, boxes for the ID number, signature blocks), text
//! selectable and searchable (embedded, subset Noto Sans with a ToUnicode map), long answers
//! wrapped and continued on added pages, and a QR code carrying the answers.
//!
//! Pure: fonts and answers are given; no browser. Compiled only with the `pdf` feature so the
//! engine never enters the first-load wasm.

mod layout;

use printpdf::{PdfDocument, PdfSaveOptions};
use unicode_normalization::UnicodeNormalization;

use crate::domain::forms::{FieldKind, FormAnswers, FormDef, PrintAs, Value, NO, YES};

pub use layout::Fonts;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("the font could not be read")]
    BadFont,
}

impl PdfError {
    pub fn message(&self, lang: crate::domain::text::Lang) -> String {
        match lang {
            crate::domain::text::Lang::Vi => {
                "Không đọc được phông chữ để tạo PDF. Hãy tải lại trang và thử lại.".into()
            }
            crate::domain::text::Lang::En => {
                "The font for the PDF could not be read. Reload the page and try again.".into()
            }
        }
    }
}

/// NFC, so that letters typed as base + combining marks print as one glyph and come back out of
/// the PDF exactly as the composed Vietnamese text.
pub fn normalize(text: &str) -> String {
    text.nfc().collect()
}

/// What a field's answer reads as on paper.
fn printed_value(form: &FormDef, field_id: &str, value: Option<&Value>) -> String {
    let Some(field) = form.field(field_id) else {
        return String::new();
    };
    let option_label = |id: &str| {
        field
            .options
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.label.vi.clone())
    };
    match (field.kind, value) {
        (FieldKind::Choice, Some(Value::Text(id))) => option_label(id).unwrap_or_default(),
        (FieldKind::YesNo, Some(Value::Text(id))) if id == YES => "Có".into(),
        (FieldKind::YesNo, Some(Value::Text(id))) if id == NO => "Không".into(),
        (FieldKind::YesNo, _) => String::new(),
        (FieldKind::Date, Some(Value::Text(text))) => crate::domain::forms::parse_user_date(text)
            .map(crate::domain::time::format_date_vn)
            .unwrap_or_else(|| text.clone()),
        (_, Some(Value::Text(text))) => normalize(text.trim()),
        _ => String::new(),
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
    for step in &form.steps {
        if let Some(heading) = &step.print_heading {
            pages.heading(heading);
        }
        for field in &step.fields {
            print_field(form, field, answers, &mut number, &mut pages);
        }
    }
    if let Some(pledge) = &form.pledge {
        pages.paragraph(pledge);
    }
    pages.signatures(&form.signatures);
    pages.qr(&qr_payload(form, answers));
    let pages = pages.finish();
    document.with_pages(pages);
    let options = PdfSaveOptions {
        subset_fonts: true,
        ..PdfSaveOptions::default()
    };
    Ok(document.save(&options, &mut Vec::new()))
}

/// One field as a numbered line (or boxes, ticks, a table); `number` counts the printed lines.
fn print_field(
    form: &FormDef,
    field: &crate::domain::forms::Field,
    answers: &FormAnswers,
    number: &mut usize,
    pages: &mut layout::Pages,
) {
    if !field.printed || !form.is_shown(field, answers) {
        return;
    }
    let value = answers.get(&field.id);
    if field.print_as == PrintAs::Addressee {
        let value = printed_value(form, &field.id, value);
        pages.labelled_line(None, &field.print_label, &value);
        return;
    }
    *number += 1;
    let number = *number;
    match field.kind {
        FieldKind::IdNumber => {
            let digits: String = match value {
                Some(Value::Text(text)) => text.chars().filter(char::is_ascii_digit).collect(),
                _ => String::new(),
            };
            pages.id_boxes(number, &field.print_label, &digits);
        }
        FieldKind::Multi => {
            let chosen: Vec<&str> = match value {
                Some(Value::Many(list)) => list.iter().map(String::as_str).collect(),
                _ => Vec::new(),
            };
            pages.labelled_line(Some(number), &field.print_label, "");
            for option in &field.options {
                pages.checkbox(chosen.contains(&option.id.as_str()), &option.label.vi);
            }
        }
        FieldKind::Rows => {
            let rows: Vec<Vec<String>> = match value {
                Some(Value::Rows(rows)) => rows
                    .iter()
                    .filter(|row| row.values().any(|cell| !cell.trim().is_empty()))
                    .map(|row| {
                        field
                            .columns
                            .iter()
                            .map(|column| {
                                let cell = row
                                    .get(&column.id)
                                    .map(|c| c.trim().to_owned())
                                    .unwrap_or_default();
                                match column.kind {
                                    FieldKind::Choice => column
                                        .options
                                        .iter()
                                        .find(|o| o.id == cell)
                                        .map(|o| o.label.vi.clone())
                                        .unwrap_or(cell),
                                    FieldKind::Date => crate::domain::forms::parse_user_date(&cell)
                                        .map(crate::domain::time::format_date_vn)
                                        .unwrap_or(cell),
                                    _ => normalize(&cell),
                                }
                            })
                            .collect()
                    })
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
        _ => pages.labelled_line(
            Some(number),
            &field.print_label,
            &printed_value(form, &field.id, value),
        ),
    }
}
