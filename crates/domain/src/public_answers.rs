//! The station's published answers (#29, public/data/answers.json): questions citizens asked,
//! rewritten by an officer without anything personal, with the answer, the procedure and the
//! legal basis. Content like the news: edited on the content desk, approved by a second
//! officer, shown on the procedure page, in search and on /ask, kept offline, and carried from
//! one station to another as a pack (the same file).

use serde::{Deserialize, Serialize};

use super::catalog::{is_slug, Catalog, Citation};
use super::data_file::{FieldError, FieldErrors, FieldProblem, Validate};
use super::station::{ChannelKind, Station};
use super::text::{fold_for_search, Localized};
use super::time::parse_iso_date;

pub const ANSWERS_FILE: &str = "data/answers.json";
pub const ANSWERS_SCHEMA_VERSION: u32 = 1;
/// A station's file before its first published answer (the server writes it when missing).
pub const EMPTY_ANSWERS: &str = "{\n  \"schema_version\": 1,\n  \"answers\": []\n}\n";

/// The file, and the pack a station exports for others.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicAnswers {
    pub schema_version: u32,
    pub answers: Vec<PublicAnswer>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicAnswer {
    /// Its anchor on the pages (`#a-<id>`) and what a pack's import compares.
    pub id: String,
    /// The procedure it is about (its page shows it), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub procedure: Option<String>,
    pub question: Localized,
    pub answer: Localized,
    /// The legal basis: citations of procedures.json `sources`, written as a procedure's
    /// (`"luat-cu-tru-2020 | điều 27 | art. 27"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub legal_basis: Vec<Citation>,
    /// YYYY-MM-DD.
    pub published: String,
    /// YYYY-MM-DD: when an officer last checked it against the texts in force.
    pub checked: String,
}

/// Words of a question that pair up into the Vietnamese two-syllable words ("căn cước", "tạm
/// trú"): matching pairs, not single syllables, keeps "có", "là", "ở" from matching everything.
fn pairs(folded: &str) -> Vec<String> {
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let mut pairs: Vec<String> = words.windows(2).map(|w| w.join(" ")).collect();
    pairs.sort();
    pairs.dedup();
    pairs
}

/// How many of `typed` are among `of`.
fn shared(typed: &[String], of: &[String]) -> usize {
    typed.iter().filter(|p| of.binary_search(p).is_ok()).count()
}

impl PublicAnswers {
    /// The answers about `procedure`, newest first.
    pub fn for_procedure(&self, procedure: &str) -> Vec<&PublicAnswer> {
        let mut found: Vec<&PublicAnswer> = self
            .answers
            .iter()
            .filter(|a| a.procedure.as_deref() == Some(procedure))
            .collect();
        super::small_sort::sort_by(&mut found, |a, b| b.published.cmp(&a.published));
        found
    }

    /// The answers holding every word of `query` (in either language, ignoring case and
    /// diacritics, as the procedures' search): those whose question holds the most words first.
    pub fn search(&self, query: &str) -> Vec<&PublicAnswer> {
        let folded = fold_for_search(query);
        let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
        if words.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<(usize, usize, &PublicAnswer)> = self
            .answers
            .iter()
            .enumerate()
            .filter_map(|(order, answer)| {
                let question =
                    fold_for_search(&format!("{} {}", answer.question.vi, answer.question.en));
                let rest = fold_for_search(&format!("{} {}", answer.answer.vi, answer.answer.en));
                let all = words
                    .iter()
                    .all(|w| question.contains(w) || rest.contains(w));
                let in_question = words.iter().filter(|w| question.contains(*w)).count();
                all.then_some((in_question, order, answer))
            })
            .collect();
        super::small_sort::sort_by(&mut hits, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        hits.into_iter().map(|(_, _, a)| a).collect()
    }

    /// Up to `limit` answers to questions like `text` (a question being typed, or one in the
    /// officers' inbox), most alike first: word pairs shared with the question count twice,
    /// with the answer once, and it takes four (one topic like "căn cước" shared with both is not enough).
    pub fn like(&self, text: &str, limit: usize) -> Vec<&PublicAnswer> {
        let typed = pairs(&fold_for_search(text));
        if typed.is_empty() {
            return Vec::new();
        }
        let mut scored: Vec<(usize, &PublicAnswer)> = self
            .answers
            .iter()
            .filter_map(|answer| {
                let question = pairs(&fold_for_search(&format!(
                    "{} {}",
                    answer.question.vi, answer.question.en
                )));
                let said = pairs(&fold_for_search(&format!(
                    "{} {}",
                    answer.answer.vi, answer.answer.en
                )));
                let score = 2 * shared(&typed, &question) + shared(&typed, &said);
                (score >= 4).then_some((score, answer))
            })
            .collect();
        super::small_sort::sort_by(&mut scored, |a, b| {
            b.0.cmp(&a.0).then(b.1.published.cmp(&a.1.published))
        });
        scored.into_iter().take(limit).map(|(_, a)| a).collect()
    }

    /// The answers of `pack` (another station's) whose ids this file does not have yet, and
    /// how many it has already.
    pub fn new_in_pack<'a>(
        existing: &[String],
        pack: &'a PublicAnswers,
    ) -> (Vec<&'a PublicAnswer>, usize) {
        let (new, known): (Vec<&PublicAnswer>, Vec<&PublicAnswer>) =
            pack.answers.iter().partition(|a| !existing.contains(&a.id));
        (new, known.len())
    }
}

