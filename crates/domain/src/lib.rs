//! The pure core: no browser, no Leptos, no clock. Everything it needs is passed in.

pub mod answer_sheet;
pub mod booking;
pub mod booking_code;
pub mod booking_flow;
pub mod catalog;
pub mod channels;
pub mod condition;
pub mod content_desk;
pub mod data_file;
pub mod drafts;
pub mod editor_notes;
pub mod form_session;
pub mod forms;
pub mod handoff;
pub mod id_number;
/// The one JSON codec, its own crate (in the browser it reads what `JSON.parse` gives).
pub use json;
pub mod content_check;
pub mod kiosk;
pub mod named;
pub mod news;
pub mod pdf_job;
pub mod phone;
pub mod poster;
pub mod qr;
pub mod questions;
pub mod queue;
pub mod queue_figures;
pub mod route;
pub mod schedule;
pub mod site_check;
pub mod small_sort;
pub mod station;
pub mod station_api;
pub mod text;
pub mod time;
