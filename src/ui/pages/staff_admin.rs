//! The admin's parts of the staff desk: staff accounts (and sign-ins held back after wrong
//! passwords) and the station's reception terminals.

use std::sync::Arc;

use leptos::prelude::*;

use super::staff::{change, Said};
use crate::domain::station_api::{
    LoginWait, NewTerminal, StaffAccount, StaffRole, StaffSession, Terminal, TerminalAdded,
    CSRF_HEADER,
};
use crate::domain::time::{format_date_vn, office_datetime};
use crate::platform::api_client::{call, call_empty};
use crate::ui::form::{
    drawn_messages, field_error, field_frame, text_input, ErrorSummary, Problems, TextField,
};
use crate::ui::text::{tr_content, tr_desk};
use crate::ui::use_app;

/// A button's action: posts to `path` with the anti-forgery token, then `then` (the list
/// asked for again, which shows the change — or that there was none). The answer's body, if
/// any, is not needed.
fn post_then(
    session: Arc<StaffSession>,
    path: String,
    then: impl Fn() + Copy + 'static,
) -> impl Fn(leptos::ev::MouseEvent) + Clone + 'static {
    move |_| {
        let (session, path) = (session.clone(), path.clone());
        leptos::task::spawn_local(async move {
            let _ = call_empty("POST", &path, &[(CSRF_HEADER, &session.csrf_token)]).await;
            then();
        });
    }
}

/// `POST /staff/accounts/{username}/editor`.
#[derive(serde::Serialize)]
struct EditorRight {
    editor: bool,
}

/// A moment as the office reads it: "dd/mm/yyyy HH:MM".
pub(super) fn office_moment(unix_millis: i64) -> String {
    office_datetime(unix_millis)
        .map(|at| {
            use chrono::Timelike;
            format!(
                "{} {:02}:{:02}",
                format_date_vn(at.date()),
                at.hour(),
                at.minute()
            )
        })
        .unwrap_or_default()
}