/// An answer's id made from its Vietnamese question: its first words, folded (`mat-the-can-
/// cuoc-thi-lam-lai-o-dau`), for a new answer whose editor left the id empty.
pub fn answer_id(question_vi: &str) -> String {
    let folded = fold_for_search(question_vi);
    let id: Vec<&str> = folded
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(8)
        .collect();
    let id = id.join("-");
    let id: String = id
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
        .collect();
    if id.is_empty() {
        "answer".into()
    } else {
        id
    }
}

/// Numbers in `text` long enough to be a phone or an ID card number (nine digits or more,
/// spaces, dots and dashes between them allowed), leaving out those in `allowed` (the
/// station's own numbers, national form). A published answer must hold nothing personal.
pub fn personal_numbers(text: &str, allowed: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    let mut run = String::new();
    let mut written = String::new();
    let mut end_run = |run: &mut String, written: &mut String| {
        let national = super::channels::phone_digits(written.trim()).unwrap_or_else(|| run.clone());
        if run.len() >= 9 && !allowed.contains(&national) {
            found.push(written.trim().to_owned());
        }
        run.clear();
        written.clear();
    };
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let joins = matches!(c, ' ' | '.' | '-')
            && !written.is_empty()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c.is_ascii_digit() || (*c == '+' && run.is_empty()) {
            if c.is_ascii_digit() {
                run.push(*c);
            }
            written.push(*c);
        } else if joins {
            written.push(*c);
        } else if !written.is_empty() {
            end_run(&mut run, &mut written);
        }
    }
    if !written.is_empty() {
        end_run(&mut run, &mut written);
    }
    found
}

/// The station's own numbers in national form: its phone and its phone channels, and 113.
fn station_numbers(station: &Station) -> Vec<String> {
    let mut numbers = vec!["113".to_owned()];
    let phones = std::iter::once(station.phone.as_str()).chain(
        station
            .channels
            .iter()
            .filter(|c| c.kind == ChannelKind::Hotline)
            .map(|c| c.address.as_str()),
    );
    numbers.extend(phones.filter_map(super::channels::phone_digits));
    numbers
}

/// Every citation in the file, with where it is (for the review's messages).
pub fn citations(answers: &PublicAnswers) -> Vec<(String, &str)> {
    let mut all = Vec::new();
    for answer in &answers.answers {
        for (i, c) in answer.legal_basis.iter().enumerate() {
            all.push((
                format!("answers.json: {}.legal_basis[{i}]", answer.id),
                c.as_str(),
            ));
        }
    }
    all
}

