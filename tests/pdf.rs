//! Every form rendered to PDF and checked with real tools: pdftotext must return exactly the
//! Vietnamese typed (whatever its Unicode normalisation), qpdf --check must pass, the file must
//! stay small, and long answers must continue on an added page instead of being cut.
//! Run with `cargo test --features pdf --test pdf` (scripts/test does).
#![cfg(feature = "pdf")]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use civic_kiosk::domain::data_file::parse_data_file;
use civic_kiosk::domain::forms::{FormAnswers, FormCatalog, FormDef, Value, FORMS_FILE};
use civic_kiosk::pdf::{render_form, Fonts};

fn fonts() -> Fonts {
    Fonts::embedded()
}

fn form(id: &str) -> FormDef {
    let text = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("public")
            .join(FORMS_FILE),
    )
    .expect("forms");
    let forms: FormCatalog = parse_data_file(FORMS_FILE, &text).unwrap_or_else(|e| panic!("{e}"));
    forms.forms.into_iter().find(|f| f.id == id).expect("form")
}

fn text(pairs: &[(&str, &str)]) -> FormAnswers {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Value::Text(v.to_string())))
        .collect()
}

/// Writes the PDF under target/pdf-samples (kept for a look) and returns (pdftotext, pages).
fn check_with_tools(name: &str, bytes: &[u8]) -> (String, usize) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pdf-samples");
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, bytes).expect("write");
    let qpdf = Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()
        .expect("qpdf is installed (scripts/setup test)");
    assert!(
        qpdf.status.success(),
        "qpdf --check failed for {name}: {}",
        String::from_utf8_lossy(&qpdf.stdout)
    );
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext is installed");
    assert!(out.status.success());
    let info = Command::new("pdfinfo")
        .arg(&path)
        .output()
        .expect("pdfinfo");
    let info = String::from_utf8_lossy(&info.stdout).to_string();
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    (String::from_utf8(out.stdout).expect("utf-8"), pages)
}

// Guards against names typed in decomposed Unicode printing as broken letters or coming out of
// the PDF differently from what was typed.
#[test]
fn dc02_prints_vietnamese_names_exactly() {
    let dc02 = form("DC02");
    let nfd_name = "Nguye\u{302}\u{303}n Thi\u{323} Ho\u{302}\u{300}ng Nhung";
    let mut answers = text(&[
        ("recipient", "Công an phường Tân Lập"),
        ("full_name", nfd_name),
        ("birth_date", "15/03/2003"),
        ("sex", "female"),
        ("id_number", "079303012345"),
        ("address", "Buôn Ko Tam, phường Tân Lập, tỉnh Đắk Lắk"),
        ("has_representative", "yes"),
        ("rep_full_name", "H'Đào Niê"),
        ("rep_birth_date", "02/09/1980"),
        ("rep_sex", "female"),
        ("rep_id_number", "066180000123"),
        (
            "details",
            "Cấp lại thẻ căn cước do bị mất ở chợ Buôn Ma Thuột.",
        ),
    ]);
    answers.insert("requests".into(), Value::Many(vec!["card".into()]));
    let bytes = render_form(&dc02, &answers, &fonts()).expect("pdf");
    let (printed, pages) = check_with_tools("DC02", &bytes);
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "PHIẾU ĐỀ NGHỊ GIẢI QUYẾT THỦ TỤC VỀ CĂN CƯỚC",
        "Mẫu DC02",
        "Nguyễn Thị Hồng Nhung",
        "H'Đào Niê",
        "15/03/2003",
        "Buôn Ko Tam, phường Tân Lập, tỉnh Đắk Lắk",
        "Cấp, cấp đổi, cấp lại thẻ căn cước",
        "NGƯỜI ĐỀ NGHỊ",
        // The official layout (Thông tư 17/2024/TT-BCA): three sections and the consent block.
        // The addressee line (forms.json "print_as": "addressee"), unnumbered, above the rest.
        "Kính gửi: Công an phường Tân Lập",
        "I. THÔNG TIN NGƯỜI ĐỀ NGHỊ",
        "II. THÔNG TIN NGƯỜI ĐẠI DIỆN THỰC HIỆN THỦ TỤC (nếu có)",
        "III. NỘI DUNG ĐỀ NGHỊ",
        "Ý KIẾN CỦA CHỦ THỂ THÔNG TIN",
        "Thông tư 17/2024/TT-BCA",
    ] {
        assert!(
            printed.contains(expected),
            "pdftotext lacks “{expected}”:\n{printed}"
        );
    }
    // The sections come in order, the applicant's name under I, the representative's under II.
    let at = |text: &str| printed.find(text).unwrap_or_else(|| panic!("{text}"));
    assert!(at("I. THÔNG TIN NGƯỜI ĐỀ NGHỊ") < at("Nguyễn Thị Hồng Nhung"));
    assert!(at("Nguyễn Thị Hồng Nhung") < at("II. THÔNG TIN NGƯỜI ĐẠI DIỆN"));
    assert!(at("II. THÔNG TIN NGƯỜI ĐẠI DIỆN") < at("H'Đào Niê"));
    assert!(at("H'Đào Niê") < at("III. NỘI DUNG ĐỀ NGHỊ"));
    assert!(
        !printed.contains(". Kính gửi"),
        "the addressee line has no number"
    );
    assert!(
        printed.contains("1. Họ, chữ đệm và tên: Nguyễn Thị Hồng Nhung"),
        "{printed}"
    );
    // The wizard's yes/no question is not a line of the paper form.
    assert!(
        !printed.contains("Có người đại diện"),
        "no extra line on the official layout:\n{printed}"
    );
    assert!(
        !printed.contains(nfd_name),
        "the decomposed form must not reach the PDF"
    );
    assert_eq!(pages, 1);
    assert!(bytes.len() <= 80 * 1024, "DC02 is {} bytes", bytes.len());
}

