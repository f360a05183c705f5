//! Prints the time to render each shipped form to PDF (median of several runs) and its size.
//! Native figures: the in-browser measurement comes with the lazily loaded PDF module.
//! Run: scripts/bench-pdf

use std::time::Instant;

use civic_kiosk::domain::data_file::parse_data_file;
use civic_kiosk::domain::forms::{FormAnswers, FormCatalog, Value, FORMS_FILE};
use civic_kiosk::pdf::{render_form, Fonts};

const RUNS: usize = 15;

fn main() {
    let root = env!("CARGO_MANIFEST_DIR");
    let text = std::fs::read_to_string(format!("{root}/public/{FORMS_FILE}")).expect("forms file");
    let forms: FormCatalog = parse_data_file(FORMS_FILE, &text).unwrap_or_else(|e| panic!("{e}"));
    let fonts = Fonts::embedded();
    println!(
        "{:<14} {:>10} {:>10} {:>7}",
        "form", "median ms", "size KB", "runs"
    );
    for form in &forms.forms {
        // Every text field filled with a long Vietnamese answer, so forms reach two pages.
        let mut answers = FormAnswers::new();
        for field in form.steps.iter().flat_map(|s| &s.fields) {
            answers.insert(
                field.id.clone(),
                Value::Text(
                    "Nguyễn Thị Hồng Nhung, buôn Ko Tam, phường Tân Lập, tỉnh Đắk Lắk. ".repeat(3),
                ),
            );
        }
        let mut times = Vec::with_capacity(RUNS);
        let mut size = 0;
        for _ in 0..RUNS {
            let start = Instant::now();
            let bytes = render_form(form, &answers, &fonts).expect("pdf");
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            size = bytes.len();
        }
        times.sort_by(f64::total_cmp);
        println!(
            "{:<14} {:>10.1} {:>10.1} {:>7}",
            form.id,
            times[RUNS / 2],
            size as f64 / 1024.0,
            RUNS
        );
    }
}