/// What the file cannot say given the station's other files: a procedure or source that is not
/// in procedures.json, and a number that looks personal (`personal_numbers`).
pub fn check_against(
    answers: &PublicAnswers,
    catalog: &Catalog,
    station: &Station,
) -> Vec<FieldError> {
    let mut errors = FieldErrors::default();
    let allowed = station_numbers(station);
    for (index, answer) in answers.answers.iter().enumerate() {
        let at = format!("answers[{index}]");
        if let Some(procedure) = &answer.procedure {
            if catalog.procedure(procedure).is_none() {
                errors.push(
                    format!("{at}.procedure"),
                    FieldProblem::UnknownReference(procedure.clone()),
                );
            }
        }
        for (i, citation) in answer.legal_basis.iter().enumerate() {
            catalog.check_citation(citation, &format!("{at}.legal_basis[{i}]"), &mut errors);
        }
        for (field, text) in [("question", &answer.question), ("answer", &answer.answer)] {
            for number in [&text.vi, &text.en]
                .into_iter()
                .flat_map(|t| personal_numbers(t, &allowed))
            {
                errors.push(
                    format!("{at}.{field}"),
                    FieldProblem::PersonalNumber(number),
                );
            }
        }
    }
    errors.0
}

/// Answers last checked longer ago than the station allows (`content_max_age_months`): a
/// warning for the content editor, as for procedures.
pub fn stale(
    answers: &PublicAnswers,
    months: u32,
    today: chrono::NaiveDate,
) -> Vec<super::content_check::Finding> {
    answers
        .answers
        .iter()
        .filter_map(|answer| {
            let checked = parse_iso_date(&answer.checked)?;
            super::content_check::older_than(checked, months, today).then(|| {
                super::content_check::Finding::Stale {
                    at: format!("answers.json: {}", answer.id),
                    checked,
                    months,
                }
            })
        })
        .collect()
}

impl super::data_file::DataFile for PublicAnswers {
    type Notes = super::data_file::NoNotes;
}

