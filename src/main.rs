//! Mounts the app in the browser. The native build has nothing to run: the library's pure
//! modules are exercised by `cargo test`.

#[cfg(target_arch = "wasm32")]
fn main() {
    civic_kiosk::platform::document::install_panic_notice();
    civic_kiosk::platform::service_worker::register();
    leptos::mount::mount_to_body(civic_kiosk::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("civic-kiosk runs in the browser: see README.md (scripts/serve).");
}
