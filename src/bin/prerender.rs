//! Draws the pages whose content comes from the data files into files of their own, so the
//! browser paints them before the WebAssembly arrives (ui::prerender). Run by the build
//! (scripts/post-build.mjs) on Trunk's staging directory:
//!
//!     prerender <built site> <data directory>
//!
//! index.html is kept as shell.html (the plain app page, for every other address) and becomes
//! the drawn home page.

#[cfg(all(feature = "prerender", not(target_arch = "wasm32")))]
fn main() -> std::process::ExitCode {
    use civic_kiosk::ui::prerender::{draw, into_shell, pages_to_write, DataFiles};
    use std::path::PathBuf;
    use std::process::ExitCode;

    let mut args = std::env::args_os().skip(1);
    let (Some(site), Some(data)) = (
        args.next().map(PathBuf::from),
        args.next().map(PathBuf::from),
    ) else {
        eprintln!("usage: prerender <built site> <data directory>");
        return ExitCode::from(2);
    };
    let fail = |what: String| {
        eprintln!("prerender: {what}");
        ExitCode::FAILURE
    };
    let shell = match std::fs::read_to_string(site.join("index.html")) {
        Ok(shell) => shell,
        Err(error) => return fail(format!("{}: {error}", site.join("index.html").display())),
    };
    if let Err(error) = std::fs::write(site.join("shell.html"), &shell) {
        return fail(format!("shell.html: {error}"));
    }
    let files = DataFiles::read(&data);
    let pages = pages_to_write(&files);
    for (route, file) in &pages {
        // The data were checked before the build (check-data): a page that cannot be drawn
        // here is a fault of the build, not of the content.
        let Some(page) = draw(route, &files) else {
            return fail(format!(
                "{route} could not be drawn from {}",
                data.display()
            ));
        };
        let html = match into_shell(&shell, &page) {
            Ok(html) => html,
            Err(mismatch) => return fail(format!("index.html has no {}", mismatch.0)),
        };
        let path = site.join(file);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, html));
        if let Err(error) = written {
            return fail(format!("{}: {error}", path.display()));
        }
    }
    println!("prerender: {} pages drawn", pages.len());
    ExitCode::SUCCESS
}

#[cfg(not(all(feature = "prerender", not(target_arch = "wasm32"))))]
fn main() {
    eprintln!(
        "prerender needs the prerender feature: cargo run --features prerender --bin prerender"
    );
}
