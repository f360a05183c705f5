//! Message catalogs. Every user-visible string of the interface lives here, once per language.
//! `Messages` is a struct rather than a key→string map so that a string missing in one language
//! is a compile error, not a blank on the screen. Content (procedures, station facts) is not
//! here: it comes bilingual from public/data.

mod en;
mod forms;
mod problems;
pub use problems::{FileWords, LabelledWords, StaticWords, Words};
mod content;
mod desk;
mod questions;
mod queue;
mod vi;

use crate::domain::station::Weekday;
pub use crate::domain::text::Lang;
pub use content::{content_messages, ContentMessages};
pub use desk::{desk_messages, DeskMessages};
pub use forms::{form_messages, FormMessages};
pub use questions::{question_messages, QuestionMessages};
pub use queue::{queue_messages, QueueMessages};

pub struct Messages {
    pub lang_name: &'static str,
    pub language_group_label: &'static str,
    pub skip_to_content: &'static str,
    pub main_nav_label: &'static str,
    pub nav_home: &'static str,
    pub nav_services: &'static str,
    pub nav_news: &'static str,
    pub nav_contact: &'static str,
    pub loading: &'static str,
    pub app_title_fallback: &'static str,

    pub home_title: &'static str,
    pub home_intro: &'static str,
    pub home_services_title: &'static str,
    pub home_services_body: &'static str,
    pub home_news_title: &'static str,
    pub home_news_body: &'static str,
    pub home_contact_title: &'static str,
    pub home_contact_body: &'static str,
    pub privacy_note: &'static str,

    pub services_title: &'static str,
    pub services_intro: &'static str,

    pub news_title: &'static str,
    pub news_intro: &'static str,
    pub news_empty: &'static str,
    pub news_published: &'static str,
    pub news_warning: &'static str,
    pub news_notice: &'static str,
    pub news_source: &'static str,

    pub contact_title: &'static str,
    pub contact_address: &'static str,
    pub contact_phone: &'static str,
    pub contact_email: &'static str,
    pub contact_hours: &'static str,
    pub contact_closed: &'static str,
    pub contact_time_zone: &'static str,
    pub contact_channels: &'static str,
    pub contact_channels_warning: &'static str,
    pub contact_parent_agency: &'static str,
    pub channel_website: &'static str,
    pub channel_hotline: &'static str,
    pub news_pinned: &'static str,
    pub news_since: &'static str,
    pub news_advice: &'static str,
    pub checker_title: &'static str,
    pub checker_label: &'static str,
    pub checker_hint: &'static str,
    pub checker_button: &'static str,
    pub checker_empty: &'static str,
    pub checker_ours: &'static str,
    pub checker_ours_next: &'static str,
    pub checker_emergency: &'static str,
    pub checker_not_ours: &'static str,
    pub checker_not_ours_why: &'static str,
    pub checker_resembles: &'static str,
    pub checker_next: &'static str,
    pub checker_warnings_link: &'static str,

    pub emergency_title: &'static str,
    pub emergency_body: &'static str,
    pub emergency_call: &'static str,

    pub sample_data_notice: &'static str,

    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub back_home: &'static str,

    pub data_error_title: &'static str,
    pub data_error_help: &'static str,
    pub retry: &'static str,

    /// The form pages' bundle could not be fetched (offline before any form was opened).
    pub forms_unavailable: &'static str,
    pub ask_unavailable: &'static str,
    /// Booking's page could not be fetched (the forms bundle, offline before its first use).
    pub book_unavailable: &'static str,

    pub offline_notice: &'static str,

