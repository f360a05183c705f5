use std::sync::Arc;

use leptos::prelude::*;

use super::channel_check::ChannelChecker;
use crate::domain::station::Station;
use crate::ui::data_view::data_view;

use crate::domain::route::{Route, StationPage};
use crate::ui::router::A;
use crate::ui::text::tr;

use super::use_page_title;

/// The three sections citizens know from the station's official pages.
#[component]
pub fn HomePage() -> impl IntoView {
    use_page_title(|t| t.nav_home);
    let app = crate::ui::use_app();
    let kiosk = app.kiosk.is_some();
    view! {
        <h1>{tr(|t| t.home_title)}</h1>
        <p class="lead">{tr(|t| t.home_intro)}</p>
        {kiosk.then(|| view! {
            <p class="actions">
                <A href=Route::Station(StationPage::CheckIn) attr:class="button button-large">{tr(|t| t.checkin_link)}</A>
                <A href=Route::Station(StationPage::TakeNumber) attr:class="button button-large">{tr(|t| t.take_number_link)}</A>
            </p>
        })}
        <ul class="section-cards">
            <li>
                <A href=Route::Services attr:class="section-card">
                    <span class="section-card-title">{tr(|t| t.home_services_title)}</span>
                    <span class="section-card-body">{tr(|t| t.home_services_body)}</span>
                </A>
            </li>
            <li>
                <A href=Route::News attr:class="section-card">
                    <span class="section-card-title">{tr(|t| t.home_news_title)}</span>
                    <span class="section-card-body">{tr(|t| t.home_news_body)}</span>
                </A>
            </li>
            <li>
                <A href=Route::Contact attr:class="section-card">
                    <span class="section-card-title">{tr(|t| t.home_contact_title)}</span>
                    <span class="section-card-body">{tr(|t| t.home_contact_body)}</span>
                </A>
            </li>
        </ul>
        // The scams of the week reach people through fake "police" pages and numbers: the check
        // is on the first page, beside the way to the warnings.
        <div class="home-warning">
            {data_view(app.station, |station: Arc<Station>| view! { <ChannelChecker station id="home-check" /> })}
            <p><A href=Route::News>{tr(|t| t.checker_warnings_link)}</A></p>
        </div>
    }
}
