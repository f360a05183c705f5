//! The data files shipped under public/data must read and validate exactly as the app reads
//! them; a broken edit fails here, naming the file and field, before it reaches a station.

use civic_kiosk::domain::data_file::{
    parse_data_file, read_data_file, DataFile, DataFileError, FieldProblem,
};
use civic_kiosk::domain::news::{News, NEWS_FILE};
use civic_kiosk::domain::station::{Station, STATION_FILE};
use civic_kiosk::domain::text::Lang;
use civic_kiosk::i18n::FileWords;
fn shipped_text(file: &str) -> String {
    let path = format!("{}/public/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read_shipped<T: DataFile>(file: &str) -> Result<T, DataFileError> {
    parse_data_file(file, &shipped_text(file))
}

/// A shipped file as the app reads it and with its editors' notes.
fn read_shipped_whole<T: DataFile>(file: &str) -> (T, T::Notes) {
    read_data_file(file, &shipped_text(file)).unwrap_or_else(|e| panic!("{}", explain(&e)))
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
            assert_eq!(
                field, "parent_agency.english",
                "points at the unexpected key"
            );
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

use civic_kiosk::domain::forms::{FieldKind, FormCatalog, FORMS_FILE};

// Guards against a checklist naming a form that cannot be filled, and a broken forms file.
#[test]
fn shipped_forms_are_valid() {
    let forms: FormCatalog = read_shipped(FORMS_FILE).unwrap_or_else(|e| panic!("{}", explain(&e)));
    for id in ["CT01", "DC02", "LOST-PAPERS", "CRIME-REPORT"] {
        assert!(forms.forms.iter().any(|f| f.id == id), "{id} missing");
    }
    // Each checklist form marked as guided opens a form that exists, and each guided form is
    // reachable from a checklist.
    let (catalog, sources): (Catalog, _) = read_shipped_whole(CATALOG_FILE);
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
    // A date or ID number already gets the app's own hint on how to write it; a field's help
    // saying it again was shown twice under the box.
    for form in &forms.forms {
        for field in form.steps.iter().flat_map(|s| &s.fields) {
            if matches!(field.kind, FieldKind::Date | FieldKind::IdNumber) {
                assert!(
                    field.help.is_none(),
                    "{}.{}: the hint is said twice",
                    form.id,
                    field.id
                );
            }
        }
    }
    // The act printed on a form ("Ban hành kèm theo …") is the one the catalogue cites for it,
    // so a repeal edited in the sources list cannot leave the old number on paper.
    for (id, info) in &catalog.forms {
        let (Some(guided), Some(basis)) = (&info.guided, &info.basis) else {
            continue;
        };
        let printed = &forms
            .forms
            .iter()
            .find(|f| &f.id == guided)
            .expect("guided")
            .basis;
        let source = catalog.source(Cite(basis).source()).expect("known source");
        let number = &sources.source(&source.id).expect("its notes").number;
        assert!(
            printed.vi.contains(number.as_str()) || printed.vi.contains(source.name.vi.as_str()),
            "{id}: prints “{}”, cites {number}",
            printed.vi
        );
    }
}

use civic_kiosk::domain::catalog::{fee_in_force, Cite, FeeKind};
use civic_kiosk::domain::content_check::{
    check_content, Finding, Severity, DEFAULT_MAX_AGE_MONTHS,
};
use civic_kiosk::domain::editor_notes::{CatalogNotes, PlanNotes};
use civic_kiosk::domain::schedule::DayStatus;
use civic_kiosk::domain::time::parse_iso_date;

fn day(text: &str) -> chrono::NaiveDate {
    parse_iso_date(text).expect("a date")
}

fn shipped() -> (Catalog, Plan) {
    let catalog: Catalog = read_shipped(CATALOG_FILE).unwrap_or_else(|e| panic!("{}", explain(&e)));
    let plan: Plan = read_shipped(SCHEDULE_FILE).unwrap_or_else(|e| panic!("{}", explain(&e)));
    (catalog, plan)
}

/// The catalogue and the plan with their editors' notes, as `check_content` reviews them.
fn shipped_whole() -> ((Catalog, CatalogNotes), (Plan, PlanNotes)) {
    (
        read_shipped_whole(CATALOG_FILE),
        read_shipped_whole(SCHEDULE_FILE),
    )
}

// The day the content was last checked: nothing may need attention then but the Tết 2027
// announcement still awaited, which the editor must see with the days it may close.
#[test]
fn shipped_content_needs_no_attention_on_the_day_it_was_checked() {
    let (catalog, plan) = shipped_whole();
    let findings = check_content(&catalog, &plan, DEFAULT_MAX_AGE_MONTHS, day("2026-12-03"));
    assert_eq!(
        findings,
        vec![Finding::BreakAwaited {
            name: "Tết Nguyên đán 2027".into(),
            note: plan.1.awaiting[0].note.clone(),
            open_days: [
                "2027-02-01",
                "2027-02-02",
                "2027-02-03",
                "2027-02-04",
                "2027-02-12",
                "2027-02-13"
            ]
            .map(day)
            .to_vec(),
        }]
    );
    assert_eq!(findings[0].severity(), Severity::Warning);
}

// Guards the Tết 2027 announcement: if a ten-day break is announced, the days it closes that
// the list still offers are named to the editor until they are entered; the finding goes with
// the entry, and a window already past says nothing.
#[test]
fn an_awaited_break_names_the_days_still_open_until_they_are_entered() {
    let (catalog, mut plan) = shipped_whole();
    let open_in_window = |plan: &(Plan, PlanNotes)| -> Vec<chrono::NaiveDate> {
        check_content(&catalog, plan, DEFAULT_MAX_AGE_MONTHS, day("2026-12-03"))
            .into_iter()
            .find_map(|f| match f {
                Finding::BreakAwaited { open_days, .. } => Some(open_days),
                _ => None,
            })
            .expect("the awaited break is reported")
    };
    assert!(open_in_window(&plan).contains(&day("2027-02-12")));
    // A ten-day break 3/2–12/2 is announced and entered: only the days outside it stay open.
    for date in ["2027-02-03", "2027-02-04", "2027-02-12"] {
        plan.0
            .holidays
            .push(civic_kiosk::domain::schedule::Holiday {
                date: date.into(),
                name: civic_kiosk::domain::text::Localized {
                    vi: "Tết Nguyên đán".into(),
                    en: "Lunar New Year".into(),
                },
                confirmed: true,
            });
    }
    assert_eq!(
        open_in_window(&plan),
        ["2027-02-01", "2027-02-02", "2027-02-13"].map(day).to_vec()
    );
    let after = check_content(&catalog, &plan, DEFAULT_MAX_AGE_MONTHS, day("2027-02-15"));
    assert!(after
        .iter()
        .all(|f| !matches!(f, Finding::BreakAwaited { .. })));
    plan.1.awaiting.clear();
    let settled = check_content(&catalog, &plan, DEFAULT_MAX_AGE_MONTHS, day("2026-12-03"));
    assert!(settled
        .iter()
        .all(|f| !matches!(f, Finding::BreakAwaited { .. })));
}

// Guards the lost passport's deadline: two working days since Luật 23/2023/QH15 amended art. 28
// of the exit-and-entry law (not the 48 hours still repeated in the news), online or in person,
// and the amending law is cited and recorded as amending the 2019 law.
#[test]
fn a_lost_passport_is_reported_within_two_working_days_citing_the_amending_law() {
    let (catalog, _) = shipped();
    let lost = catalog.procedure("lost-papers").expect("lost-papers");
    let answers = [("paper".to_owned(), "passport".to_owned())].into();
    let texts: Vec<&civic_kiosk::domain::text::Localized> = lost
        .notes_for(&answers)
        .into_iter()
        .map(|n| &n.text)
        .collect();
    let deadline = texts
        .iter()
        .find(|t| t.vi.contains("Trình báo trong thời hạn"))
        .expect("the deadline note");
    assert!(deadline.vi.contains("02 ngày làm việc") && deadline.en.contains("2 working days"));
    assert!(deadline.vi.contains("Cổng dịch vụ công quốc gia"));
    assert!(texts
        .iter()
        .all(|t| !t.vi.contains("48 giờ") && !t.en.contains("48 hours")));
    assert!(lost
        .legal_basis
        .iter()
        .any(|c| Cite(c).source() == "luat-23-2023"));
    assert!(
        catalog
            .source("luat-23-2023")
            .expect("luat-23-2023")
            .confirmed
    );
    let ((_, sources), _) = shipped_whole();
    let amending = sources.source("luat-23-2023").expect("luat-23-2023");
    assert_eq!(amending.amends, vec!["luat-xnc-2019".to_owned()]);
    assert!(amending.read.is_some() && amending.checked.is_some());
}

// Guards the temporary absence per group (Thông tư 116/2026/TT-BCA art. 15): people under
// supervision declare only online (portal or VNeID), never told to come in person; others are
// given the phone, website/e-mail, portal and VNeID ways; the amendment of art. 31 by Luật
// 118/2025/QH15 is said to be unchecked, and the circular stays marked unconfirmed.
#[test]
fn temporary_absence_is_declared_the_ways_each_group_is_allowed() {
    let (catalog, _) = shipped();
    let absence = catalog
        .procedure("temporary-absence")
        .expect("temporary-absence");
    let notes = |supervised: &str| -> Vec<String> {
        let answers = [("supervised".to_owned(), supervised.to_owned())].into();
        absence
            .notes_for(&answers)
            .into_iter()
            .map(|n| n.text.vi.clone())
            .collect()
    };
    let supervised = notes("yes").join(" ");
    assert!(supervised.contains("Cổng dịch vụ công quốc gia") && supervised.contains("VNeID"));
    assert!(supervised.contains("không khai báo trực tiếp"));
    assert!(!supervised.contains("Bạn phải đến khai báo trực tiếp"));
    let others = notes("no").join(" ");
    for way in [
        "điện thoại",
        "thư điện tử",
        "trang thông tin điện tử",
        "VNeID",
    ] {
        assert!(others.contains(way), "{way}");
    }
    assert!(others.contains("Luật số 118/2025/QH15") && others.contains("chưa được đối chiếu"));
    assert!(!catalog.source("tt-116-2026-bca").expect("tt-116").confirmed);
}

#[test]
fn a_citation_of_a_repealed_source_fails_the_check() {
    let (mut catalog, plan) = shipped_whole();
    let residence = catalog
        .0
        .procedures
        .iter_mut()
        .find(|p| p.id == "residence-permanent")
        .expect("residence-permanent");
    residence
        .legal_basis
        .push("tt-66-2023-bca | biểu mẫu | forms".into());
    let at = format!(
        "residence-permanent.legal_basis[{}]",
        residence.legal_basis.len() - 1
    );
    let after = check_content(&catalog, &plan, DEFAULT_MAX_AGE_MONTHS, day("2026-12-02"));
    assert_eq!(
        after.first(),
        Some(&Finding::CitesRepealed {
            at: at.clone(),
            number: "66/2023/TT-BCA".into(),
            by: "116/2026/TT-BCA".into(),
            from: day("2026-07-01"),
        })
    );
    assert_eq!(after[0].severity(), Severity::Error);
    // Before the repeal takes effect it is a warning, not an error.
    let before = check_content(&catalog, &plan, DEFAULT_MAX_AGE_MONTHS, day("2026-06-30"));
    assert!(before
        .iter()
        .any(|f| matches!(f, Finding::RepealComing { at: a, .. } if *a == at)));
    assert!(before
        .iter()
        .all(|f| !matches!(f, Finding::CitesRepealed { .. })));
}

// Every residence procedure and every form cites the texts in force, none of the repealed ones.
#[test]
fn shipped_content_cites_no_repealed_text() {
    let ((catalog, sources), _) = shipped_whole();
    for (at, citation) in catalog.citations() {
        let source = sources
            .source(Cite(citation).source())
            .expect("known source");
        assert!(source.repealed_by.is_none(), "{at} cites {}", source.number);
    }
}

#[test]
fn an_expired_exemption_is_never_shown_as_the_fee() {
    let (catalog, _) = shipped();
    let mut seen_waiver = 0;
    for procedure in &catalog.procedures {
        for fee in &procedure.fees {
            let usual = (fee.in_person_vnd, fee.online_vnd);
            let during = fee_in_force(fee, day("2027-02-28"));
            let waivers: Vec<_> = during
                .beside
                .iter()
                .filter(|a| a.kind == FeeKind::Free)
                .collect();
            // Conditional: shown beside the fee with its conditions, never as the fee.
            for waiver in &waivers {
                assert!(waiver.conditions.is_some(), "{}", procedure.id);
            }
            assert!(during.applied.is_none_or(|a| a.kind != FeeKind::Free));
            seen_waiver += waivers.len();
            let after = fee_in_force(fee, day("2027-03-01"));
            assert!(
                after.applied.is_none() && after.beside.is_empty(),
                "{}",
                procedure.id
            );
            assert_eq!((after.in_person, after.online), usual, "{}", procedure.id);
        }
    }
    assert!(
        seen_waiver >= 8,
        "the 2026–2027 waiver on ID card, residence and passport fees"
    );
    let residence = catalog.procedure("residence-permanent").expect("residence");
    let now = fee_in_force(&residence.fees[0], day("2026-12-02"));
    assert_eq!(now.in_person, Some(20000), "the waiver is conditional");
}

// A station open on Saturday mornings must be closed on a Saturday holiday; 24/11 is a holiday
// from 2026.
#[test]
fn culture_day_and_saturday_holidays_are_closed() {
    let (_, plan) = shipped();
    for date in [
        "2026-11-24",
        "2027-11-24",
        "2027-02-06",
        "2027-05-01",
        "2027-05-03",
    ] {
        assert!(
            matches!(plan.day_status(day(date)), DayStatus::Holiday(_)),
            "{date} must be closed"
        );
    }
    let (catalog, mut missing) = shipped_whole();
    missing.0.holidays.retain(|h| h.date != "2027-05-01");
    let findings = check_content(
        &catalog,
        &missing,
        DEFAULT_MAX_AGE_MONTHS,
        day("2026-12-02"),
    );
    assert!(matches!(
        findings.first(),
        Some(Finding::FixedHolidayMissing { date, .. }) if *date == day("2027-05-01")
    ));
}

#[test]
fn old_content_ended_reductions_and_a_year_without_holidays_are_flagged() {
    let ((catalog, sources), plan) = shipped_whole();
    let catalog = (catalog, sources);
    let later = check_content(&catalog, &plan, DEFAULT_MAX_AGE_MONTHS, day("2027-06-04"));
    for procedure in &catalog.0.procedures {
        assert!(
            later
                .iter()
                .any(|f| matches!(f, Finding::Stale { at, .. } if *at == procedure.id)),
            "{} is over 6 months old",
            procedure.id
        );
    }
    assert!(later
        .iter()
        .any(|f| matches!(f, Finding::HolidaysStale { .. })));
    assert!(later
        .iter()
        .any(|f| matches!(f, Finding::NoHolidays { year: 2028 })));
    assert!(later.iter().any(
        |f| matches!(f, Finding::AdjustmentEnded { at, until } if at.starts_with("id-card-replace.fees[0]") && *until == day("2026-12-31"))
    ));
    assert!(later.iter().all(|f| f.severity() == Severity::Warning));
    // The station may allow longer.
    let lenient = check_content(&catalog, &plan, 12, day("2027-06-04"));
    assert!(!lenient
        .iter()
        .any(|f| matches!(f, Finding::Stale { .. } | Finding::HolidaysStale { .. })));
}

/// A copy of public/ in a fresh folder, with one file edited.
fn public_copy_with(file: &str, edit: impl Fn(String) -> String) -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!(
        "civic-kiosk-check-data-{}-{}",
        std::process::id(),
        file.replace('/', "-")
    ));
    let data = root.join("data");
    std::fs::create_dir_all(&data).expect("temp folder");
    let public = format!("{}/public/data", env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(&public).expect("public/data") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), data.join(entry.file_name())).expect("copy");
    }
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit must apply");
    std::fs::write(&path, edited).expect("write");
    root
}

