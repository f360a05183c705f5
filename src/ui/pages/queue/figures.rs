//! The station's service figures on the staff desk: today or the last seven days, per counter
//! and procedure (tickets, booked against walk-ins, served, did not come, waiting and service
//! times as median and 90th percentile), numbers taken per hour as a bar chart drawn in SVG,
//! what the times suggest for schedule.json, and the same as CSV.

use std::sync::Arc;

use chrono::TimeDelta;
use leptos::prelude::*;

use crate::domain::catalog::Catalog;
use crate::domain::queue::counter_signs;
use crate::domain::queue_figures::{Figures, Spread, Suggestion};
use crate::domain::schedule::Plan;
use crate::domain::station_api::API_PREFIX;
use crate::domain::time::format_iso_date;
use crate::i18n::queue_messages;
use crate::platform;
use crate::platform::api_client::call;
use crate::ui::text::{loc, tr_queue};
use crate::ui::use_app;

#[component]
pub fn QueueFigures(plan: Arc<Plan>, catalog: Arc<Catalog>) -> impl IntoView {
    let app = use_app();
    let days = RwSignal::new(1i64);
    let figures = RwSignal::new(None::<Figures>);
    let range = move || {
        let to = platform::clock::office_today();
        let from = to - TimeDelta::days(days.get() - 1);
        format!("from={}&to={}", format_iso_date(from), format_iso_date(to))
    };
    Effect::new(move |_| {
        let path = format!("/staff/queue/figures?{}", range());
        leptos::task::spawn_local(async move {
            figures.set(call::<Figures>("GET", &path, &[], None::<&()>).await.ok());
        });
    });
    let signs = counter_signs(&plan.counters);
    let counter_name = {
        let (plan, signs) = (plan.clone(), signs.clone());
        move |id: &str| -> String {
            let lang = app.lang.get();
            let number = signs
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.number)
                .unwrap_or(0);
            let name = plan
                .counters
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.name.get(lang).to_owned())
                .unwrap_or_else(|| id.to_owned());
            format!("{} – {name}", (queue_messages(lang).counter_of)(number))
        }
    };
    let minutes = |spread: Spread| {
        let one = |secs: Option<u32>| {
            secs.map_or("–".to_owned(), |s| format!("{:.1}", f64::from(s) / 60.0))
        };
        format!("{} · {}", one(spread.median_secs), one(spread.p90_secs))
    };
    let table = move || {
        let counter_name = counter_name.clone();
        let catalog = catalog.clone();
        figures.get().map(move |figures| {
            if figures.rows.is_empty() {
                return view! { <p>{tr_queue(|t| t.figures_none)}</p> }.into_any();
            }
            let rows = figures.rows.iter().map(|row| {
                let what = match &row.procedure {
                    None => view! { <th scope="row">{counter_name(&row.counter)}</th> }.into_any(),
                    Some(id) => {
                        let title = catalog.procedure(id).map(|p| p.title.clone());
                        view! { <th scope="row" class="figures-procedure">{match title { Some(t) => loc(t).into_any(), None => id.clone().into_any() }}</th> }.into_any()
                    }
                };
                view! {
                    <tr class:figures-total=row.procedure.is_none()>
                        {what}
                        <td>{row.tickets}</td>
                        <td>{format!("{} / {}", row.appointments, row.walk_ins)}</td>
                        <td>{row.served}</td>
                        <td>{format!("{} / {}", row.no_shows, row.left)}</td>
                        <td>{minutes(row.wait)}</td>
                        <td>{minutes(row.service)}</td>
                    </tr>
                }
            }).collect_view();
            let suggestions = figures.suggestions.clone();
            let counter_name = counter_name.clone();
            view! {
                <div class="table-scroll"><table class="staff-table">
                    <thead><tr>
                        <th scope="col">{tr_queue(|t| t.display_counter)}</th>
                        <th scope="col">{tr_queue(|t| t.col_tickets)}</th>
                        <th scope="col">{tr_queue(|t| t.col_booked_walk_in)}</th>
                        <th scope="col">{tr_queue(|t| t.col_served)}</th>
                        <th scope="col">{tr_queue(|t| t.col_no_show)}</th>
                        <th scope="col">{tr_queue(|t| t.col_wait)}</th>
                        <th scope="col">{tr_queue(|t| t.col_service)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table></div>
                <h3>{tr_queue(|t| t.arrivals_title)}</h3>
                {arrivals_chart(&figures.arrivals_by_hour, app.lang.get())}
                {(!suggestions.is_empty()).then(|| view! {
                    <h3>{tr_queue(|t| t.suggestions_title)}</h3>
                    <ul>{suggestions.into_iter().map(|s| {
                        let counter = match &s { Suggestion::SlotTooShort { counter, .. } | Suggestion::SlotTooLong { counter, .. } => counter.clone() };
                        let name = counter_name(&counter);
                        view! { <li>{move || s.message(app.lang.get(), &name)}</li> }
                    }).collect_view()}</ul>
                })}
            }.into_any()
        })
    };
    let csv = move || format!("{API_PREFIX}/staff/queue/figures.csv?{}", range());
    view! {
        <section class="no-print" aria-labelledby="queue-figures-title">
            <h2 id="queue-figures-title">{tr_queue(|t| t.figures_title)}</h2>
            <p class="actions">
                <button type="button" class="button button-secondary" aria-pressed=move || (days.get() == 1).to_string() on:click=move |_| days.set(1)>{tr_queue(|t| t.figures_today)}</button>
                <button type="button" class="button button-secondary" aria-pressed=move || (days.get() == 7).to_string() on:click=move |_| days.set(7)>{tr_queue(|t| t.figures_week)}</button>
                <a class="button button-secondary" href=csv download="queue-figures.csv">{tr_queue(|t| t.figures_csv)}</a>
            </p>
            {table}
        </section>
    }
}

/// Numbers taken per hour as bars, the hours that had any (and those between), with the counts
/// written under each bar and the whole said in the picture's label.
fn arrivals_chart(by_hour: &[u32], lang: crate::domain::text::Lang) -> impl IntoView {
    let first = by_hour.iter().position(|n| *n > 0);
    let last = by_hour.iter().rposition(|n| *n > 0);
    let (Some(first), Some(last)) = (first, last) else {
        return None;
    };
    let hours: Vec<(usize, u32)> = (first..=last).map(|h| (h, by_hour[h])).collect();
    let most = hours.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    let said = hours
        .iter()
        .map(|(h, n)| format!("{h}h: {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let (bar, gap, height) = (28.0_f64, 8.0_f64, 120.0_f64);
    let width = hours.len() as f64 * (bar + gap);
    let bars = hours.iter().enumerate().map(|(i, (hour, n))| {
        let x = i as f64 * (bar + gap);
        let h = height * f64::from(*n) / f64::from(most);
        view! {
            <g>
                <rect x=x y=height - h width=bar height=h fill="currentColor"></rect>
                <text x=x + bar / 2.0 y=height + 16.0 text-anchor="middle" font-size="12">{format!("{hour}h")}</text>
                <text x=x + bar / 2.0 y=(height - h - 4.0).max(12.0) text-anchor="middle" font-size="12">{n.to_string()}</text>
            </g>
        }
    }).collect_view();
    Some(view! {
        <svg class="figures-chart" role="img" aria-label=(queue_messages(lang).arrivals_label)(&said)
            viewBox=format!("0 0 {width} {}", height + 24.0) width=width height=height + 24.0>
            {bars}
        </svg>
    })
}
