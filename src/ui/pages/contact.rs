use std::sync::Arc;

use leptos::prelude::*;

use crate::ui::text::{loc, tr};

use super::channel_check::{channel_kind_name, ChannelChecker};
use super::use_page_title;
use crate::domain::phone::parse_phone;
use crate::domain::station::Station;
use crate::ui::data_view::data_view;
use crate::ui::use_app;

#[component]
pub fn ContactPage() -> impl IntoView {
    let app = use_app();
    use_page_title(|t| t.contact_title);
    view! {
        <h1>{tr(|t| t.contact_title)}</h1>
        {data_view(app.station, |station: Arc<Station>| view! { <StationContact station /> })}
    }
}

#[component]
fn StationContact(station: Arc<Station>) -> impl IntoView {
    let app = use_app();
    let phone = parse_phone(&station.phone).ok();
    let hours = station.opening_hours.grouped();
    let Station {
        sample,
        name,
        parent_agency,
        address,
        email,
        hours_note,
        channels,
        ..
    } = &*station;
    let checked = station.clone();
    let (sample, name, parent_agency, address, email, hours_note, channels) = (
        *sample,
        name.clone(),
        parent_agency.clone(),
        address.clone(),
        email.clone(),
        hours_note.clone(),
        channels.clone(),
    );
    view! {
        {sample.then(|| view! { <p class="notice notice-info">{tr(|t| t.sample_data_notice)}</p> })}
        <section class="contact-block" aria-labelledby="contact-station">
            <h2 id="contact-station">{loc(name)}</h2>
            <dl class="facts">
                <dt>{tr(|t| t.contact_parent_agency)}</dt>
                <dd>{loc(parent_agency)}</dd>
                <dt>{tr(|t| t.contact_address)}</dt>
                <dd>{loc(address)}</dd>
                <dt>{tr(|t| t.contact_phone)}</dt>
                <dd>{phone.map(|p| view! { <a href=p.tel_uri()>{p.display()}</a> })}</dd>
                {email.map(|email| view! {
                    <dt>{tr(|t| t.contact_email)}</dt>
                    <dd>{email}</dd>
                })}
            </dl>
        </section>
        <section class="contact-block" aria-labelledby="contact-hours">
            <h2 id="contact-hours">{tr(|t| t.contact_hours)}</h2>
            <table class="hours-table">
                <tbody>
                    {hours.into_iter().map(|range| {
                        let days = move || {
                            let t = app.t();
                            if range.first == range.last {
                                t.weekday(range.first).to_owned()
                            } else {
                                format!("{} – {}", t.weekday(range.first), t.weekday(range.last))
                            }
                        };
                        let periods = range.periods.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
                        let closed = periods.is_empty();
                        view! {
                            <tr>
                                <th scope="row">{days}</th>
                                <td>{move || if closed { app.t().contact_closed.to_owned() } else { periods.clone() }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <p>{loc(hours_note)}" "{tr(|t| t.contact_time_zone)}</p>
        </section>
        <section class="contact-block" aria-labelledby="contact-channels">
            <h2 id="contact-channels">{tr(|t| t.contact_channels)}</h2>
            <p class="notice notice-warning">{tr(|t| t.contact_channels_warning)}</p>
            <ul class="plain-list channel-list">
                {channels.into_iter().map(|channel| {
                    let kind = channel.kind;
                    let kind = move || channel_kind_name(kind, app.t());
                    let name = channel.name;
                    view! {
                        <li>
                            <span class="channel-kind">{kind}</span>
                            <span class="channel-name">{loc(name)}</span>
                            <span class="channel-address">{channel.address}</span>
                            {channel.recognise.map(|recognise| view! { <span class="channel-recognise">{loc(recognise)}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        <ChannelChecker station=checked id="contact-check" />
    }
}
