//! Pages drawn to HTML natively, by the same components the browser runs: the build writes the
//! pages whose content comes from the data files as files of their own (src/bin/prerender.rs),
//! and the station server draws them from each station's own files (crates/server/src/web.rs). The
//! browser paints that HTML before the WebAssembly arrives; the app then draws the same page
//! and takes its place (`platform::document::take_over`).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use leptos::prelude::*;

use crate::domain::catalog::{Catalog, CATALOG_FILE};
use crate::domain::data_file::parse_data_shape;
use crate::domain::forms::FORMS_FILE;
use crate::domain::news::NEWS_FILE;
use crate::domain::public_answers::ANSWERS_FILE;
use crate::domain::route::Route;
use crate::domain::schedule::SCHEDULE_FILE;
use crate::domain::station::STATION_FILE;
use crate::platform;
use crate::ui::App;

/// The data files' texts, by their name under the site root ("data/station.json").
#[derive(Clone, Debug, Default)]
pub struct DataFiles(Arc<BTreeMap<&'static str, String>>);

/// The files a page may be drawn from.
const FILES: [&str; 6] = [
    STATION_FILE,
    ANSWERS_FILE,
    CATALOG_FILE,
    FORMS_FILE,
    NEWS_FILE,
    SCHEDULE_FILE,
];

impl DataFiles {
    /// Reads the data files from `dir` (public/data, or a station's data directory). A file
    /// that cannot be read is left out: the pages that need it are not drawn.
    pub fn read(dir: &Path) -> Self {
        let texts = FILES
            .into_iter()
            .filter_map(|file| {
                let name = file.trim_start_matches("data/");
                std::fs::read_to_string(dir.join(name))
                    .ok()
                    .map(|text| (file, text))
            })
            .collect();
        DataFiles(Arc::new(texts))
    }

    pub fn text(&self, file: &str) -> Option<String> {
        self.0.get(file).cloned()
    }
}

/// The address of the page being drawn, read by the router instead of the browser's location.
#[derive(Clone, Debug)]
pub struct DrawnAddress {
    pub path: String,
    pub query: String,
}

/// A page drawn to HTML: what goes in `<title>` and in the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrawnPage {
    pub title: String,
    pub markup: String,
}

/// Whether `route`'s page is drawn from the data files, the same for every visitor: those are
/// drawn ahead (the booking page up to "checking the station's booking service", which the app
/// then asks). The others (moving a booking, a form being filled, this device's bookings)
/// depend on the device and start from the plain app page.
pub fn is_drawn_ahead(route: &Route) -> bool {
    matches!(
        route,
        Route::Home
            | Route::Services
            | Route::Procedure(_)
            | Route::News
            | Route::Contact
            | Route::Forms
            | Route::Book { moving: None, .. }
    )
}

/// Draws `route`'s page as a first visit in Vietnamese sees it, or `None` when it is not drawn
/// ahead or a data file it needs is missing or unreadable (the plain app page serves then).
pub fn draw(route: &Route, files: &DataFiles) -> Option<DrawnPage> {
    if !is_drawn_ahead(route) || !needs(route).iter().all(|file| readable(files, file)) {
        return None;
    }
    let address = route.address();
    let (path, query) = address.split_once('?').unwrap_or((&address, ""));
    let address = DrawnAddress {
        path: path.to_owned(),
        query: query.to_owned(),
    };
    let owner = Owner::new();
    let markup = owner.with(|| {
        provide_context(files.clone());
        provide_context(address);
        view! { <App forms=crate::ui::pages::FORMS /> }.to_html()
    });
    Some(DrawnPage {
        title: platform::document::take_drawn_title(),
        markup,
    })
}

/// The files `route`'s page shows.
fn needs(route: &Route) -> &'static [&'static str] {
    match route {
        Route::Services | Route::Procedure(_) => &[STATION_FILE, CATALOG_FILE],
        Route::News => &[STATION_FILE, NEWS_FILE],
        Route::Forms => &[STATION_FILE, FORMS_FILE],
        Route::Book { .. } => &[STATION_FILE, CATALOG_FILE, SCHEDULE_FILE],
        _ => &[STATION_FILE],
    }
}