    pub services_search_label: &'static str,
    pub services_search_hint: &'static str,
    pub services_results: fn(usize) -> String,
    pub services_topics_title: &'static str,
    pub services_not_here: &'static str,
    pub procedure_not_found: &'static str,
    pub back_to_services: &'static str,
    pub procedure_code: &'static str,
    pub procedure_referral_title: &'static str,
    pub procedure_questions_title: &'static str,
    pub procedure_answer_prompt: &'static str,
    pub procedure_your_list: &'static str,
    pub procedure_documents: &'static str,
    pub procedure_documents_hint: &'static str,
    pub procedure_forms: &'static str,
    pub procedure_fee: &'static str,
    pub procedure_processing: &'static str,
    pub procedure_where: &'static str,
    pub procedure_hours_link: &'static str,
    pub procedure_steps: &'static str,
    pub procedure_legal_basis: &'static str,
    pub procedure_checked: fn(&str) -> String,
    pub procedure_print: &'static str,
    pub procedure_print_hint: &'static str,
    pub procedure_answers_summary: &'static str,
    pub note_emergency: &'static str,
    pub note_warning: &'static str,
    pub note_info: &'static str,
    pub fee_free: &'static str,
    pub fee_in_person: &'static str,
    pub fee_online: &'static str,
    pub fee_varies: &'static str,
    pub fee_ask: &'static str,
    pub fee_reduced_until: fn(&str) -> String,
    pub fee_usual: &'static str,
    pub fee_maybe_reduced: fn(&str, &str) -> String,
    pub fee_free_until: fn(&str) -> String,
    /// A conditional or uncertain exemption: from, until.
    pub fee_exempt_between: fn(&str, &str) -> String,
    pub fee_not_certain: &'static str,
    pub fee_conditions: &'static str,
    /// Beside a citation of a text known only from reports.
    pub source_unconfirmed: &'static str,
    pub processing_working_days: fn(u32, Option<u32>) -> String,
    pub processing_hours: fn(u32) -> String,
    pub processing_half_day: &'static str,
    pub processing_immediate: &'static str,
    pub processing_ask: &'static str,
    pub nav_bookings: &'static str,
    pub procedure_book: &'static str,
    pub procedure_ask: &'static str,
    /// The station's published answers (#29): on a procedure's page and in search.
    pub answers_title: &'static str,
    pub answers_found: fn(usize) -> String,
    pub answers_basis: &'static str,
    pub answers_dates: fn(&str, &str) -> String,
    pub procedure_ask_link: &'static str,
    pub book_title: &'static str,
    pub book_intro: &'static str,
    pub book_step_procedure: &'static str,
    pub book_step_day: &'static str,
    pub book_step_time: &'static str,
    pub book_step_details: &'static str,
    pub book_no_procedure: &'static str,
    pub book_move_title: &'static str,
    pub book_move_intro: fn(&str) -> String,
    pub day_free: fn(u32) -> String,
    pub day_full: &'static str,
    pub day_closed: &'static str,
    pub day_no_reception: &'static str,
    pub time_none: &'static str,
    pub nearest_title: &'static str,
    pub field_name: &'static str,
    pub field_name_hint: &'static str,
    pub field_phone: &'static str,
    pub field_phone_hint: &'static str,
    pub field_keep: &'static str,
    pub field_keep_hint: &'static str,
    pub error_summary_title: &'static str,
    pub book_submit: &'static str,
    pub move_submit: &'static str,
    pub selected_slot: fn(&str) -> String,
    pub booking_done_title: &'static str,
    pub booking_slip_title: &'static str,
    pub booking_code_label: &'static str,
    pub booking_code_hint: &'static str,
    pub booking_qr_label: &'static str,
    pub booking_when: &'static str,
    pub booking_where: &'static str,
    pub booking_procedure: &'static str,
    pub booking_name: &'static str,
    pub booking_status: &'static str,
    pub booking_bring: &'static str,
    pub booking_bring_any: &'static str,
    pub booking_bring_link: &'static str,
    pub booking_ics: &'static str,
    pub booking_ics_failed: &'static str,
    pub booking_print_a4: &'static str,
    pub booking_print_narrow: &'static str,
    pub status_booked: &'static str,
    pub status_arrived: &'static str,
    pub status_no_show: &'static str,
    pub status_cancelled: &'static str,
    pub service_checking: &'static str,
    pub service_unavailable_title: &'static str,
    pub service_unavailable_body: fn(&str) -> String,
    pub service_offline: &'static str,
    pub service_retry: &'static str,
    pub privacy_title: &'static str,
    pub privacy_body: fn(u32) -> String,
    pub field_consent: &'static str,
    pub consent_missing: &'static str,
    pub find_title: &'static str,
    pub find_code: &'static str,
    pub find_code_hint: &'static str,
    pub find_phone: &'static str,
    pub find_button: &'static str,
    pub checkin_link: &'static str,
    pub take_number_link: &'static str,
    pub checkin_title: &'static str,
    pub staff_username: &'static str,
    pub staff_password: &'static str,
    pub booking_not_found: &'static str,
    pub my_bookings_title: &'static str,
    pub my_bookings_empty: &'static str,
    pub my_bookings_note: &'static str,
    pub view_slip: &'static str,
    pub move_booking: &'static str,
    pub cancel_booking: &'static str,
    pub cancel_confirm: &'static str,
    pub cancel_yes: &'static str,
    pub cancel_no: &'static str,
    pub cancelled_done: &'static str,
    pub book_new: &'static str,
    pub notice_set_aside: &'static str,
    pub notice_newer: &'static str,
    pub notice_full: &'static str,
    pub notice_unavailable: &'static str,
    pub notice_unwritable: &'static str,
    pub staff_title: &'static str,
    pub col_time: &'static str,
    pub col_code: &'static str,
    pub col_phone: &'static str,
    pub code_wrong_length: &'static str,
    pub code_bad_character: &'static str,
    pub code_check_failed: &'static str,