impl Validate for PublicAnswers {
    fn validate(&self) -> Vec<FieldError> {
        let mut errors = FieldErrors::default();
        errors.check_version(self.schema_version, ANSWERS_SCHEMA_VERSION);
        let mut seen = std::collections::BTreeSet::new();
        for (index, answer) in self.answers.iter().enumerate() {
            let at = format!("answers[{index}]");
            if !is_slug(&answer.id) || !seen.insert(answer.id.as_str()) {
                errors.push(format!("{at}.id"), FieldProblem::BadId(answer.id.clone()));
            }
            errors.check_text(format!("{at}.question"), &answer.question);
            errors.check_text(format!("{at}.answer"), &answer.answer);
            errors.check_date(format!("{at}.published"), &answer.published);
            errors.check_date(format!("{at}.checked"), &answer.checked);
            if let (Some(published), Some(checked)) = (
                parse_iso_date(&answer.published),
                parse_iso_date(&answer.checked),
            ) {
                if checked < published {
                    errors.push(
                        format!("{at}.checked"),
                        FieldProblem::BadDate(answer.checked.clone()),
                    );
                }
            }
        }
        errors.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(vi: &str, en: &str) -> Localized {
        Localized {
            vi: vi.into(),
            en: en.into(),
        }
    }

    fn answer(
        id: &str,
        procedure: Option<&str>,
        question: &str,
        said: &str,
        published: &str,
    ) -> PublicAnswer {
        PublicAnswer {
            id: id.into(),
            procedure: procedure.map(str::to_owned),
            question: text(question, question),
            answer: text(said, said),
            legal_basis: Vec::new(),
            published: published.into(),
            checked: published.into(),
        }
    }

    fn file() -> PublicAnswers {
        PublicAnswers {
            schema_version: 1,
            answers: vec![
                answer(
                    "mat-can-cuoc",
                    Some("id-card-replace"),
                    "Mất thẻ căn cước thì làm lại ở đâu?",
                    "Tại công an xã, phường nơi cư trú hoặc bất kỳ nơi nào nhận hồ sơ.",
                    "2026-11-02",
                ),
                answer(
                    "tam-tru-sinh-vien",
                    Some("residence-temporary"),
                    "Sinh viên ở ký túc xá có phải đăng ký tạm trú không?",
                    "Có, ký túc xá đăng ký tạm trú cho sinh viên theo danh sách.",
                    "2026-11-20",
                ),
                answer(
                    "doi-can-cuoc-tuoi-25",
                    Some("id-card-replace"),
                    "Đủ 25 tuổi có phải đổi căn cước không?",
                    "Có, thẻ căn cước được đổi khi đủ 25 tuổi.",
                    "2026-11-25",
                ),
            ],
        }
    }

    #[test]
    fn a_procedure_shows_its_own_answers_newest_first() {
        let answers = file();
        let ids: Vec<&str> = answers
            .for_procedure("id-card-replace")
            .iter()
            .map(|a| a.id.as_str())
            .collect();
        assert_eq!(ids, ["doi-can-cuoc-tuoi-25", "mat-can-cuoc"]);
        assert!(answers.for_procedure("passport").is_empty());
    }

    #[test]
    fn search_needs_every_word_and_ignores_tones_and_case() {
        let answers = file();
        let ids =
            |q: &str| -> Vec<String> { answers.search(q).iter().map(|a| a.id.clone()).collect() };
        assert_eq!(ids("KY TUC XA"), ["tam-tru-sinh-vien"]);
        assert_eq!(ids("căn cước"), ["mat-can-cuoc", "doi-can-cuoc-tuoi-25"]);
        // A word only in the answer still finds it, after those with it in the question.
        assert_eq!(ids("danh sách"), ["tam-tru-sinh-vien"]);
        assert!(ids("căn cước hộ chiếu").is_empty());
        assert!(ids("  ").is_empty());
    }

    #[test]
    fn a_question_being_typed_finds_one_asked_in_other_words_and_not_a_stranger() {
        let answers = file();
        let like =
            |q: &str| -> Vec<String> { answers.like(q, 3).iter().map(|a| a.id.clone()).collect() };
        assert_eq!(
            like("Tôi bị mất căn cước, làm lại ở đâu ạ"),
            ["mat-can-cuoc"]
        );
        assert_eq!(
            like("con tôi là sinh viên ở ký túc xá thì đăng ký tạm trú thế nào"),
            ["tam-tru-sinh-vien"]
        );
        // One shared pair ("ở đâu") is not enough.
        assert!(like("nộp hồ sơ hộ chiếu ở đâu").is_empty());
        assert!(like("căn").is_empty());
        assert_eq!(
            answers
                .like("mất căn cước làm lại ở đâu đủ 25 tuổi đổi căn cước", 1)
                .len(),
            1
        );
    }

    #[test]
    fn a_pack_brings_only_the_answers_not_here_yet() {
        let pack = file();
        let (new, known) = PublicAnswers::new_in_pack(&["mat-can-cuoc".to_owned()], &pack);
        assert_eq!(known, 1);
        assert_eq!(
            new.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
            ["tam-tru-sinh-vien", "doi-can-cuoc-tuoi-25"]
        );
    }

    #[test]
    fn an_answer_id_is_made_from_the_question() {
        assert_eq!(
            answer_id("Mất thẻ căn cước thì làm lại ở đâu?"),
            "mat-the-can-cuoc-thi-lam-lai-o"
        );
        assert_eq!(answer_id("???"), "answer");
        assert!(is_slug(&answer_id(
            "Đăng ký tạm trú cho người nước ngoài (visa) ở đâu"
        )));
    }

    #[test]
    fn phone_and_id_numbers_are_found_but_not_the_stations_own_or_law_numbers() {
        let allowed = vec!["113".to_owned(), "02838123456".to_owned()];
        assert_eq!(
            personal_numbers("Gọi anh Minh 0912 345 678 hoặc +84 912.345.679", &allowed),
            ["0912 345 678", "+84 912.345.679"]
        );
        assert_eq!(
            personal_numbers("CCCD 079204001234 đã mất", &allowed),
            ["079204001234"]
        );
        for clean in [
            "Gọi 113 hoặc trụ sở (028) 3812 3456",
            "Theo Luật Căn cước số 26/2023/QH15, từ 01-07-2024, lệ phí 70.000 đồng",
            "Gọi 028.3812.3456 trong giờ làm việc",
        ] {
            assert!(personal_numbers(clean, &allowed).is_empty(), "{clean}");
        }
    }

    #[test]
    fn validation_wants_ids_once_both_languages_and_real_dates() {
        let mut answers = file();
        assert!(answers.validate().is_empty());
        answers.answers[1].id = "mat-can-cuoc".into();
        answers.answers[2].question.en = " ".into();
        answers.answers[0].checked = "2026-10-01".into();
        let fields: Vec<String> = answers.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["answers[0].checked", "answers[1].id", "answers[2].question"]
        );
    }
}
