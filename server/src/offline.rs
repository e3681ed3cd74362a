//! What lets the browser work offline: the release's assets under a versioned path, and the
//! service worker that keeps them.
//!
//! Every page names its script, wasm and stylesheet under `/v/<release>/pkg/`, where the release
//! is a digest of those files. A page therefore always loads the code it was rendered for: a
//! cached page from last week asks for last week's wasm (which the service worker kept), and a
//! new page can never be hydrated by old code from a cache. Only the current release is served;
//! any other version is 404 rather than the wrong code.

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use blake2::{Blake2s256, Digest};
use recheck_app::Release;
use std::path::Path;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// The files of one release, as cargo-leptos names them.
const RELEASE_FILES: [&str; 3] = ["recheck.js", "recheck.wasm", "recheck.css"];

/// The release whose files are in `pkg_dir`: a digest of their contents, so any change to the
/// client is a new release. Without a built client (tests of the server alone) it is "dev".
pub fn release_of(pkg_dir: &Path) -> Release {
    let mut digest = Blake2s256::new();
    for file in RELEASE_FILES {
        match std::fs::read(pkg_dir.join(file)) {
            Ok(bytes) => digest.update(&bytes),
            Err(_) => return Release("dev".to_owned()),
        }
    }
    let hex: String = digest.finalize().iter().take(8).map(|byte| format!("{byte:02x}")).collect();
    Release(hex)
}

const WORKER_TEMPLATE: &str = include_str!("offline/sw.js");

pub fn routes<S: Clone + Send + Sync + 'static>(release: &Release, pkg_dir: &Path) -> Router<S> {
    let worker = WORKER_TEMPLATE.replace("__RELEASE__", &release.0);
    // A release's files never change under their path, so browsers may keep them for good.
    let forever = SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    Router::new().route("/sw.js", get(move || async move { service_worker(worker.clone()) })).nest_service(
        &format!("{}/pkg", release.root()),
        tower::ServiceBuilder::new().layer(forever).service(ServeDir::new(pkg_dir)),
    )
}

fn service_worker(script: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            // The browser must see each new release's worker, not a cached copy.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        script,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_release_follows_the_files_and_is_dev_without_them() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(release_of(dir.path()), Release("dev".into()));
        for file in RELEASE_FILES {
            std::fs::write(dir.path().join(file), file).unwrap();
        }
        let first = release_of(dir.path());
        assert_eq!(first.0.len(), 16);
        assert_eq!(release_of(dir.path()), first, "the same files, the same release");
        std::fs::write(dir.path().join("recheck.wasm"), "changed").unwrap();
        assert_ne!(release_of(dir.path()), first);
    }
}