    pub slot_full_explained: &'static str,

    pub kiosk_finish: &'static str,
    pub kiosk_still_there: &'static str,
    pub kiosk_countdown: fn(u32) -> String,
    pub kiosk_continue: &'static str,

    pub kiosk_printed: &'static str,

    pub nav_forms: &'static str,
    pub forms_title: &'static str,
    pub form_fill_online: &'static str,

    pub handoff_load_label: &'static str,
    pub handoff_load_hint: &'static str,

    pub update_ready: &'static str,
    pub update_now: &'static str,
    pub new_content: &'static str,
    pub new_content_show: &'static str,

    pub drafts_newer: &'static str,

    pub weekdays: [&'static str; 7],
}

impl Messages {
    pub fn weekday(&self, day: Weekday) -> &'static str {
        self.weekdays[day as usize]
    }

    /// Why a typed booking or question code cannot be one.
    pub fn code_error(&self, error: crate::domain::booking_code::CodeError) -> &'static str {
        use crate::domain::booking_code::CodeError;
        match error {
            CodeError::WrongLength => self.code_wrong_length,
            CodeError::BadCharacter => self.code_bad_character,
            CodeError::CheckFailed => self.code_check_failed,
        }
    }
}

/// The catalog for a language.
pub fn messages(lang: Lang) -> &'static Messages {
    match lang {
        Lang::Vi => &vi::MESSAGES,
        Lang::En => &en::MESSAGES,
    }
}

/// The answer to a yes/no question, on screen and on the printed form.
pub fn yes_no(lang: Lang, yes: bool) -> &'static str {
    let t = form_messages(lang);
    if yes {
        t.form_yes
    } else {
        t.form_no
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Guards against a catalog entry copied into the other language and left untranslated.
    #[test]
    fn catalogs_differ_where_words_are_needed() {
        let (vi, en) = (messages(Lang::Vi), messages(Lang::En));
        assert_ne!(vi.home_title, en.home_title);
        assert_ne!(vi.not_found_title, en.not_found_title);
        assert_ne!(vi.weekdays, en.weekdays);
        assert!(vi
            .weekdays
            .iter()
            .chain(en.weekdays.iter())
            .all(|d| !d.is_empty()));
    }
}