#[test]
fn long_answers_continue_on_an_added_page() {
    let report = form("CRIME-REPORT");
    let facts = "Khoảng 21 giờ ngày 20/11/2026, tại chợ đêm phường Tân Lập, tôi bị một người lạ giật túi xách. ".repeat(40);
    let answers = text(&[
        ("recipient", "Công an phường Tân Lập"),
        ("full_name", "Trần Văn Ánh"),
        ("facts", &facts),
        ("request", "Đề nghị công an điều tra, xử lý."),
    ]);
    let bytes = render_form(&report, &answers, &fonts()).expect("pdf");
    let (printed, pages) = check_with_tools("CRIME-REPORT", &bytes);
    assert!(
        pages >= 2,
        "a long account continues on another page ({pages})"
    );
    // Every one of the 40 sentences made it onto paper (line breaks may fall inside one).
    let flowing = printed.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(
        flowing.matches("giật túi xách").count(),
        40,
        "no text may be cut"
    );
    assert!(printed.contains("Tôi xin cam đoan"));
    assert!(printed.contains("NGƯỜI TỐ GIÁC"));
    assert!(bytes.len() <= 80 * 1024, "{} bytes", bytes.len());
}

#[test]
fn ct01_prints_the_household_table_and_every_signature_block() {
    let ct01 = form("CT01");
    let mut answers = text(&[
        ("recipient", "Công an phường Tân Lập"),
        ("full_name", "Y Bhim Niê"),
        ("birth_date", "01/01/1975"),
        ("sex", "male"),
        ("id_number", "066075000001"),
        (
            "request",
            "Đăng ký thường trú vào hộ gia đình tại buôn Ko Tam.",
        ),
    ]);
    let row = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<BTreeMap<_, _>>()
    };
    answers.insert(
        "members".into(),
        Value::Rows(vec![row(&[
            ("full_name", "H'Đào Niê"),
            ("birth_date", "02/09/2010"),
            ("sex", "female"),
            ("id_number", "066310000123"),
            ("relationship", "Con"),
        ])]),
    );
    let bytes = render_form(&ct01, &answers, &fonts()).expect("pdf");
    let (printed, _) = check_with_tools("CT01", &bytes);
    for expected in [
        "TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ",
        "Y Bhim Niê",
        "H'Đào Niê",
        "02/09/2010",
        "Con",
        "Ý KIẾN CỦA CHỦ HỘ",
        "Ý KIẾN CỦA CHỦ SỞ HỮU CHỖ Ở HỢP PHÁP",
        "NGƯỜI KÊ KHAI",
        // The form as re-issued by Thông tư 116/2026/TT-BCA.
        "1. Họ, chữ đệm và tên khai sinh: Y Bhim Niê",
        "(Ban hành kèm theo Thông tư 116/2026/TT-BCA)",
    ] {
        assert!(
            printed.contains(expected),
            "pdftotext lacks “{expected}”:\n{printed}"
        );
    }
    assert!(bytes.len() <= 80 * 1024, "{} bytes", bytes.len());
}

