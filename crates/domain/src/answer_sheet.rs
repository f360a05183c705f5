//! The filled form as it reads: every field still asked, with its answer in words for one
//! language. The review page shows this sheet and the PDF prints it (in Vietnamese), so an
//! answer reads the same on the screen and on paper, and the rules for it live only here.

use super::catalog::AnswerOption;
use super::forms::{parse_user_date, Field, FieldKind, FormAnswers, FormDef, Step, Value, NO, YES};
use super::text::Lang;
use super::time::format_date_vn;

/// One answer in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer<'a> {
    /// Nothing given.
    Blank,
    /// Text as typed (trimmed), a date as dd/mm/yyyy, or the chosen option's label.
    Text(String),
    /// A yes/no question; the words are the interface's (`i18n::yes_no`).
    YesNo(bool),
    /// Every option with whether it is ticked: paper shows all boxes, the review the ticked.
    Ticks(Vec<(&'a str, bool)>),
    /// The rows with any cell filled: one cell per column, "" where left empty.
    Table(Vec<Vec<String>>),
}

impl Answer<'_> {
    /// The text of a one-line answer ("" for blank, ticks and tables).
    pub fn text(&self) -> &str {
        match self {
            Answer::Text(text) => text,
            _ => "",
        }
    }
}

/// A field with its answer.
#[derive(Clone, Debug)]
pub struct SheetLine<'a> {
    pub field: &'a Field,
    pub answer: Answer<'a>,
}

/// A step of the form with the lines of the fields it still asks.
#[derive(Clone, Debug)]
pub struct SheetSection<'a, Lines> {
    /// The step's place in the form, from 0 (for "change" links).
    pub index: usize,
    pub step: &'a Step,
    pub lines: Lines,
}

/// `form` filled with `answers`, in `lang`: every step, with the fields shown for these answers.
/// Read as it is drawn, not collected first (less code in the browser build).
pub fn answer_sheet<'a>(
    form: &'a FormDef,
    answers: &'a FormAnswers,
    lang: Lang,
) -> impl Iterator<Item = SheetSection<'a, impl Iterator<Item = SheetLine<'a>>>> {
    form.steps
        .iter()
        .enumerate()
        .map(move |(index, step)| SheetSection {
            index,
            step,
            lines: step
                .fields
                .iter()
                .filter(move |field| form.is_shown(field, answers))
                .map(move |field| SheetLine {
                    field,
                    answer: answer(field, answers.get(&field.id), lang),
                }),
        })
}

fn option_label<'a>(options: &'a [AnswerOption], id: &'a str, lang: Lang) -> &'a str {
    options
        .iter()
        .find(|o| o.id == id)
        .map_or(id, |o| o.label.get(lang))
}

/// One typed value in words: a date as dd/mm/yyyy (as typed if it is not one), a choice by its
/// label, anything else trimmed.
fn scalar(kind: FieldKind, options: &[AnswerOption], text: &str, lang: Lang) -> String {
    let text = text.trim();
    match kind {
        FieldKind::Date => parse_user_date(text).map_or_else(|| text.to_owned(), format_date_vn),
        FieldKind::Choice => option_label(options, text, lang).to_owned(),
        _ => text.to_owned(),
    }
}

