//! The questions this device keeps (#29): each one's reply code and secret, in local storage,
//! only when the asker chose to keep it and never on a kiosk. Storage the browser refuses keeps
//! nothing, and the page says the code must be written down.

use crate::domain::json;
use crate::domain::questions::KeptQuestion;

const KEY: &str = "civic-kiosk.questions";

/// The questions kept on this device, newest first.
pub fn kept() -> Vec<KeptQuestion> {
    super::storage::local()
        .and_then(|storage| storage.get_item(KEY).ok().flatten())
        .and_then(|text| json::from_str(&text).ok())
        .unwrap_or_default()
}

fn write(all: &[KeptQuestion]) -> bool {
    let Some(storage) = super::storage::local() else {
        return false;
    };
    match json::to_string(all) {
        Some(text) if !all.is_empty() => storage.set_item(KEY, &text).is_ok(),
        _ => storage.remove_item(KEY).is_ok(),
    }
}

/// Keeps a question's code and secret; whether the browser stored them.
pub fn keep(question: KeptQuestion) -> bool {
    let mut all = kept();
    all.retain(|q| q.code != question.code);
    all.insert(0, question);
    write(&all)
}

/// Forgets a question on this device (the station keeps it until its erasure).
pub fn forget(code: &str) {
    let mut all = kept();
    all.retain(|q| q.code != code);
    write(&all);
}
