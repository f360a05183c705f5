//! The layers are crates, and this test keeps them honest: the pure core (`crates/domain`)
//! names no browser, server or UI crate and never reads the clock; the JSON codec it reads with
//! (`crates/json`) names the browser only in its wasm build; ARCHITECTURE.md's crate picture
//! shows every member. Cargo refuses a `use` of an undeclared crate, so the manifests are what
//! must be checked. And the rules the build's scripts write a second time (the data files
//! fetched on first use, the form pages' addresses) agree with the app's.

use std::collections::BTreeMap;
use std::path::Path;

/// The dependency names of each section of a Cargo manifest (`dependencies`,
/// `target.'cfg(…)'.dependencies`, …), read line by line: the manifests here keep one
/// dependency per line.
fn dependency_sections(manifest: &str) -> BTreeMap<String, Vec<String>> {
    let mut sections = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            let name = line.trim_matches(['[', ']']).to_owned();
            current = name.ends_with("dependencies").then_some(name);
            if let Some(name) = &current {
                sections.insert(name.clone(), Vec::new());
            }
            continue;
        }
        let (Some(section), Some((key, _))) = (&current, line.split_once('=')) else {
            continue;
        };
        if !line.starts_with('#') {
            if let Some(names) = sections.get_mut(section) {
                names.push(key.trim().to_owned());
            }
        }
    }
    sections
}

fn read(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a source folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

// Guards the core's purity: a browser, server or UI crate added to the domain fails here (and
// then Cargo would let `domain` use it).
#[test]
fn the_domain_names_no_browser_server_or_ui_crate() {
    let sections = dependency_sections(&read("crates/domain/Cargo.toml"));
    let allowed = [
        "civic-json",
        "serde",
        "serde_json",
        "thiserror",
        "chrono",
        "qrcode",
    ];
    assert_eq!(
        sections.keys().collect::<Vec<_>>(),
        vec!["dependencies"],
        "no target-specific or dev dependencies: one domain on every target"
    );
    for name in &sections["dependencies"] {
        assert!(
            allowed.contains(&name.as_str()),
            "the domain depends on {name}"
        );
    }
}

#[test]
fn the_json_codec_names_the_browser_only_in_its_wasm_build() {
    let sections = dependency_sections(&read("crates/json/Cargo.toml"));
    for (section, names) in &sections {
        let allowed: &[&str] = match section.as_str() {
            "dependencies" => &["serde", "serde_json", "serde_ignored"],
            "target.'cfg(target_arch = \"wasm32\")'.dependencies" => &["wasm-bindgen", "js-sys"],
            "dev-dependencies" => &["chrono"],
            other => panic!("unexpected section [{other}] in crates/json/Cargo.toml"),
        };
        for name in names {
            assert!(allowed.contains(&name.as_str()), "[{section}] has {name}");
        }
    }
}

// Guards "domain code never calls the clock, storage or the DOM": std's clock is not a crate,
// so its names are looked for in the source.
#[test]
fn the_domain_never_reads_the_clock_or_the_environment() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/domain/src");
    let forbidden = [
        "SystemTime",
        "Instant::now",
        "Utc::now",
        "Local::now",
        "std::env",
        "std::fs",
        "std::net",
    ];
    for file in rust_files(&root) {
        let text = std::fs::read_to_string(&file).expect("readable");
        for word in forbidden {
            assert!(!text.contains(word), "{} uses {word}", file.display());
        }
    }
}

// Guards "one shape per type": nothing in the domain is compiled differently per target or
// feature (a serde attribute switched by `cfg_attr`, a field behind `cfg`), so a field added to a
// type is reasoned about once and the native tests see the browser's types. Tests excepted.
#[test]
fn the_domain_is_the_same_on_every_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/domain/src");
    for file in rust_files(&root) {
        let text = std::fs::read_to_string(&file).expect("readable");
        for (number, line) in text.lines().enumerate() {
            let line = line.trim_start();
            let switched = line.starts_with("#[cfg_attr(")
                || (line.starts_with("#[cfg(") && !line.starts_with("#[cfg(test)]"));
            assert!(
                !switched,
                "{}:{}: `{line}` — give the browser a view type of its own instead, or pay the bytes (ARCHITECTURE.md, one shape per type)",
                file.display(),
                number + 1
            );
        }
    }
}

// Guards "i18n may use the domain only": a layer above words its own problems (its module
// implements them beside the type), so i18n never reaches up into the browser glue, the PDF
// module, the server or the pages.
#[test]
fn i18n_names_no_layer_above_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/i18n");
    for file in rust_files(&root) {
        let text = std::fs::read_to_string(&file).expect("readable");
        for layer in ["platform", "pdf", "server", "ui"] {
            for written in [format!("crate::{layer}::"), format!("crate::{layer};")] {
                assert!(
                    !text.contains(&written),
                    "{} names {written}",
                    file.display()
                );
            }
        }
    }
}

// Guards "thin UI, one glue layer": the pages reach the browser only through `platform` (the
// document, the clock, storage, the network), so what they do can be drawn natively and read
// without knowing web-sys.
#[test]
fn the_pages_reach_the_browser_only_through_platform() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    for file in rust_files(&root) {
        let text = std::fs::read_to_string(&file).expect("readable");
        for word in [
            "web_sys",
            "js_sys",
            "wasm_bindgen",
            "window()",
            "document()",
        ] {
            assert!(
                !text.contains(word),
                "{} uses {word}: reach the browser through platform",
                file.display()
            );
        }
    }
}

