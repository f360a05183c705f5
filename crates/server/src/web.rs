//! Serving the built app: the files of dist/ (the build's .br/.gz copies when the browser takes
//! them; text without a copy, such as the data files an administrator edits in place, is
//! compressed as it is sent), the app's pages — drawn from the station's own data files for the
//! pages drawn ahead (ui::prerender), the plain app page (shell.html) for the others — each
//! station's data files at /data/ by host name, and the security headers on every answer.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::Router;
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

use super::Shared;
use civic_kiosk::ui::prerender;
use domain::route::Route;

/// The Content-Security-Policy, written once: the page's own (index.html's meta — this origin
/// only; 'wasm-unsafe-eval' is what compiling WebAssembly needs; the PDF is printed from a blob:
/// frame) plus what only a header can say: no one may frame the app.
pub fn csp() -> &'static str {
    static CSP: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let page = page_policy(include_str!("../../../index.html")).unwrap_or("default-src 'self'");
        format!("{page}; frame-ancestors 'none'")
    });
    &CSP
}

/// The policy a page's `<meta http-equiv="Content-Security-Policy">` sets.
fn page_policy(html: &str) -> Option<&str> {
    let marker = r#"http-equiv="Content-Security-Policy" content=""#;
    let start = html.find(marker)? + marker.len();
    let length = html[start..].find('"')?;
    Some(&html[start..start + length])
}

pub fn routes(state: Shared) -> Router {
    Router::new()
        .route("/data/{*file}", axum::routing::get(data_file))
        .fallback(app_file)
        .layer(CompressionLayer::new().br(true).gzip(true))
        .with_state(state)
}

/// A file of dist/, or the app's page for an app address (a path without an extension). A
/// missing asset stays a 404, so a broken link is seen as one.
async fn app_file(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    request: Request,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, "Method not allowed").into_response();
    }
    let has_extension = uri
        .path()
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'));
    if !has_extension {
        let mut response = app_page(&state, &uri, request).await;
        if let Some(link) = catalog_preload(uri.path()) {
            response
                .headers_mut()
                .insert(header::LINK, HeaderValue::from_static(link));
        }
        return response;
    }
    let files = ServeDir::new(&state.config.dist)
        .precompressed_br()
        .precompressed_gzip();
    match files.oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    }
}

/// A page drawn ahead, drawn from the data files of the station the host belongs to, as they
/// are now (an administrator's edit shows at the next request); any other address, a kiosk
/// address, or a page that cannot be drawn (a data file missing or broken: the app then says
/// which), gets the plain app page — on a form page or a queue ticket, without its wasm preload.
async fn app_page(state: &Shared, uri: &Uri, request: Request) -> Response {
    let dist = &state.config.dist;
    // A build before pages were drawn ahead has only index.html.
    let shell = Some(dist.join("shell.html"))
        .filter(|shell| shell.is_file())
        .unwrap_or_else(|| dist.join("index.html"));
    let query = uri.query().unwrap_or("");
    let route = Route::parse(uri.path(), query);
    let ticket = matches!(route, Route::Station(domain::route::StationPage::Ticket(_)));
    // A kiosk address starts the station bundle, whose kiosk layout differs from a citizen's
    // page: a page drawn ahead would change under the terminal's user when it took over.
    let kiosk = domain::kiosk::KioskConfig::from_query(query).is_some();
    if prerender::is_drawn_ahead(&route) && !kiosk {
        let data_dir = state
            .station_for_host(request.headers())
            .config
            .data_dir
            .clone();
        let shell = shell.clone();
        let drawn = tokio::task::spawn_blocking(move || {
            let page = prerender::draw(&route, &prerender::DataFiles::read(&data_dir))?;
            let shell = std::fs::read_to_string(shell).ok()?;
            prerender::into_shell(&shell, &page).ok()
        })
        .await;
        if let Ok(Some(html)) = drawn {
            return Html(html).into_response();
        }
    }
    // A form page's loader starts the forms bundle, a ticket's the ticket bundle (boot.js): the
    // plain page's hint to fetch the citizens' wasm at once would download it for nothing.
    let own_bundle = civic_kiosk::ui::is_forms_page(uri.path()) || ticket;
    if own_bundle && !kiosk {
        if let Ok(html) = tokio::fs::read_to_string(&shell).await {
            return Html(prerender::without_wasm_preload(&html)).into_response();
        }
    }
    let page = ServeFile::new(&shell)
        .precompressed_br()
        .precompressed_gzip();
    let (mut parts, body) = request.into_parts();
    parts.uri = Uri::from_static("/");
    match page.oneshot(Request::from_parts(parts, body)).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    }
}