/// Admins: the station's staff accounts, add an officer, disable or enable one, let one held
/// back after wrong passwords sign in again.
#[component]
pub fn Accounts(session: StaffSession) -> impl IntoView {
    let app = use_app();
    let accounts = RwSignal::new(Vec::<StaffAccount>::new());
    // Accounts whose sign-in is held back after wrong passwords from some address.
    let held_back = RwSignal::new(Vec::<LoginWait>::new());
    let reload = move || {
        leptos::task::spawn_local(async move {
            if let Ok(list) =
                call::<Vec<StaffAccount>>("GET", "/staff/accounts", &[], None::<&()>).await
            {
                accounts.set(list);
            }
            if let Ok(list) =
                call::<Vec<LoginWait>>("GET", "/staff/logins/waiting", &[], None::<&()>).await
            {
                held_back.set(list);
            }
        });
    };
    reload();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let admin = RwSignal::new(false);
    let problems: Problems<Said> = RwSignal::new(Vec::new());
    let errors = drawn_messages(problems, Said::message);
    let session = Arc::new(session);
    let add = {
        let session = session.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let body = crate::domain::station_api::NewStaffAccount {
                username: username.get_untracked(),
                password: password.get_untracked(),
                role: if admin.get_untracked() {
                    StaffRole::Admin
                } else {
                    StaffRole::Officer
                },
                editor: false,
            };
            let session = session.clone();
            leptos::task::spawn_local(async move {
                match change::<StaffAccount>(&session, "/staff/accounts", Some(&body)).await {
                    Ok(_) => {
                        problems.set(Vec::new());
                        username.set(String::new());
                        password.set(String::new());
                        reload();
                    }
                    Err(failure) => problems.set(vec![("account-username", Said::Failed(failure))]),
                }
            });
        }
    };
    let rows = move || {
        accounts
            .get()
            .into_iter()
            .map(|account| {
                let session = session.clone();
                let action = if account.disabled { "enable" } else { "disable" };
                let path = format!("/staff/accounts/{}/{action}", account.username);
                let toggle = post_then(session.clone(), path, reload);
                let role = account.role;
                let editor = account.editor;
                let give_or_take = {
                    let (session, username) = (session.clone(), account.username.clone());
                    move |_| {
                        let (session, username) = (session.clone(), username.clone());
                        leptos::task::spawn_local(async move {
                            let path = format!("/staff/accounts/{username}/editor");
                            let body = EditorRight { editor: !editor };
                            let _ = change::<StaffAccount>(&session, &path, Some(&body)).await;
                            reload();
                        });
                    }
                };
                let held = held_back
                    .get()
                    .into_iter()
                    .find(|wait| wait.username == account.username);
                let lift = post_then(
                    session.clone(),
                    format!("/staff/accounts/{}/unlock", account.username),
                    reload,
                );
                view! {
                    <li>
                        {account.username.clone()}" ("{move || if role == StaffRole::Admin { crate::i18n::desk_messages(app.lang.get()).role_admin } else { crate::i18n::desk_messages(app.lang.get()).role_officer }}
                        {account.disabled.then(|| view! { ", "{tr_desk(|t| t.staff_disabled)} })}
                        {editor.then(|| view! { ", "{tr_content(|t| t.editor)} })}
                        {held.as_ref().map(|wait| { let secs = wait.wait_secs; view! { ", "{move || (crate::i18n::desk_messages(app.lang.get()).staff_held_back)(secs)} } })}
                        ")"" "
                        <button type="button" class="button button-small button-secondary" on:click=toggle>
                            {if account.disabled { tr_desk(|t| t.staff_enable).into_any() } else { tr_desk(|t| t.staff_disable).into_any() }}
                            <span class="visually-hidden">": "{account.username.clone()}</span>
                        </button>
                        {(role != StaffRole::Admin).then(|| view! {
                            " "
                            <button type="button" class="button button-small button-secondary" on:click=give_or_take>
                                {if editor { tr_content(|t| t.take_editor).into_any() } else { tr_content(|t| t.give_editor).into_any() }}
                                <span class="visually-hidden">": "{account.username.clone()}</span>
                            </button>
                        })}
                        {held.is_some().then(|| view! {
                            " "
                            <button type="button" class="button button-small button-secondary" on:click=lift>
                                {tr_desk(|t| t.staff_lift)}
                                <span class="visually-hidden">": "{account.username.clone()}</span>
                            </button>
                        })}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="no-print" aria-labelledby="accounts-title">
            <h2 id="accounts-title">{tr_desk(|t| t.staff_accounts_title)}</h2>
            <ul class="plain-list">{rows}</ul>
            <form novalidate on:submit=add>
                <h3>{tr_desk(|t| t.staff_add_account)}</h3>
                <ErrorSummary errors />
                <TextField id="account-username" label=|t| t.staff_username hint=|_| "" value=username errors />
                <TextField id="account-password" label=|t| t.staff_password hint=|_| "" value=password errors input_type="password" autocomplete="new-password" />
                <div class="check-item">
                    <input type="checkbox" id="account-admin" prop:checked=move || admin.get() on:change=move |e| admin.set(event_target_checked(&e)) />
                    <label for="account-admin">{tr_desk(|t| t.role_admin)}</label>
                </div>
                <p><button type="submit" class="button button-secondary">{tr_desk(|t| t.staff_add_account)}</button></p>
            </form>
        </section>
    }
}

/// Admins: the reception terminals that take check-ins — add one (its enrolment code is shown
/// here once), see when each was last used, revoke one.
#[component]
pub fn Terminals(session: StaffSession) -> impl IntoView {
    let app = use_app();
    let terminals = RwSignal::new(Vec::<Terminal>::new());
    let reload = move || {
        leptos::task::spawn_local(async move {
            if let Ok(list) =
                call::<Vec<Terminal>>("GET", "/staff/terminals", &[], None::<&()>).await
            {
                terminals.set(list);
            }
        });
    };
    reload();
    let name = RwSignal::new(String::new());
    let shown_code = RwSignal::new(None::<TerminalAdded>);
    let problems: Problems<Said> = RwSignal::new(Vec::new());
    let errors = drawn_messages(problems, Said::message);
    let session = Arc::new(session);
    let add = {
        let session = session.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let body = NewTerminal {
                name: name.get_untracked(),
            };
            let session = session.clone();
            leptos::task::spawn_local(async move {
                match change::<TerminalAdded>(&session, "/staff/terminals", Some(&body)).await {
                    Ok(added) => {
                        problems.set(Vec::new());
                        name.set(String::new());
                        shown_code.set(Some(added));
                        reload();
                    }
                    Err(failure) => problems.set(vec![("terminal-name", Said::Failed(failure))]),
                }
            });
        }
    };
    let rows = move || {
        terminals
            .get()
            .into_iter()
            .map(|terminal| {
                let revoke = post_then(
                    session.clone(),
                    format!("/staff/terminals/{}/revoke", terminal.id),
                    reload,
                );
                let (enrolled, revoked, last_used) = (terminal.enrolled, terminal.revoked, terminal.last_used_ms);
                let state = move || {
                    let t = crate::i18n::desk_messages(app.lang.get());
                    let state = if revoked {
                        t.staff_terminal_revoked
                    } else if enrolled {
                        t.staff_terminal_enrolled
                    } else {
                        t.staff_terminal_waiting
                    };
                    let used = match last_used {
                        Some(ms) => (t.staff_terminal_last_used)(&office_moment(ms)),
                        None => t.staff_terminal_never_used.to_owned(),
                    };
                    format!("{state}, {used}")
                };
                view! {
                    <li>
                        {terminal.name.clone()}" ("{state}")"
                        {(!revoked).then(|| view! {
                            " "
                            <button type="button" class="button button-small button-secondary" on:click=revoke>
                                {tr_desk(|t| t.staff_revoke)}
                                <span class="visually-hidden">": "{terminal.name.clone()}</span>
                            </button>
                        })}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="no-print" aria-labelledby="terminals-title">
            <h2 id="terminals-title">{tr_desk(|t| t.staff_terminals_title)}</h2>
            <p>{tr_desk(|t| t.staff_terminals_intro)}</p>
            <ul class="plain-list">{rows}</ul>
            {move || shown_code.get().map(|added| {
                let code = crate::domain::booking_code::display_code(&added.enrolment_code);
                let until = added.terminal.enrolment_expires_ms.map(office_moment).unwrap_or_default();
                view! {
                    <p class="notice notice-success enrolment-code" role="status">
                        {move || (crate::i18n::desk_messages(app.lang.get()).staff_terminal_code)(&code, &until)}
                    </p>
                }
            })}
            <form novalidate on:submit=add>
                <h3>{tr_desk(|t| t.staff_add_terminal)}</h3>
                <ErrorSummary errors />
                {field_frame(
                    "terminal-name",
                    tr_desk(|t| t.staff_terminal_name),
                    tr_desk(|t| t.staff_terminal_name_hint),
                    field_error(errors, "terminal-name"),
                    text_input("terminal-name", name, errors, "text", "off"),
                )}
                <p><button type="submit" class="button button-secondary">{tr_desk(|t| t.staff_add_terminal)}</button></p>
            </form>
        </section>
    }
}