// Guards ARCHITECTURE.md's crate picture against a member added or renamed without it.
#[test]
fn the_architecture_shows_every_crate_of_the_workspace() {
    let manifest = read("Cargo.toml");
    let members_line = manifest
        .lines()
        .find(|l| l.trim_start().starts_with("members"))
        .expect("a workspace");
    let architecture = read("ARCHITECTURE.md");
    let picture = architecture
        .split("## Crates")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("ARCHITECTURE.md has a \"## Crates\" section");
    for member in members_line.split('"').filter(|s| s.starts_with("crates/")) {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(member)
            .join("Cargo.toml");
        assert!(manifest.is_file(), "{member} has no Cargo.toml");
        assert!(picture.contains(member), "the crate picture lacks {member}");
    }
    assert!(
        picture.contains("civic-kiosk"),
        "the picture shows the root package"
    );
}

/// The text between `start` and the next `end` after it, in `file`.
fn between<'a>(file: &'a str, start: &str, end: &str) -> &'a str {
    let from = file
        .find(start)
        .map(|i| i + start.len())
        .expect("marker present");
    let to = file[from..].find(end).expect("end marker present");
    &file[from..from + to]
}

// Guards the data-file names written twice (the service worker's on-demand list in
// scripts/on-demand.mjs, the domain's constants): every file fetched on first use is one the
// app reads, and every file the app reads but the station's is on the list.
#[test]
fn the_on_demand_list_names_the_data_files_the_app_reads() {
    use civic_kiosk::domain::{catalog, forms, news, public_answers, schedule, station};
    let script = read("scripts/on-demand.mjs");
    let listed: Vec<&str> = between(&script, "const onFirstUse = [", "]")
        .split(',')
        .map(|item| item.trim().trim_matches('\''))
        .collect();
    let mut wanted = vec![
        catalog::CATALOG_FILE,
        forms::FORMS_FILE,
        news::NEWS_FILE,
        schedule::SCHEDULE_FILE,
        public_answers::ANSWERS_FILE,
    ];
    let mut listed_sorted = listed.clone();
    listed_sorted.sort_unstable();
    wanted.sort_unstable();
    assert_eq!(listed_sorted, wanted);
    // The station's own file is part of the first load (the kiosk decision needs it at once).
    assert!(!listed.contains(&station::STATION_FILE));
}

// Guards "is this a forms-bundle page", written twice: the boot script starts the forms bundle
// on `/^\/(forms|ask|book)(\/|$)/` (scripts/post-build/steps.mjs), the app on `Route::parse`.
// Every form page, /ask and /book start the forms bundle at once; an unknown address under
// /forms/, /ask/ or /book/ starts it too (it is the whole app, and says the page is not found);
// nothing else does — not the bookings already made (/bookings), which stay the citizens'.
#[test]
fn the_boot_script_and_the_routes_agree_on_form_pages() {
    use civic_kiosk::domain::route::Route;
    let steps = read("scripts/post-build/steps.mjs");
    assert!(
        steps.contains(r"/^\/(forms|ask|book)(\/|$)/.test(location.pathname) ? 'forms-bundle'"),
        "the boot script's form-page rule changed: change this test's reading of it too"
    );
    let boot_says = |path: &str| {
        ["/forms", "/ask", "/book"]
            .iter()
            .any(|root| path == *root || path.starts_with(&format!("{root}/")))
    };
    for path in [
        "/forms",
        "/forms/",
        "/forms/CT01",
        "/forms/DC02",
        "/formsx",
        "/form",
        "/",
        "/services",
        "/book",
        "/staff",
        "/check-in",
        "/forms/CT01/extra",
        "/ask",
        "/ask/",
        "/ask/extra",
        "/asked",
        "/book/",
        "/book/extra",
        "/booking",
        "/bookings",
        "/bookings/ABCD-1234",
    ] {
        let app_says = matches!(
            Route::parse(path, ""),
            Route::Forms | Route::Form { .. } | Route::Ask { .. } | Route::Book { .. }
        );
        if app_says {
            assert!(
                boot_says(path),
                "{path} is a form page the boot script misses"
            );
        } else if boot_says(path) {
            assert!(
                matches!(Route::parse(path, ""), Route::NotFound),
                "{path}: the forms bundle would start on a page that is another bundle's"
            );
        }
    }
}

// Guards "is this a queue ticket", written twice: the boot script starts the ticket bundle on
// `/^\/q\/[^/]+$/` (scripts/post-build/steps.mjs), the app on `Route::parse`. A ticket's
// address starts it; no other page does (the ticket bundle has no other station page).
#[test]
fn the_boot_script_and_the_routes_agree_on_ticket_pages() {
    use civic_kiosk::domain::route::{Route, StationPage};
    let steps = read("scripts/post-build/steps.mjs");
    assert!(
        steps.contains(r"/^\/q\/[^/]+$/.test(location.pathname) ? 'ticket-bundle'"),
        "the boot script's ticket rule changed: change this test's reading of it too"
    );
    let boot_says = |path: &str| {
        path.strip_prefix("/q/")
            .is_some_and(|token| !token.is_empty() && !token.contains('/'))
    };
    for path in [
        "/q/Ab3xYz",
        "/q/",
        "/q",
        "/q/a/b",
        "/qq/abc",
        "/staff",
        "/display",
        "/take-number",
        "/",
    ] {
        let app_says = matches!(
            Route::parse(path, ""),
            Route::Station(StationPage::Ticket(_))
        );
        assert_eq!(boot_says(path), app_says, "{path}");
    }
}
