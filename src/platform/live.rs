//! The queue's live events from the station: server-sent events (`EventSource`), which the
//! browser reconnects by itself, sending `Last-Event-ID` so the station sends what was missed.
//! Where the browser has no `EventSource`, or the stream has given up, a "look again" every few
//! seconds instead: the page then asks for the board or ticket afresh, as it does on any event.
//! Pages get plain callbacks and a handle to stop; nothing of the browser leaks out.

use std::cell::RefCell;
use std::collections::HashMap;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::domain::queue::QueueEvent;
use crate::domain::station_api::API_PREFIX;

/// What the page hears.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Heard {
    /// One change of the queue.
    Event(QueueEvent),
    /// Too much was missed, or a poll's turn: ask for the whole picture again.
    LookAgain,
    /// Whether the stream is connected: a screen shows when it is not live.
    Live(bool),
}

/// How often the page looks again when it cannot listen.
const POLL_MS: i32 = 5_000;

struct Open {
    source: Option<web_sys::EventSource>,
    poll: Option<i32>,
    _listeners: Vec<Closure<dyn FnMut(web_sys::MessageEvent)>>,
    _poll_tick: Option<Closure<dyn FnMut()>>,
}

thread_local! {
    static OPEN: RefCell<HashMap<u32, Open>> = RefCell::new(HashMap::new());
    static NEXT: std::cell::Cell<u32> = const { std::cell::Cell::new(1) };
}

/// A stream being followed; `stop` closes it. Plain data, so a page may keep it anywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Following(u32);

impl Following {
    pub fn stop(self) {
        if let Some(open) = OPEN.with(|all| all.borrow_mut().remove(&self.0)) {
            if let Some(source) = open.source {
                source.close();
            }
            if let (Some(id), Some(window)) = (open.poll, web_sys::window()) {
                window.clear_interval_with_handle(id);
            }
        }
    }
}

/// Follows the events at `path` (below /api/v1), after event `after` when given.
pub fn follow(path: &str, after: Option<i64>, on_heard: impl Fn(Heard) + 'static) -> Following {
    let id = NEXT.with(|next| {
        let id = next.get();
        next.set(id.wrapping_add(1));
        id
    });
    let on_heard = std::rc::Rc::new(on_heard);
    let url = match after {
        Some(after) => format!("{API_PREFIX}{path}?after={after}"),
        None => format!("{API_PREFIX}{path}"),
    };
    let mut open = Open {
        source: None,
        poll: None,
        _listeners: Vec::new(),
        _poll_tick: None,
    };
    match web_sys::EventSource::new(&url) {
        Ok(source) => {
            let listen = |name: &str, handler: Box<dyn FnMut(web_sys::MessageEvent)>| {
                let closure = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(handler);
                let _ =
                    source.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
                closure
            };
            let heard = on_heard.clone();
            open._listeners.push(listen(
                "queue",
                Box::new(move |message: web_sys::MessageEvent| {
                    let event = message
                        .data()
                        .as_string()
                        .and_then(|text| crate::domain::json::from_str::<QueueEvent>(&text).ok());
                    heard(event.map_or(Heard::LookAgain, Heard::Event));
                }),
            ));
            let heard = on_heard.clone();
            open._listeners
                .push(listen("reload", Box::new(move |_| heard(Heard::LookAgain))));
            let heard = on_heard.clone();
            open._listeners.push(listen(
                "open",
                Box::new(move |_| {
                    heard(Heard::Live(true));
                    // Whatever changed while away is in the picture asked for now.
                    heard(Heard::LookAgain);
                }),
            ));
            let heard = on_heard.clone();
            let watched = source.clone();
            open._listeners.push(listen(
                "error",
                Box::new(move |_| {
                    heard(Heard::Live(false));
                    // The browser retries by itself unless it gave up (CLOSED): then poll.
                    if watched.ready_state() == web_sys::EventSource::CLOSED {
                        start_polling(id, heard.clone());
                    }
                }),
            ));
            open.source = Some(source);
        }
        Err(_) => {
            on_heard(Heard::Live(false));
            OPEN.with(|all| all.borrow_mut().insert(id, open));
            start_polling(id, on_heard);
            return Following(id);
        }
    }
    OPEN.with(|all| all.borrow_mut().insert(id, open));
    Following(id)
}

fn start_polling(id: u32, on_heard: std::rc::Rc<dyn Fn(Heard)>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let tick = Closure::<dyn FnMut()>::new(move || on_heard(Heard::LookAgain));
    let handle = window
        .set_interval_with_callback_and_timeout_and_arguments_0(
            tick.as_ref().unchecked_ref(),
            POLL_MS,
        )
        .ok();
    OPEN.with(|all| {
        if let Some(open) = all.borrow_mut().get_mut(&id) {
            if open.poll.is_none() {
                open.poll = handle;
                open._poll_tick = Some(tick);
            } else if let Some(handle) = handle {
                window.clear_interval_with_handle(handle);
            }
        }
    });
}
