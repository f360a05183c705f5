//! Component tests in real headless Chromium (wasm-bindgen-test). Run by scripts/test, or:
//! `cargo test --target wasm32-unknown-unknown --test web`.
#![cfg(target_arch = "wasm32")]

use civic_kiosk::domain::data_file::DataFileError;
use civic_kiosk::domain::text::Lang;
use civic_kiosk::ui::data_view::DataError;
use civic_kiosk::ui::{AppContext, LanguageSwitch};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts `component` in a container of its own with the app's context, the way `App` does.
/// The context is made inside the mount, where Leptos' executor already runs: it spawns the
/// data loads.
fn mount_with_app<V: IntoView + 'static>(
    component: impl FnOnce() -> V + 'static,
) -> (web_sys::HtmlElement, AppContext, impl Drop) {
    let document = document();
    let container: web_sys::HtmlElement = document
        .create_element("div")
        .expect("create div")
        .unchecked_into();
    document
        .body()
        .expect("body")
        .append_child(&container)
        .expect("append");
    let context = std::rc::Rc::new(std::cell::Cell::new(None));
    let context_out = context.clone();
    let handle = leptos::mount::mount_to(container.clone(), move || {
        let app = AppContext::new();
        provide_context(app);
        context_out.set(Some(app));
        component()
    });
    (
        container,
        context.get().expect("context made during mount"),
        handle,
    )
}

/// Leptos listens for events on the document, so a synthetic click must bubble.
fn click(element: &web_sys::Element) {
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    let event = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).expect("event");
    element.dispatch_event(&event).expect("dispatch");
}

// Guards against the switch changing language without telling assistive technology which
// language is chosen (aria-pressed), or a button not naming its language in that language.
#[wasm_bindgen_test]
async fn language_switch_sets_the_language_and_marks_the_pressed_button() {
    let (container, app, _mounted) = mount_with_app(|| view! { <LanguageSwitch /> });
    let buttons = container.query_selector_all("button").expect("query");
    assert_eq!(buttons.length(), 2);
    let vi: web_sys::Element = buttons.get(0).expect("vi").unchecked_into();
    let en: web_sys::Element = buttons.get(1).expect("en").unchecked_into();
    assert_eq!(vi.text_content().as_deref(), Some("Tiếng Việt"));
    assert_eq!(en.get_attribute("lang").as_deref(), Some("en"));
    assert_eq!(vi.get_attribute("aria-pressed").as_deref(), Some("true"));
    assert_eq!(en.get_attribute("aria-pressed").as_deref(), Some("false"));

    click(&en);
    leptos::task::tick().await;
    assert_eq!(app.lang.get_untracked(), Lang::En);
    assert_eq!(en.get_attribute("aria-pressed").as_deref(), Some("true"));
    assert_eq!(vi.get_attribute("aria-pressed").as_deref(), Some("false"));
}

// Guards against a broken data file giving a blank or vague screen: the message must name the
// file and the field, and follow the language switch. (The browser checks a file's shape; its
// values were checked when the site was built, so a shape error is what a visitor can meet.)
#[wasm_bindgen_test]
async fn data_error_names_file_and_fields_in_the_current_language() {
    let error = DataFileError::Shape {
        file: "data/station.json".into(),
        line: Some(12),
        field: "opening_hours".into(),
        detail: "missing field `sat`".into(),
    };
    let (container, app, _mounted) =
        mount_with_app(move || view! { <DataError error resource_refetch=|| () /> });
    let text = || container.text_content().unwrap_or_default();
    assert!(
        text().contains(
            "Tệp data/station.json có lỗi ở trường “opening_hours” (dòng 12): missing field `sat`"
        ),
        "{}",
        text()
    );
    assert!(
        container
            .query_selector("[role=alert]")
            .expect("query")
            .is_some(),
        "announced as an alert"
    );

    app.lang.set(Lang::En);
    leptos::task::tick().await;
    assert!(
        text().contains(
            "The file data/station.json has an error in the field “opening_hours” (line 12)"
        ),
        "{}",
        text()
    );
}

