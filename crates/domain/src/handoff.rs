//! The hand-off code: a filled form carried from a citizen's phone to the counter without a
//! server, as a QR code or as text to paste (a USB scanner types it too). The same code is
//! printed as the QR on every PDF.
//!
//! Format, version 1: `CK1:` then Base45 (RFC 9285, the QR alphanumeric alphabet, so QR codes
//! stay dense and a keyboard-wedge scanner types only ASCII) of
//! `form id 0x1E fingerprint 0x1E value 0x1E value … 0x1E` followed by the CRC-32 of those bytes.
//! Values come in the form's field order: text as UTF-8, several choices joined by 0x1D, table
//! rows joined by 0x1C with their cells (in column order) joined by 0x1D. The fingerprint, a
//! CRC-32 of the field and column ids, tells a code made for another edition of the form.

use std::collections::BTreeMap;

use super::forms::{FieldKind, FormAnswers, FormCatalog, FormDef, Value};

pub const PREFIX: &str = "CK1:";
const RECORD: char = '\u{1E}';
const ROW: char = '\u{1C}';
const ITEM: char = '\u{1D}';
const BASE45: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Why a code cannot be loaded. Each says what to do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HandoffError {
    #[error("not a form code")]
    NotACode,
    #[error("made by a newer version of the app")]
    NewerVersion,
    #[error("damaged or incomplete")]
    Damaged,
    #[error("a form this app does not have")]
    UnknownForm,
    #[error("made for another edition of the form")]
    FormChanged,
}

/// CRC-32 (IEEE), bit by bit: a few hundred bytes per code, so no table is needed.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

fn base45_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3 / 2 + 2);
    for pair in bytes.chunks(2) {
        let (mut n, digits) = match pair {
            [a, b] => (u32::from(*a) * 256 + u32::from(*b), 3),
            [a] => (u32::from(*a), 2),
            _ => continue,
        };
        for _ in 0..digits {
            out.push(BASE45[(n % 45) as usize] as char);
            n /= 45;
        }
    }
    out
}

fn base45_decode(text: &str) -> Option<Vec<u8>> {
    let values: Vec<u32> = text
        .bytes()
        .map(|c| BASE45.iter().position(|&b| b == c).map(|p| p as u32))
        .collect::<Option<_>>()?;
    let mut out = Vec::with_capacity(values.len() * 2 / 3 + 1);
    for group in values.chunks(3) {
        match *group {
            [c, d, e] => {
                let n = c + d * 45 + e * 45 * 45;
                if n > 0xFFFF {
                    return None;
                }
                out.push((n >> 8) as u8);
                out.push((n & 0xFF) as u8);
            }
            [c, d] => {
                let n = c + d * 45;
                if n > 0xFF {
                    return None;
                }
                out.push(n as u8);
            }
            _ => return None,
        }
    }
    Some(out)
}

/// The ids a code's values are laid out by, so a code from another edition is recognised.
fn fingerprint(form: &FormDef) -> String {
    let mut ids = String::new();
    for field in form.steps.iter().flat_map(|s| &s.fields) {
        ids.push_str(&field.id);
        ids.push(RECORD);
        for column in &field.columns {
            ids.push_str(&column.id);
            ids.push(ITEM);
        }
    }
    format!("{:08x}", crc32(ids.as_bytes()))
}

/// Separators never appear inside values: typed text has no control characters, and any that
/// slipped in are dropped rather than break the layout.
fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(*c, RECORD | ROW | ITEM))
        .collect()
}

/// The code for `form` filled with `answers`.
pub fn encode(form: &FormDef, answers: &FormAnswers) -> String {
    let mut body = String::new();
    body.push_str(&form.id);
    body.push(RECORD);
    body.push_str(&fingerprint(form));
    body.push(RECORD);
    for field in form.steps.iter().flat_map(|s| &s.fields) {
        // An answer to a question the citizen's other answers hid is not printed, so it is not
        // carried either: the code holds what the printed form shows, nothing more.
        let shown = form.is_shown(field, answers);
        match answers.get(&field.id).filter(|_| shown) {
            Some(Value::Text(text)) => body.push_str(&clean(text)),
            Some(Value::Many(items)) => {
                let items: Vec<String> = items.iter().map(|i| clean(i)).collect();
                body.push_str(&items.join(&ITEM.to_string()));
            }
            Some(Value::Rows(rows)) => {
                let rows: Vec<String> = rows
                    .iter()
                    .map(|row| {
                        let cells: Vec<String> = field
                            .columns
                            .iter()
                            .map(|c| clean(row.get(&c.id).map(String::as_str).unwrap_or("")))
                            .collect();
                        cells.join(&ITEM.to_string())
                    })
                    .collect();
                body.push_str(&rows.join(&ROW.to_string()));
            }
            None => {}
        }
        body.push(RECORD);
    }
    let mut bytes = body.into_bytes();
    let check = crc32(&bytes);
    bytes.extend_from_slice(&check.to_be_bytes());
    format!("{PREFIX}{}", base45_encode(&bytes))
}

