//! What the form pages do on the device beyond drawing: forms carried across an update's reload,
//! and drafts kept with the citizen's consent. Started by the bundles that have the form pages
//! (`FormsParts::start_on_device`), so the citizens' bundle carries none of it.

use leptos::prelude::*;

use crate::platform;
use crate::ui::AppContext;

/// Once, when the app starts on a device (a kiosk keeps no drafts).
pub fn start(app: AppContext) {
    restore_after_update(app);
    if app.kiosk.is_none() {
        keep_drafts_with_consent(app);
    }
}

/// The forms being filled, as hand-off codes (for an update's reload).
pub fn open_codes(app: AppContext) -> Vec<String> {
    match app.forms().get_untracked() {
        Some(Ok(catalog)) => app
            .form_answers
            .with_untracked(|all| crate::domain::handoff::encode_all(&catalog, all)),
        _ => Vec::new(),
    }
}

/// After an update's reload, the forms being filled come back from their stashed codes (applied
/// by the form pages, before they draw, once the forms file is loaded).
fn restore_after_update(app: AppContext) {
    let codes = platform::service_worker::take_update_stash();
    if !codes.is_empty() {
        app.pending_codes.set_value(codes);
    }
}

/// Phone mode: drafts stored by an earlier visit (the citizen agreed then) come back; while the
/// citizen agrees, every change is stored; when they withdraw, the stored drafts are deleted.
fn keep_drafts_with_consent(app: AppContext) {
    use crate::domain::drafts::DraftsFound;
    let today = platform::clock::office_today();
    match platform::drafts_store::load(today) {
        DraftsFound::Kept { codes, .. } => {
            app.keep_drafts.set(true);
            app.pending_codes
                .update_value(|pending| pending.extend(codes));
        }
        // A newer version's drafts: nothing here may save over them or delete them.
        DraftsFound::Newer => return app.drafts_newer.set(true),
        _ => {}
    }
    Effect::new(move |agreed_before: Option<bool>| {
        let agreed = app.keep_drafts.get();
        if !agreed {
            // Delete only on withdrawal: at start there may be drafts a newer version wrote.
            if agreed_before == Some(true) {
                platform::drafts_store::delete();
            }
            return false;
        }
        let Some(Ok(catalog)) = app.forms().get() else {
            return true;
        };
        // Drafts not yet loaded must not be overwritten by an empty list.
        app.restore_pending_forms(&catalog);
        let codes = app
            .form_answers
            .with(|all| crate::domain::handoff::encode_all(&catalog, all));
        platform::drafts_store::save(&codes, today);
        true
    });
}
