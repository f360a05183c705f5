//! What the page and the PDF module say to each other (platform::pdf ⇄ src/bin/pdf-worker.rs):
//! one request type and one set of failure codes, so the two sides cannot drift apart.

use serde::{Deserialize, Serialize};

use super::forms::FormAnswers;
use super::poster::Poster;

/// What to make: a form or a warning's poster. Externally tagged (`{"form": {…}}`), so the
/// module reads the forms file as it streams by rather than from a buffered copy.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PdfJob<Forms> {
    Form(FormJob<Forms>),
    Poster(Poster),
}

/// Make the PDF of form `form` in the forms file `forms`, filled with `answers`. The page sends
/// the forms file as the JSON text it fetched (`forms` is a raw JSON value there), so it needs no
/// code to write form definitions; the module reads it as a `FormCatalog`.
#[derive(Debug, Serialize, Deserialize)]
pub struct FormJob<Forms> {
    pub forms: Forms,
    pub form: String,
    pub answers: FormAnswers,
}

/// Why the module made no PDF. It answers with the PDF's bytes, or with one of these codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PdfJobFailure {
    /// The request could not be read, or names no form in the file.
    BadRequest,
    /// The embedded font could not be read.
    BadFont,
}

impl PdfJobFailure {
    pub fn code(self) -> &'static str {
        match self {
            PdfJobFailure::BadRequest => "bad-request",
            PdfJobFailure::BadFont => "bad-font",
        }
    }

    /// The failure a code names; an unknown code is a request the module could not serve.
    pub fn from_code(code: &str) -> PdfJobFailure {
        match code {
            "bad-font" => PdfJobFailure::BadFont,
            _ => PdfJobFailure::BadRequest,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::{FormCatalog, Value};

    #[test]
    fn the_pages_request_reads_back_in_the_module() {
        let forms_text = include_str!("../../../public/data/forms.json");
        let mut answers = FormAnswers::new();
        answers.insert("full_name".into(), Value::Text("H'Đào Niê".into()));
        let raw = match serde_json::value::RawValue::from_string(forms_text.to_owned()) {
            Ok(raw) => raw,
            Err(e) => panic!("{e}"),
        };
        let sent = PdfJob::Form(FormJob {
            forms: raw,
            form: "DC02".to_owned(),
            answers: answers.clone(),
        });
        let text = serde_json::to_string(&sent).expect("serializes");
        let PdfJob::Form(read) = serde_json::from_str::<PdfJob<FormCatalog>>(&text).expect("reads")
        else {
            panic!("a form job read back as a poster");
        };
        assert_eq!(read.form, "DC02");
        assert_eq!(read.answers, answers);
        assert!(read.forms.forms.iter().any(|f| f.id == "DC02"));
        let poster = crate::poster::Poster {
            warning: true,
            agency: "Công an tỉnh Đắk Lắk".into(),
            station: "Công an phường Tân Lập".into(),
            title: "Giả danh công an".into(),
            since: None,
            published: "01/12/2026".into(),
            body: "Kẻ gian gọi điện.".into(),
            advice: Some("Cúp máy.".into()),
            channels: Vec::new(),
            phone: "113".into(),
            link: "https://tanlap.example.vn/news#n20261201".into(),
        };
        let text = serde_json::to_string(&PdfJob::<()>::Poster(poster.clone())).expect("writes");
        assert!(text.starts_with(r#"{"poster":"#), "{text}");
        let read: PdfJob<FormCatalog> = serde_json::from_str(&text).expect("reads");
        assert!(matches!(read, PdfJob::Poster(read) if read == poster));
        for failure in [PdfJobFailure::BadRequest, PdfJobFailure::BadFont] {
            assert_eq!(PdfJobFailure::from_code(failure.code()), failure);
        }
        assert_eq!(
            PdfJobFailure::from_code("no-such-code"),
            PdfJobFailure::BadRequest
        );
    }
}