/// The app fetches the procedures file when a page first needs it (not on the home page): for
/// the addresses whose page does, the browser is told to fetch it while the app downloads.
fn catalog_preload(path: &str) -> Option<&'static str> {
    let first = path.split('/').find(|s| !s.is_empty())?;
    matches!(first, "services" | "book" | "bookings" | "staff")
        .then_some("</data/procedures.json>; rel=preload; as=fetch; crossorigin=anonymous")
}

/// The data files the app reads, by name: nothing else in a station's data folder is served
/// (an editor's backup, a dotfile, a folder a link there points to).
const DATA_FILES: [&str; 6] = [
    domain::station::STATION_FILE,
    domain::public_answers::ANSWERS_FILE,
    domain::catalog::CATALOG_FILE,
    domain::forms::FORMS_FILE,
    domain::news::NEWS_FILE,
    domain::schedule::SCHEDULE_FILE,
];

/// A data file of the station the host belongs to (a province's server has several).
async fn data_file(State(state): State<Shared>, request: Request) -> Response {
    let station = state.station_for_host(request.headers());
    let Some(name) = DATA_FILES
        .iter()
        .filter_map(|file| file.strip_prefix("data/"))
        .find(|name| request.uri().path().strip_prefix("/data/") == Some(*name))
    else {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    };
    // A named file may be a link (a province sharing one procedures file among its stations):
    // the administrator made it; nothing else in the folder is reachable.
    match ServeFile::new(station.config.data_dir.join(name))
        .oneshot(request)
        .await
    {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    }
}

/// Headers every answer carries; caching by kind (hashed build files forever, the rest
/// revalidated, API answers never stored).
pub async fn security_headers(
    State(state): State<Shared>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let mut set = |name: header::HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(header::CONTENT_SECURITY_POLICY, csp());
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "no-referrer");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(
        header::HeaderName::from_static("permissions-policy"),
        "camera=(self), microphone=(), geolocation=(), payment=(), usb=()",
    );
    set(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    if state.config.behind_https {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    let hashed = is_hashed_asset(&path);
    if path.starts_with("/api/") {
        set(header::CACHE_CONTROL, "no-store");
    } else {
        // The same address answers br, gzip or plain by the request's Accept-Encoding.
        set(header::VARY, "accept-encoding");
    }
    if path.starts_with("/api/") {
    } else if hashed {
        set(header::CACHE_CONTROL, "public, max-age=31536000, immutable");
    } else {
        set(header::CACHE_CONTROL, "no-cache");
    }
    response
}

/// Trunk names build outputs `name-<16 hex>.js`, `name-<16 hex>_bg.wasm`, `name-<16 hex>.css`.
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let Some((stem, extension)) = file.rsplit_once('.') else {
        return false;
    };
    if !matches!(extension, "js" | "wasm" | "css") {
        return false;
    }
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {

    // Guards the policy's one copy: the header is the page's meta policy, with framing refused.
    #[test]
    fn the_header_policy_is_the_pages_own_plus_no_framing() {
        use super::{csp, page_policy};
        let page =
            page_policy(include_str!("../../../index.html")).expect("index.html sets a policy");
        assert!(page.starts_with("default-src 'self'") && page.contains("'wasm-unsafe-eval'"));
        assert_eq!(csp(), format!("{page}; frame-ancestors 'none'"));
    }

    #[test]
    fn the_procedures_are_preloaded_only_for_pages_that_show_them() {
        for path in [
            "/services",
            "/services/id-card-replace",
            "/book",
            "/bookings/K7M4QX9",
            "/staff",
        ] {
            assert!(super::catalog_preload(path).is_some(), "{path}");
        }
        for path in ["/", "/news", "/contact", "/forms", "/check-in"] {
            assert!(super::catalog_preload(path).is_none(), "{path}");
        }
    }

    #[test]
    fn only_trunks_hashed_names_are_cached_forever() {
        assert!(super::is_hashed_asset(
            "/civic-kiosk-0123456789abcdef_bg.wasm"
        ));
        assert!(super::is_hashed_asset("/main-0123456789abcdef.css"));
        assert!(!super::is_hashed_asset("/sw.js"));
        assert!(!super::is_hashed_asset("/pdf-worker_bg.wasm"));
        assert!(!super::is_hashed_asset("/data/station.json"));
    }
}