/// The codes of every form in `all` (form id → answers) that `forms` has, e.g. to keep the forms
/// being filled across a reload or as drafts.
pub fn encode_all(forms: &FormCatalog, all: &BTreeMap<String, FormAnswers>) -> Vec<String> {
    all.iter()
        .filter_map(|(id, answers)| {
            let form = forms.forms.iter().find(|f| &f.id == id)?;
            Some(encode(form, answers))
        })
        .collect()
}

/// Reads a code back into the form's id and its answers. Whatever the input, this returns an
/// error rather than panicking.
pub fn decode(forms: &FormCatalog, code: &str) -> Result<(String, FormAnswers), HandoffError> {
    // Scanners and copies add spaces or line breaks at the ends; letters may come lower-case.
    let code = code.trim().to_ascii_uppercase();
    let Some(payload) = code.strip_prefix(PREFIX) else {
        let newer = code.len() > 4
            && code.starts_with("CK")
            && code[2..]
                .split(':')
                .next()
                .is_some_and(|v| v.parse::<u32>().is_ok_and(|n| n > 1));
        return Err(if newer {
            HandoffError::NewerVersion
        } else {
            HandoffError::NotACode
        });
    };
    let bytes = base45_decode(payload).ok_or(HandoffError::Damaged)?;
    if bytes.len() < 4 {
        return Err(HandoffError::Damaged);
    }
    let (body, check) = bytes.split_at(bytes.len() - 4);
    if crc32(body).to_be_bytes() != check {
        return Err(HandoffError::Damaged);
    }
    let body = std::str::from_utf8(body).map_err(|_| HandoffError::Damaged)?;
    let mut records = body.split(RECORD);
    let form_id = records.next().ok_or(HandoffError::Damaged)?;
    let form = forms
        .forms
        .iter()
        .find(|f| f.id == form_id)
        .ok_or(HandoffError::UnknownForm)?;
    if records.next() != Some(fingerprint(form).as_str()) {
        return Err(HandoffError::FormChanged);
    }
    let values: Vec<&str> = records.collect();
    let fields: Vec<_> = form.steps.iter().flat_map(|s| &s.fields).collect();
    // One value per field, then the empty piece after the last separator.
    if values.len() != fields.len() + 1 || values.last() != Some(&"") {
        return Err(HandoffError::FormChanged);
    }
    let mut answers = FormAnswers::new();
    for (field, value) in fields.into_iter().zip(values) {
        if value.is_empty() {
            continue;
        }
        let answer = match field.kind {
            FieldKind::Multi => Value::Many(value.split(ITEM).map(str::to_owned).collect()),
            FieldKind::Rows => Value::Rows(
                value
                    .split(ROW)
                    .map(|row| {
                        field
                            .columns
                            .iter()
                            .zip(row.split(ITEM))
                            .filter(|(_, cell)| !cell.is_empty())
                            .map(|(c, cell)| (c.id.clone(), cell.to_owned()))
                            .collect::<BTreeMap<_, _>>()
                    })
                    .collect(),
            ),
            _ => Value::Text(value.to_owned()),
        };
        answers.insert(field.id.clone(), answer);
    }
    Ok((form.id.clone(), answers))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::forms::shipped_forms as shipped;

    fn ct01_answers() -> FormAnswers {
        let mut answers = FormAnswers::new();
        let text = |s: &str| Value::Text(s.to_owned());
        answers.insert("recipient".into(), text("Công an phường Tân Lập"));
        answers.insert("full_name".into(), text("H'Đào Niê"));
        answers.insert("birth_date".into(), text("15/03/2003"));
        answers.insert("sex".into(), text("female"));
        answers.insert("id_number".into(), text("079303012345"));
        answers.insert(
            "request".into(),
            text("Đăng ký thường trú\ncho con: “Bé Na”."),
        );
        let row = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<BTreeMap<_, _>>()
        };
        answers.insert(
            "members".into(),
            Value::Rows(vec![
                row(&[
                    ("full_name", "Nguyễn Thị Hồng Nhung"),
                    ("birth_date", "01/06/2020"),
                    ("sex", "female"),
                ]),
                row(&[("full_name", "Y Sơn Niê"), ("relationship", "con")]),
            ]),
        );
        answers
    }

    #[test]
    fn base45_matches_the_rfc_examples() {
        assert_eq!(base45_encode(b"AB"), "BB8");
        assert_eq!(base45_encode(b"Hello!!"), "%69 VD92EX0");
        assert_eq!(base45_encode(b"base-45"), "UJCLQE7W581");
        assert_eq!(base45_decode("QED8WEX0").as_deref(), Some(&b"ietf!"[..]));
        assert_eq!(base45_decode("GGW"), None); // 65535 + 1
    }

    #[test]
    fn a_code_carries_every_answer_there_and_back() {
        let forms = shipped();
        let ct01 = forms.forms.iter().find(|f| f.id == "CT01").expect("CT01");
        let answers = ct01_answers();
        let code = encode(ct01, &answers);
        assert!(code.starts_with("CK1:"));
        assert!(code
            .bytes()
            .all(|b| BASE45.contains(&b) || b"CK1:".contains(&b)));
        assert_eq!(
            decode(&forms, &code),
            Ok(("CT01".to_owned(), answers.clone()))
        );
        // Lower case and stray spaces from a scanner or a copy are forgiven.
        let sloppy = format!("  {}\n", code.to_ascii_lowercase());
        assert_eq!(decode(&forms, &sloppy), Ok(("CT01".to_owned(), answers)));
    }

    #[test]
    fn a_code_leaves_out_answers_to_questions_that_are_hidden() {
        let forms = shipped();
        let dc02 = forms.forms.iter().find(|f| f.id == "DC02").expect("DC02");
        let text = |s: &str| Value::Text(s.to_owned());
        let mut answers = FormAnswers::new();
        answers.insert("full_name".into(), text("Lê Văn Chính"));
        // Typed while a representative was said to come, then "no" was chosen.
        answers.insert("rep_full_name".into(), text("Người Đại Diện Bí Mật"));
        answers.insert("has_representative".into(), text("no"));
        let code = encode(dc02, &answers);
        let (_, carried) = decode(&forms, &code).expect("decodes");
        assert_eq!(carried.get("full_name"), Some(&text("Lê Văn Chính")));
        assert_eq!(carried.get("rep_full_name"), None, "hidden, so not carried");
        // Shown again, it is carried.
        answers.insert("has_representative".into(), text("yes"));
        let (_, carried) = decode(&forms, &encode(dc02, &answers)).expect("decodes");
        assert_eq!(
            carried.get("rep_full_name"),
            Some(&text("Người Đại Diện Bí Mật"))
        );
    }

    #[test]
    fn damaged_foreign_and_future_codes_are_told_apart() {
        let forms = shipped();
        let ct01 = forms.forms.iter().find(|f| f.id == "CT01").expect("CT01");
        let code = encode(ct01, &ct01_answers());
        assert_eq!(
            decode(&forms, "https://example.com"),
            Err(HandoffError::NotACode)
        );
        assert_eq!(decode(&forms, "CK2:ABC"), Err(HandoffError::NewerVersion));
        assert_eq!(
            decode(&forms, &code[..code.len() - 3]),
            Err(HandoffError::Damaged)
        );
        // One character changed anywhere is caught by the check.
        let mut changed = code.clone().into_bytes();
        let at = changed.len() / 2;
        changed[at] = if changed[at] == b'A' { b'B' } else { b'A' };
        let changed = String::from_utf8(changed).expect("ascii");
        assert_eq!(decode(&forms, &changed), Err(HandoffError::Damaged));
        // A code for a form this catalogue does not have, or for another edition of it.
        let mut other = forms.clone();
        other.forms.retain(|f| f.id != "CT01");
        assert_eq!(decode(&other, &code), Err(HandoffError::UnknownForm));
        let mut edited = forms.clone();
        if let Some(form) = edited.forms.iter_mut().find(|f| f.id == "CT01") {
            form.steps[1].fields.swap(0, 1);
        }
        assert_eq!(decode(&edited, &code), Err(HandoffError::FormChanged));
    }

    /// A small deterministic generator, so the fuzzing below is repeatable without a crate.
    struct XorShift(u64);
    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    // Property: decoding never panics, whatever it is given — random bytes, random Base45 behind
    // the prefix, and valid codes with characters changed, dropped or added. Anything accepted
    // must be a code this module could have made (it re-encodes to an equivalent code).
    #[test]
    fn decoding_arbitrary_input_never_panics() {
        let forms = shipped();
        let valid: Vec<String> = forms
            .forms
            .iter()
            .map(|f| encode(f, &ct01_answers()))
            .collect();
        let mut random = XorShift(0x9E37_79B9_7F4A_7C15);
        for round in 0..30_000 {
            let input: String = match round % 3 {
                0 => {
                    let len = (random.next() % 64) as usize;
                    let bytes: Vec<u8> = (0..len).map(|_| random.next() as u8).collect();
                    String::from_utf8_lossy(&bytes).into_owned()
                }
                1 => {
                    let len = (random.next() % 200) as usize;
                    let body: String = (0..len)
                        .map(|_| BASE45[(random.next() % 45) as usize] as char)
                        .collect();
                    format!("{PREFIX}{body}")
                }
                _ => {
                    let mut code = valid[(random.next() as usize) % valid.len()]
                        .clone()
                        .into_bytes();
                    let at = (random.next() as usize) % code.len();
                    match random.next() % 3 {
                        0 => code[at] = BASE45[(random.next() % 45) as usize],
                        1 => {
                            code.remove(at);
                        }
                        _ => code.insert(at, BASE45[(random.next() % 45) as usize]),
                    }
                    String::from_utf8_lossy(&code).into_owned()
                }
            };
            if let Ok((id, answers)) = decode(&forms, &input) {
                let form = forms
                    .forms
                    .iter()
                    .find(|f| f.id == id)
                    .expect("decoded form exists");
                assert_eq!(decode(&forms, &encode(form, &answers)), Ok((id, answers)));
            }
        }
    }
}