fn run_check_data(root: &std::path::Path, today: &str) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_check-data"))
        .arg(root)
        .env("CHECK_DATA_TODAY", today)
        .output()
        .expect("check-data runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

// The editor's view of a misspelt key: types pass over keys they do not read, so the checker
// must name it — by its path, beside what it then lacks — and stop the build; a key only the
// editors' notes read (a source's `amends`) is not one.
#[test]
fn check_data_names_a_misspelt_key_by_its_path() {
    let root = public_copy_with(SCHEDULE_FILE, |text| {
        text.replacen(r#""holidays_checked""#, r#""holiday_checked""#, 1)
    });
    let (ok, said) = run_check_data(&root, "2026-12-03");
    assert!(!ok, "{said}");
    assert!(
        said.contains("“holiday_checked”: no such field (misspelt?)"),
        "{said}"
    );
    assert!(
        said.contains("“holiday_checked”: không có trường này"),
        "{said}"
    );
    assert!(!said.contains("amends"), "{said}");
}

// The editor's view: one edit that cites a repealed circular stops the build, naming the place.
#[test]
fn check_data_stops_on_a_repealed_citation_and_only_warns_on_age() {
    let root = public_copy_with(CATALOG_FILE, |text| {
        text.replacen(r#""tt-116-2026-bca | "#, r#""tt-66-2023-bca | "#, 1)
    });
    let (ok, said) = run_check_data(&root, "2026-12-02");
    assert!(!ok, "{said}");
    assert!(
        said.contains("ERROR") && said.contains("66/2023/TT-BCA"),
        "{said}"
    );
    assert!(said.contains("LỖI"), "said in Vietnamese too: {said}");

    let shipped_root = format!("{}/public", env!("CARGO_MANIFEST_DIR"));
    let (ok, said) = run_check_data(std::path::Path::new(&shipped_root), "2027-06-03");
    assert!(ok, "warnings do not stop the build: {said}");
    assert!(
        said.contains("WARNING") && said.contains("more than 6 months"),
        "{said}"
    );
    // On the day it was checked, only the awaited Tết 2027 announcement is said.
    let (ok, said) = run_check_data(std::path::Path::new(&shipped_root), "2026-12-03");
    assert!(ok, "{said}");
    assert!(
        said.lines().count() == 2 && said.contains("Tết Nguyên đán 2027 is not announced yet"),
        "{said}"
    );
    let _ = std::fs::remove_dir_all(root);
}

// Guards the end of the ID card fee reduction (Thông tư 64/2025/TT-BTC, until 31/12/2026): on
// the office's last day of 2026 the reduced fee shows, on 1/1/2027 the full one — the app asks
// with the office's date (platform::clock::office_today), whatever the device's zone.
#[test]
fn the_id_card_fee_is_reduced_until_the_end_of_2026_and_full_from_2027() {
    let (catalog, _) = shipped();
    let replace = catalog
        .procedure("id-card-replace")
        .expect("id-card-replace");
    let fee = &replace.fees[0];
    // The reduced amount is shown: as the fee once confirmed, until then beside the usual one.
    let reduced_shown = |on: &str| {
        let now = fee_in_force(fee, day(on));
        now.in_person == Some(35000) || now.beside.iter().any(|a| a.in_person_vnd == Some(35000))
    };
    assert!(reduced_shown("2026-12-31"));
    assert!(
        !reduced_shown("2027-01-01"),
        "the reduction ended with 2026"
    );
    assert_eq!(fee_in_force(fee, day("2027-01-01")).in_person, Some(70000));
    // The office's date, not the device's: 17:30 on 31/12 in Los Angeles is already 1/1/2027
    // at the office (UTC+7).
    let los_angeles_evening = chrono::DateTime::parse_from_rfc3339("2026-12-31T17:30:00-08:00")
        .expect("instant")
        .timestamp_millis();
    let office_day =
        civic_kiosk::domain::time::office_date(los_angeles_evening).expect("office date");
    assert_eq!(office_day, day("2027-01-01"));
    assert!(fee_in_force(fee, office_day)
        .beside
        .iter()
        .all(|a| a.in_person_vnd != Some(35000)));
}

// Guards against the exchange at 14, 25, 40 and 60 shown as certainly free: two sources list it
// among the paid cases (Thông tư 73/2024/TT-BTC) — until the circular's text is read, the app
// says so and sends the citizen to ask. The boundary-change case stays free.
#[test]
fn the_age_exchange_fee_is_not_shown_as_certain() {
    let (catalog, _) = shipped();
    let exchange = catalog
        .procedure("id-card-exchange")
        .expect("id-card-exchange");
    let for_reason = |reason: &str| {
        exchange
            .fees
            .iter()
            .find(|fee| {
                fee.when
                    .get("reason")
                    .is_some_and(|reasons| reasons.iter().any(|r| r == reason))
            })
            .unwrap_or_else(|| panic!("a fee for {reason}"))
    };
    let age = for_reason("age");
    assert!(!age.confirmed, "not certain");
    assert!(age
        .note
        .as_ref()
        .is_some_and(|n| n.vi.contains("hỏi trụ sở")));
    let boundary = for_reason("boundary");
    assert!(boundary.confirmed && boundary.kind == FeeKind::Free);
}
