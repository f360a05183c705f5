//! The pure core: no browser, no Leptos, no clock. Everything it needs is passed in.

pub mod catalog;
pub mod data_file;
pub mod news;
pub mod phone;
pub mod station;
pub mod text;
pub mod time;