fn readable(files: &DataFiles, file: &str) -> bool {
    let Some(text) = files.text(file) else {
        return false;
    };
    // The shape is what the browser checks too; a page drawn from a file it would refuse
    // would show content the app then replaces with an error.
    match file {
        STATION_FILE => {
            parse_data_shape::<crate::domain::station::Station>(STATION_FILE, &text).is_ok()
        }
        CATALOG_FILE => parse_data_shape::<Catalog>(CATALOG_FILE, &text).is_ok(),
        FORMS_FILE => {
            parse_data_shape::<crate::domain::forms::FormCatalog>(FORMS_FILE, &text).is_ok()
        }
        NEWS_FILE => parse_data_shape::<crate::domain::news::News>(NEWS_FILE, &text).is_ok(),
        SCHEDULE_FILE => {
            parse_data_shape::<crate::domain::schedule::Plan>(SCHEDULE_FILE, &text).is_ok()
        }
        _ => true,
    }
}

/// Every page the build draws ahead, with the file it is written to under dist/.
pub fn pages_to_write(files: &DataFiles) -> Vec<(Route, String)> {
    let mut pages = vec![
        (Route::Home, "index.html".to_owned()),
        (Route::Services, "services/index.html".to_owned()),
        (Route::News, "news/index.html".to_owned()),
        (Route::Contact, "contact/index.html".to_owned()),
        (Route::Forms, "forms/index.html".to_owned()),
        (
            Route::Book {
                procedure: None,
                moving: None,
            },
            "book/index.html".to_owned(),
        ),
    ];
    let catalog = files
        .text(CATALOG_FILE)
        .and_then(|text| parse_data_shape::<Catalog>(CATALOG_FILE, &text).ok());
    for procedure in catalog.map(|c| c.procedures).unwrap_or_default() {
        let file = format!("services/{}/index.html", procedure.id);
        pages.push((Route::Procedure(procedure.id), file));
    }
    pages
}

/// Where a drawn page goes in the app's index.html: its title, and its markup in place of the
/// static fallback's station details (the page shows them itself). The fallback keeps its
/// "this browser cannot run the app" and no-JavaScript notes. The app's own element stays
/// hidden until it has drawn the same page (boot.js).
pub const BODY_START: &str = r#"<div id="static-fallback" class="static-fallback">"#;
pub const BODY_END: &str = r#"<p id="app-unsupported" hidden>"#;
pub const APP_ROOT: &str = r#"<div id="app"></div>"#;

/// The app's index.html lacks a place a drawn page goes (a changed index.html).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShellMismatch(pub &'static str);