// The QR printed on the page, read back from the rendered page by a real decoder (zbarimg),
// loads the same answers as the hand-off code.
#[test]
fn the_printed_qr_loads_the_answers_back() {
    let lost = form("LOST-PAPERS");
    let answers = text(&[
        ("full_name", "Nguyễn Thị Hồng Nhung"),
        ("paper_type", "Giấy phép lái xe"),
        (
            "circumstances",
            "Đánh rơi ví ở chợ Buôn Ma Thuột, sáng 20/11/2026.",
        ),
    ]);
    let bytes = render_form(&lost, &answers, &fonts()).expect("pdf");
    let (printed, _) = check_with_tools("LOST-PAPERS", &bytes);
    assert!(printed.contains("Mã QR chứa nội dung đã khai"));

    let code = read_printed_qr("LOST-PAPERS", 1, 200);
    let forms =
        civic_kiosk::domain::data_file::parse_data_file::<civic_kiosk::domain::forms::FormCatalog>(
            civic_kiosk::domain::forms::FORMS_FILE,
            &std::fs::read_to_string(
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("public/data/forms.json"),
            )
            .expect("forms file"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        civic_kiosk::domain::handoff::decode(&forms, &code),
        Ok(("LOST-PAPERS".to_owned(), answers))
    );
}

/// The QR code on `page` of `target/pdf-samples/{name}.pdf`, read by a real decoder (zbarimg)
/// from the page rendered at `dpi`, as a phone reads the paper.
fn read_printed_qr(name: &str, page: usize, dpi: u32) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pdf-samples");
    let image = dir.join(format!("{name}-page"));
    let raster = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-png", "-singlefile"])
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .arg(dir.join(format!("{name}.pdf")))
        .arg(&image)
        .status()
        .expect("pdftoppm is installed (scripts/setup test)");
    assert!(raster.success());
    let scan = Command::new("zbarimg")
        .args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"])
        .arg(image.with_extension("png"))
        .output()
        .expect("zbarimg is installed (scripts/setup test)");
    assert!(scan.status.success(), "no QR code found on {name}'s page");
    String::from_utf8(scan.stdout)
        .expect("utf-8")
        .trim_end()
        .to_owned()
}

// The largest PDF the forms make: DC02 with every field long, which carries the longest code
// (169 modules a side). Under 80 KB, valid, and its code still reads back whole from paper.
#[test]
fn dc02_with_every_field_long_stays_small_and_its_code_reads_back() {
    let dc02 = form("DC02");
    let long = "Nguyễn Thị Hồng Nhung, buôn Ko Tam, phường Tân Lập, tỉnh Đắk Lắk. ".repeat(3);
    let answers: FormAnswers = dc02
        .steps
        .iter()
        .flat_map(|step| &step.fields)
        .map(|field| (field.id.clone(), Value::Text(long.clone())))
        .collect();
    let bytes = render_form(&dc02, &answers, &fonts()).expect("pdf");
    assert!(bytes.len() <= 80 * 1024, "DC02 is {} bytes", bytes.len());
    let (_, pages) = check_with_tools("DC02-long", &bytes);
    assert!(pages >= 2);
    let printed_code = read_printed_qr("DC02-long", pages, 300);
    assert_eq!(printed_code, civic_kiosk::pdf::qr_payload(&dc02, &answers));
}

