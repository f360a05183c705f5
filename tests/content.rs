//! The data files shipped under public/data must read and validate exactly as the app reads
//! them; a broken edit fails here, naming the file and field, before it reaches a station.

use civic_kiosk::domain::data_file::{parse_data_file, DataFileError, FieldProblem, Validate};
use civic_kiosk::domain::news::{News, NEWS_FILE};
use civic_kiosk::domain::station::{Station, STATION_FILE};
use civic_kiosk::domain::text::Lang;
use serde::de::DeserializeOwned;

fn read_shipped<T: DeserializeOwned + Validate>(file: &str) -> Result<T, DataFileError> {
    let path = format!("{}/public/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    parse_data_file(file, &text)
}

fn explain(error: &DataFileError) -> String {
    error.message_lines(Lang::En).join("\n")
}

#[test]
fn shipped_station_file_is_valid() {
    let station: Station = read_shipped(STATION_FILE).unwrap_or_else(|e| panic!("{}", explain(&e)));
    assert!(!station.opening_hours.grouped().is_empty());
}

#[test]
fn shipped_news_file_is_valid() {
    let news: News = read_shipped(NEWS_FILE).unwrap_or_else(|e| panic!("{}", explain(&e)));
    assert!(!news.items.is_empty());
}

// Guards against an administrator's typo giving a message that does not say where it is.
#[test]
fn a_broken_station_file_names_the_field() {
    let path = format!("{}/public/{STATION_FILE}", env!("CARGO_MANIFEST_DIR"));
    let good = std::fs::read_to_string(path).expect("station file");

    let bad_hours = good.replacen("\"sat\": [\"07:30-11:30\"]", "\"sat\": [\"7h30-11h30\"]", 1);
    assert_ne!(bad_hours, good, "the fixture edit must apply");
    match parse_data_file::<Station>(STATION_FILE, &bad_hours) {
        Err(DataFileError::Invalid { file, errors }) => {
            assert_eq!(file, STATION_FILE);
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].field, "opening_hours.sat[0]");
            assert_eq!(
                errors[0].problem,
                FieldProblem::BadPeriod("7h30-11h30".into())
            );
        }
        other => panic!("expected Invalid, got {other:?}"),
    }

    let missing_english = good.replacen(
        "\"en\": \"Đắk Lắk Provincial Police\"",
        "\"english\": \"x\"",
        1,
    );
    match parse_data_file::<Station>(STATION_FILE, &missing_english) {
        Err(DataFileError::Shape { field, detail, .. }) => {
            assert_eq!(field, "english", "points at the unexpected key");
            assert!(detail.contains("english"), "{detail}");
        }
        other => panic!("expected Shape, got {other:?}"),
    }

    let truncated = &good[..good.len() / 2];
    assert!(matches!(
        parse_data_file::<Station>(STATION_FILE, truncated),
        Err(DataFileError::Syntax { .. })
    ));

    let future = good.replacen("\"schema_version\": 1", "\"schema_version\": 2", 1);
    match parse_data_file::<Station>(STATION_FILE, &future) {
        Err(DataFileError::Invalid { errors, .. }) => {
            assert_eq!(
                errors[0].problem,
                FieldProblem::UnsupportedVersion {
                    found: 2,
                    supported: 1
                }
            )
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
}

use civic_kiosk::domain::catalog::{Catalog, CATALOG_FILE};

#[test]
fn shipped_catalog_is_valid_and_every_branch_leads_to_a_list() {
    let catalog: Catalog = read_shipped(CATALOG_FILE).unwrap_or_else(|e| panic!("{}", explain(&e)));
    for procedure in &catalog.procedures {
        let paths = procedure.answer_paths();
        assert!(!paths.is_empty(), "{}", procedure.id);
        for answers in paths {
            let list = procedure
                .checklist(&catalog, &answers)
                .expect("complete answers give a list");
            if procedure.handled_here {
                assert!(
                    !list.documents.is_empty() && list.fee.is_some() && list.processing.is_some(),
                    "{} {answers:?}",
                    procedure.id
                );
            }
        }
    }
}

// Guards against shipping less than the catalogue the stations were promised.
#[test]
fn shipped_catalog_covers_the_promised_procedures() {
    let catalog: Catalog = read_shipped(CATALOG_FILE).unwrap_or_else(|e| panic!("{}", explain(&e)));
    for id in [
        "id-card-replace",
        "id-card-exchange",
        "id-card-first",
        "residence-permanent",
        "residence-temporary",
        "residence-temporary-extension",
        "temporary-absence",
        "residence-confirmation",
        "lost-papers",
        "crime-report",
        "motorbike-registration",
        "passport",
    ] {
        assert!(catalog.procedure(id).is_some(), "{id} missing");
    }
    let passport = catalog.procedure("passport").expect("passport");
    assert!(
        !passport.handled_here && passport.referral.is_some(),
        "passports are referred elsewhere"
    );
    let crime = catalog.procedure("crime-report").expect("crime report");
    assert!(!crime.bookable, "crime reports need no appointment");
    // The search people type on phones without Vietnamese keyboards.
    assert_eq!(
        catalog
            .search("cap lai can cuoc")
            .first()
            .map(|p| p.id.as_str()),
        Some("id-card-replace")
    );
    assert_eq!(
        catalog.search("tam tru").first().map(|p| p.id.as_str()),
        Some("residence-temporary")
    );
    assert_eq!(
        catalog.search("HỘ CHIẾU").first().map(|p| p.id.as_str()),
        Some("passport")
    );
}

use civic_kiosk::domain::schedule::{Plan, SCHEDULE_FILE};

// Guards against a bookable procedure with no desk to book at, or a desk naming a procedure
// that does not exist or takes no appointments.
#[test]
fn shipped_plan_is_valid_and_matches_the_catalogue() {
    let plan: Plan = read_shipped(SCHEDULE_FILE).unwrap_or_else(|e| panic!("{}", explain(&e)));
    let catalog: Catalog = read_shipped(CATALOG_FILE).unwrap_or_else(|e| panic!("{}", explain(&e)));
    for procedure in catalog.procedures.iter().filter(|p| p.bookable) {
        assert!(
            plan.counter_for(&procedure.id).is_some(),
            "{} is bookable but no counter serves it",
            procedure.id
        );
    }
    for counter in &plan.counters {
        for id in &counter.procedures {
            let procedure = catalog
                .procedure(id)
                .unwrap_or_else(|| panic!("counter {} names unknown {id}", counter.id));
            assert!(
                procedure.bookable,
                "counter {} serves {id}, which is not bookable",
                counter.id
            );
        }
    }
    let years: std::collections::BTreeSet<&str> =
        plan.holidays.iter().map(|h| &h.date[..4]).collect();
    assert!(
        years.contains("2026") && years.contains("2027"),
        "holidays for 2026 and 2027"
    );
}

use civic_kiosk::domain::forms::{FormCatalog, FORMS_FILE};

// Guards against a checklist naming a form that cannot be filled, and a broken forms file.
#[test]
fn shipped_forms_are_valid() {
    let forms: FormCatalog = read_shipped(FORMS_FILE).unwrap_or_else(|e| panic!("{}", explain(&e)));
    for id in ["CT01", "DC02", "LOST-PAPERS", "CRIME-REPORT"] {
        assert!(forms.forms.iter().any(|f| f.id == id), "{id} missing");
    }
    // Each checklist form marked as guided opens a form that exists, and each guided form is
    // reachable from a checklist.
    let catalog: Catalog = read_shipped(CATALOG_FILE).unwrap_or_else(|e| panic!("{}", explain(&e)));
    let guided: Vec<&String> = catalog
        .forms
        .values()
        .filter_map(|f| f.guided.as_ref())
        .collect();
    for id in &guided {
        assert!(
            forms.forms.iter().any(|f| &&f.id == id),
            "guided form {id} not in forms.json"
        );
    }
    for form in &forms.forms {
        assert!(
            guided.contains(&&form.id),
            "{} is not offered by any checklist",
            form.id
        );
    }
}
