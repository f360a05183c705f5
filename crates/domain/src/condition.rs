//! The one condition language of the data files: `"when": {"question": ["option", …], …}` on a
//! procedure's entries and questions (procedures.json) and on a form's fields (forms.json). An
//! entry applies when every question named was answered with one of its options.

use std::collections::BTreeMap;

use super::data_file::{FieldErrors, FieldProblem};

/// Question (or field) id → the option ids for which an entry applies. Empty: always applies.
pub type Condition = BTreeMap<String, Vec<String>>;

/// True when every question `condition` names has, by `answer`, one of its options.
pub fn holds<'a>(condition: &Condition, answer: impl Fn(&str) -> Option<&'a str>) -> bool {
    condition.iter().all(|(question, options)| {
        answer(question).is_some_and(|given| options.iter().any(|o| o == given))
    })
}

/// Checks that `condition` names only questions `options_of` knows (those asked before it) and
/// only their options; problems are reported at `at.<question>`.
pub fn check<'a>(
    condition: &Condition,
    options_of: impl Fn(&str) -> Option<Vec<&'a str>>,
    at: &str,
    errors: &mut FieldErrors,
) {
    for (question, options) in condition {
        match options_of(question) {
            None => errors.push(
                format!("{at}.{question}"),
                FieldProblem::UnknownReference(question.clone()),
            ),
            Some(known) => {
                for option in options.iter().filter(|o| !known.contains(&o.as_str())) {
                    errors.push(
                        format!("{at}.{question}"),
                        FieldProblem::UnknownReference(option.clone()),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn condition(pairs: &[(&str, &[&str])]) -> Condition {
        pairs
            .iter()
            .map(|(q, os)| (q.to_string(), os.iter().map(|o| o.to_string()).collect()))
            .collect()
    }

    #[test]
    fn holds_only_when_every_named_question_has_one_of_its_options() {
        let when = condition(&[("reason", &["lost", "damaged"]), ("age", &["child"])]);
        let answers = |pairs: &'static [(&'static str, &'static str)]| {
            move |q: &str| pairs.iter().find(|(k, _)| *k == q).map(|(_, v)| *v)
        };
        assert!(holds(
            &when,
            answers(&[("reason", "lost"), ("age", "child")])
        ));
        assert!(!holds(
            &when,
            answers(&[("reason", "lost"), ("age", "adult")])
        ));
        assert!(!holds(&when, answers(&[("reason", "lost")])), "unanswered");
        assert!(holds(&Condition::new(), answers(&[])), "empty: always");
    }

    #[test]
    fn check_names_unknown_questions_and_options() {
        let when = condition(&[("reason", &["lost", "stolen"]), ("colour", &["red"])]);
        let mut errors = FieldErrors::default();
        check(
            &when,
            |q| (q == "reason").then(|| vec!["lost", "damaged"]),
            "notes[0].when",
            &mut errors,
        );
        let found: Vec<(String, FieldProblem)> =
            errors.0.into_iter().map(|e| (e.field, e.problem)).collect();
        assert_eq!(
            found,
            vec![
                (
                    "notes[0].when.colour".into(),
                    FieldProblem::UnknownReference("colour".into())
                ),
                (
                    "notes[0].when.reason".into(),
                    FieldProblem::UnknownReference("stolen".into())
                ),
            ]
        );
    }
}