// A warning's poster (#28): the Vietnamese typed comes back out exactly, with the station's
// channels, the reminder and its number, one A4 page, and its QR code opens the warning's page.
#[test]
fn a_warning_poster_prints_the_warning_the_channels_and_a_working_code() {
    use civic_kiosk::domain::news::{News, NewsKind, NEWS_FILE};
    use civic_kiosk::domain::poster::poster;
    use civic_kiosk::domain::station::{Station, STATION_FILE};
    use civic_kiosk::pdf::{render_poster, POSTER_REMINDER};

    let read = |file: &str| {
        std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("public")
                .join(file),
        )
        .expect("data file")
    };
    let station: Station =
        parse_data_file(STATION_FILE, &read(STATION_FILE)).unwrap_or_else(|e| panic!("{e}"));
    let news: News = parse_data_file(NEWS_FILE, &read(NEWS_FILE)).unwrap_or_else(|e| panic!("{e}"));
    let mut item = news.items[0].clone();
    item.kind = NewsKind::Warning;
    // Typed decomposed, as some phones' keyboards send it.
    item.title.vi =
        "Gia\u{309} danh co\u{302}ng an go\u{323}i đie\u{323}\u{302}n đòi “xác thực định danh”"
            .to_owned();
    item.body.vi =
        "Kẻ gian xưng là cán bộ Công an phường, yêu cầu cài ứng dụng lạ để “cập nhật VNeID”."
            .to_owned();
    item.advice = Some(civic_kiosk::domain::text::Localized {
        vi: "Cúp máy, không bấm đường link, báo ngay cho Công an phường.".to_owned(),
        en: "Hang up.".to_owned(),
    });
    item.since = Some("2026-11-20".to_owned());
    let sheet = poster(&station, &item, "https://tanlap.example.vn");
    let bytes = render_poster(&sheet, &fonts()).expect("pdf");
    let (printed, pages) = check_with_tools("poster", &bytes);
    // pdftotext breaks lines where the poster wraps them: compare the words.
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let printed_words = words(&printed);
    for expected in [
        "CẢNH BÁO LỪA ĐẢO",
        "Giả danh công an gọi điện đòi “xác thực định danh”",
        "Kẻ gian xưng là cán bộ Công an phường, yêu cầu cài ứng dụng lạ để “cập nhật VNeID”.",
        "Việc cần làm",
        "Cúp máy, không bấm đường link, báo ngay cho Công an phường.",
        "Ghi nhận từ ngày 20/11/2026",
        POSTER_REMINDER,
        &station.phone,
        &format!("Kênh chính thức của {}", station.name.vi),
        "CÔNG AN PHƯỜNG TÂN LẬP",
        "Quét mã để đọc cảnh báo này trên điện thoại",
    ] {
        assert!(
            printed_words.contains(&words(expected)),
            "missing {expected:?} in:\n{printed}"
        );
    }
    for channel in &station.channels {
        assert!(
            printed_words.contains(&words(&channel.address)),
            "channel {} missing",
            channel.address
        );
    }
    assert_eq!(pages, 1, "a poster is one A4 sheet");
    assert_eq!(
        read_printed_qr("poster", 1, 200),
        format!("https://tanlap.example.vn/news#{}", item.anchor())
    );

    // A news item's poster is a notice, and its code's caption says so.
    item.kind = NewsKind::Notice;
    let bytes = render_poster(
        &poster(&station, &item, "https://tanlap.example.vn"),
        &fonts(),
    )
    .expect("pdf");
    let printed = words(&check_with_tools("notice-poster", &bytes).0);
    assert!(printed.contains("THÔNG BÁO"), "{printed}");
    assert!(!printed.contains("CẢNH BÁO"), "{printed}");
    assert!(
        printed.contains("Quét mã để đọc thông báo này trên điện thoại"),
        "{printed}"
    );
}