/// `shell` (the built index.html) with `page` in it, and without the hint that fetches the
/// app's wasm at once: on a page drawn ahead it is fetched after the first paint (boot.js), so
/// on a slow link it does not share the line with what that paint needs.
pub fn into_shell(shell: &str, page: &DrawnPage) -> Result<String, ShellMismatch> {
    let shell = &without_wasm_preload(shell);
    let title_start = shell.find("<title>").ok_or(ShellMismatch("<title>"))?;
    let title_end = shell[title_start..]
        .find("</title>")
        .map(|end| title_start + end)
        .ok_or(ShellMismatch("</title>"))?;
    let body_start = shell.find(BODY_START).ok_or(ShellMismatch(BODY_START))?;
    let body_end = shell[body_start..]
        .find(BODY_END)
        .map(|end| body_start + end)
        .ok_or(ShellMismatch(BODY_END))?;
    let app_root = shell[body_end..]
        .find(APP_ROOT)
        .map(|at| body_end + at)
        .ok_or(ShellMismatch(APP_ROOT))?;
    if title_end > body_start {
        return Err(ShellMismatch("<title>"));
    }
    let mut html = String::with_capacity(shell.len() + page.markup.len());
    html.push_str(&shell[..title_start]);
    html.push_str("<title>");
    html.push_str(&crate::domain::text::escape_html(&page.title));
    html.push_str(&shell[title_end..body_start]);
    html.push_str(r#"<div id="prerendered">"#);
    html.push_str(&page.markup);
    html.push_str(r#"</div><div id="static-fallback">"#);
    html.push_str(&shell[body_end..app_root]);
    html.push_str(r#"<div id="app" hidden></div>"#);
    html.push_str(&shell[app_root + APP_ROOT.len()..]);
    Ok(html)
}

/// `html` without its `<link rel="preload" … type="application/wasm">` tags: for a page drawn
/// ahead, and for a form page, whose loader starts the forms bundle instead (boot.js).
pub fn without_wasm_preload(html: &str) -> String {
    let mut kept = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<link rel=\"preload\"") {
        let Some(length) = rest[start..].find('>').map(|end| end + 1) else {
            break;
        };
        let tag = &rest[start..start + length];
        kept.push_str(&rest[..start]);
        if !tag.contains("type=\"application/wasm\"") {
            kept.push_str(tag);
        }
        rest = &rest[start + length..];
    }
    kept.push_str(rest);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_files() -> DataFiles {
        DataFiles::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("public/data"))
    }

    const SHELL: &str = r#"<html><head><title>{{X}}</title><link rel="preload" href="/data/station.json" as="fetch"><link rel="preload" href="/app_bg.wasm" as="fetch" type="application/wasm"></head><body><div id="static-fallback" class="static-fallback"><h1>Station</h1><p id="app-unsupported" hidden>cannot run</p></div><div id="app"></div></body></html>"#;

    #[test]
    fn a_procedure_page_is_drawn_with_its_content_and_title() {
        let files = sample_files();
        let page = draw(&Route::Procedure("id-card-replace".into()), &files).expect("drawn");
        let catalog =
            parse_data_shape::<Catalog>(CATALOG_FILE, &files.text(CATALOG_FILE).unwrap()).unwrap();
        let procedure = catalog
            .procedures
            .iter()
            .find(|p| p.id == "id-card-replace")
            .unwrap();
        let title = procedure.title.get(crate::domain::text::Lang::Vi);
        assert!(page.title.starts_with(title), "{}", page.title);
        assert!(page.markup.contains(title));
        assert!(page.markup.contains(r#"<main id="main""#));
        assert!(
            !page.markup.contains(r#"class="loading""#),
            "drawn before its data"
        );
    }

    #[test]
    fn pages_that_depend_on_the_device_are_not_drawn_ahead() {
        let files = sample_files();
        assert!(draw(&Route::Bookings, &files).is_none());
        let moving = Route::Book {
            procedure: None,
            moving: Some("AB12CD".into()),
        };
        assert!(draw(&moving, &files).is_none());
        let form = Route::Form {
            id: "DC02".into(),
            place: crate::domain::route::Place::START,
        };
        assert!(draw(&form, &files).is_none());
    }

    #[test]
    fn a_page_whose_file_is_missing_or_broken_is_not_drawn() {
        let mut texts = (*sample_files().0).clone();
        texts.insert(CATALOG_FILE, "{ not json".into());
        let files = DataFiles(Arc::new(texts));
        assert!(draw(&Route::Services, &files).is_none());
        assert!(draw(&Route::Contact, &files).is_some());
        let mut texts = (*files.0).clone();
        texts.remove(STATION_FILE);
        assert!(draw(&Route::Contact, &DataFiles(Arc::new(texts))).is_none());
    }

    #[test]
    fn the_build_writes_every_procedure() {
        let files = sample_files();
        let pages = pages_to_write(&files);
        assert!(pages
            .iter()
            .any(|(_, file)| file == "services/id-card-replace/index.html"));
        for (route, file) in &pages {
            assert!(draw(route, &files).is_some(), "{file}");
        }
    }

    #[test]
    fn a_drawn_page_replaces_the_station_details_keeps_the_notes_and_fetches_the_wasm_later() {
        let page = DrawnPage {
            title: "Trang <1> & 2".into(),
            markup: "<main>M</main>".into(),
        };
        let html = into_shell(SHELL, &page).unwrap();
        assert_eq!(
            html,
            r#"<html><head><title>Trang &lt;1> &amp; 2</title><link rel="preload" href="/data/station.json" as="fetch"></head><body><div id="prerendered"><main>M</main></div><div id="static-fallback"><p id="app-unsupported" hidden>cannot run</p></div><div id="app" hidden></div></body></html>"#
        );
        assert_eq!(
            into_shell(&SHELL.replace("app-unsupported", "x"), &page),
            Err(ShellMismatch(BODY_END))
        );
        assert_eq!(
            into_shell(&SHELL.replace(APP_ROOT, ""), &page),
            Err(ShellMismatch(APP_ROOT))
        );
    }
}