// Guards a published answer (#29) read by citizens: the question opens it (a native
// disclosure, so it works before any script and with a screen reader), the answer follows the
// language switch, the legal basis is named as the checklist names it, and the dates are there.
#[wasm_bindgen_test]
async fn a_published_answer_opens_from_its_question_and_follows_the_language() {
    use civic_kiosk::domain::catalog::Catalog;
    use civic_kiosk::domain::data_file::parse_data_shape;
    use civic_kiosk::domain::public_answers::PublicAnswers;
    use civic_kiosk::ui::pages::AnswerItem;
    let catalog: Catalog = parse_data_shape(
        "data/procedures.json",
        include_str!("../public/data/procedures.json"),
    )
    .expect("sample procedures");
    let answers: PublicAnswers = parse_data_shape(
        "data/answers.json",
        include_str!("../public/data/answers.json"),
    )
    .expect("sample answers");
    let answer = answers
        .answers
        .iter()
        .find(|a| a.id == "tam-tru-duoc-bao-lau")
        .expect("the sample's answer")
        .clone();
    let catalog = std::sync::Arc::new(catalog);
    let (container, app, _mounted) =
        mount_with_app(move || view! { <AnswerItem answer catalog /> });
    let details = container
        .query_selector("details#a-tam-tru-duoc-bao-lau")
        .expect("query")
        .expect("a disclosure with the answer's anchor");
    let summary = details
        .query_selector("summary")
        .expect("query")
        .expect("summary");
    assert!(summary
        .text_content()
        .unwrap_or_default()
        .starts_with("Tôi thuê trọ để đi làm."));
    let text = || details.text_content().unwrap_or_default();
    assert!(
        text().contains("Thời hạn tạm trú tối đa là 2 năm"),
        "{}",
        text()
    );
    assert!(
        text().contains("Căn cứ: Luật Cư trú số 68/2020/QH14"),
        "{}",
        text()
    );
    assert!(
        text().contains("Trả lời ngày 04/12/2026, kiểm tra lại ngày 04/12/2026."),
        "{}",
        text()
    );

    app.lang.set(Lang::En);
    leptos::task::tick().await;
    assert!(text().contains("lasts at most 2 years"), "{}", text());
    assert!(
        text().contains("Legal basis: Law on Residence"),
        "{}",
        text()
    );
    assert!(!text().contains("Thời hạn tạm trú"), "{}", text());
}

// The browser reads JSON with its own parser and the app's small reader (domain::json): it must
// read and write what serde_json does, refuse what serde_json refuses, and still say where a data
// file is wrong — the field for a value of the wrong type, line and column for broken JSON.
#[wasm_bindgen_test]
fn the_browsers_json_reads_and_refuses_as_serde_json_does() {
    use civic_kiosk::domain::data_file::parse_data_shape;
    use civic_kiosk::domain::json;
    use civic_kiosk::domain::station::Station;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Sample {
        name: String,
        count: u32,
        note: Option<String>,
        tags: Vec<String>,
        kind: Kind,
    }
    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Plain,
        Counted(u8),
    }

    let sample = Sample {
        name: "Nguyễn Văn \"A\"".into(),
        count: 3,
        note: None,
        tags: vec!["a".into(), "ư".into()],
        kind: Kind::Counted(2),
    };
    let text = json::to_string(&sample).expect("writes");
    assert_eq!(
        text,
        r#"{"name":"Nguyễn Văn \"A\"","count":3,"note":null,"tags":["a","ư"],"kind":{"counted":2}}"#
    );
    assert_eq!(json::from_str::<Sample>(&text), Ok(sample));
    assert_eq!(json::from_str::<Kind>(r#""plain""#), Ok(Kind::Plain));

    let refused = |text: &str| match json::from_str::<Sample>(text) {
        Err(json::JsonError::Shape { detail, field, .. }) => (detail, field),
        other => panic!("{text}: {other:?}"),
    };
    let base = r#""name":"A","tags":[],"kind":"plain""#;
    assert!(refused(&format!("{{{base},\"count\":1,\"extra\":1}}"))
        .0
        .starts_with("unknown field `extra`"));
    assert_eq!(refused(&format!("{{{base}}}")).0, "missing field `count`");
    let (detail, field) = refused(&format!("{{{base},\"count\":1.5}}"));
    assert_eq!(
        (detail.as_str(), field.as_deref()),
        (
            "invalid type: a number with a fraction, expected u32",
            Some("count")
        )
    );
    let (detail, field) = refused(&format!("{{{base},\"count\":-1}}"));
    assert!(
        detail.starts_with("invalid value: integer `-1`"),
        "{detail}"
    );
    assert_eq!(field.as_deref(), Some("count"));
    assert_eq!(
        refused(r#"{"name":"A","count":1,"tags":[2],"kind":"plain"}"#)
            .1
            .as_deref(),
        Some("tags")
    );

    match parse_data_shape::<Station>("data/station.json", r#"{"schema_version": 1, "phone": 12}"#)
    {
        Err(DataFileError::Shape { field, line, .. }) => {
            assert_eq!(field, "phone");
            assert_eq!(line, None);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        json::from_str::<Sample>("{\n  \"name\": \"A\",\n  oops"),
        Err(json::JsonError::Syntax { line: 3, column: 3 })
    );
}