/// How one field's value reads.
pub fn answer<'a>(field: &'a Field, value: Option<&Value>, lang: Lang) -> Answer<'a> {
    match (field.kind, value) {
        (FieldKind::YesNo, Some(Value::Text(v))) if v == YES => Answer::YesNo(true),
        (FieldKind::YesNo, Some(Value::Text(v))) if v == NO => Answer::YesNo(false),
        (FieldKind::Multi, Some(Value::Many(chosen))) if !chosen.is_empty() => Answer::Ticks(
            field
                .options
                .iter()
                .map(|o| (o.label.get(lang), chosen.contains(&o.id)))
                .collect(),
        ),
        (FieldKind::Rows, Some(Value::Rows(rows))) => {
            let filled: Vec<Vec<String>> = rows
                .iter()
                .filter(|row| row.values().any(|cell| !cell.trim().is_empty()))
                .map(|row| {
                    field
                        .columns
                        .iter()
                        .map(|c| {
                            let cell = row.get(&c.id).map_or("", String::as_str);
                            scalar(c.kind, &c.options, cell, lang)
                        })
                        .collect()
                })
                .collect();
            if filled.is_empty() {
                Answer::Blank
            } else {
                Answer::Table(filled)
            }
        }
        (_, Some(Value::Text(text))) if !text.trim().is_empty() => {
            Answer::Text(scalar(field.kind, &field.options, text, lang))
        }
        _ => Answer::Blank,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::shipped_forms as shipped;

    fn sheet<'a>(form: &'a FormDef, answers: &'a FormAnswers, lang: Lang) -> Vec<SheetLine<'a>> {
        answer_sheet(form, answers, lang)
            .flat_map(|section| section.lines)
            .collect()
    }

    fn line<'a>(sheet: &'a [SheetLine<'a>], id: &str) -> Option<&'a Answer<'a>> {
        sheet.iter().find(|l| l.field.id == id).map(|l| &l.answer)
    }

    #[test]
    fn answers_read_in_words_in_either_language() {
        let forms = shipped();
        let dc02 = forms.forms.iter().find(|f| f.id == "DC02").expect("DC02");
        let mut answers = FormAnswers::new();
        for (id, text) in [
            ("full_name", "  Nguyễn Thị Hồng Nhung "),
            ("birth_date", "5/3/2003"),
            ("sex", "female"),
            ("has_representative", "no"),
        ] {
            answers.insert(id.into(), Value::Text(text.into()));
        }
        answers.insert("requests".into(), Value::Many(vec!["card".into()]));
        assert_eq!(
            answer_sheet(dc02, &answers, Lang::Vi).count(),
            dc02.steps.len()
        );
        let vi = sheet(dc02, &answers, Lang::Vi);
        let en = sheet(dc02, &answers, Lang::En);
        assert_eq!(
            line(&vi, "full_name"),
            Some(&Answer::Text("Nguyễn Thị Hồng Nhung".into()))
        );
        assert_eq!(
            line(&vi, "birth_date"),
            Some(&Answer::Text("05/03/2003".into()))
        );
        assert_eq!(line(&vi, "sex"), Some(&Answer::Text("Nữ".into())));
        assert_eq!(line(&en, "sex"), Some(&Answer::Text("Female".into())));
        assert_eq!(line(&vi, "has_representative"), Some(&Answer::YesNo(false)));
        // Not asked without a representative: not on the sheet at all.
        assert_eq!(line(&vi, "rep_full_name"), None);
        let Some(Answer::Ticks(ticks)) = line(&vi, "requests") else {
            panic!("requests: {:?}", line(&vi, "requests"));
        };
        assert_eq!(ticks.iter().filter(|(_, ticked)| *ticked).count(), 1);
        assert!(ticks.len() >= 2, "every option is listed: {ticks:?}");
        assert_eq!(line(&vi, "id_number"), Some(&Answer::Blank));
    }

    #[test]
    fn table_rows_keep_their_columns_and_empty_rows_are_left_out() {
        let forms = shipped();
        let ct01 = forms.forms.iter().find(|f| f.id == "CT01").expect("CT01");
        let members = ct01.field("members").expect("members");
        let row = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let value = Value::Rows(vec![
            row(&[("full_name", "H'Đào Niê"), ("birth_date", "2/9/2010")]),
            row(&[("full_name", "  ")]),
        ]);
        let Answer::Table(rows) = answer(members, Some(&value), Lang::Vi) else {
            panic!("a table");
        };
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].len(), members.columns.len());
        assert!(rows[0].contains(&"H'Đào Niê".to_owned()));
        assert!(rows[0].contains(&"02/09/2010".to_owned()), "{rows:?}");
        assert_eq!(
            answer(members, Some(&Value::Rows(vec![row(&[])])), Lang::Vi),
            Answer::Blank
        );
    }
}
