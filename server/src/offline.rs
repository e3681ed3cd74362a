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
    let worker = WORKER_TEMPLATE
        .replace("__RELEASE__", &release.0)
        .replace("__KEPT_PAGE_HEADER__", recheck_app::pages::home::KEPT_PAGE_HEADER);
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

    async fn get(router: &Router, path: &str) -> Response {
        use tower::ServiceExt;
        let request = axum::http::Request::get(path).body(axum::body::Body::empty()).unwrap();
        router.clone().oneshot(request).await.unwrap()
    }

    #[tokio::test]
    async fn only_the_current_release_is_served_and_the_worker_names_it() {
        let dir = tempfile::tempdir().unwrap();
        for file in RELEASE_FILES {
            std::fs::write(dir.path().join(file), file).unwrap();
        }
        let release = release_of(dir.path());
        let router: Router = routes(&release, dir.path());
        let current = get(&router, &format!("/v/{}/pkg/recheck.wasm", release.0)).await;
        assert_eq!(current.status(), axum::http::StatusCode::OK);
        assert_eq!(current.headers()[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
        assert_eq!(
            get(&router, "/v/0123456789abcdef/pkg/recheck.wasm").await.status(),
            axum::http::StatusCode::NOT_FOUND
        );
        let worker = get(&router, "/sw.js").await;
        assert_eq!(worker.headers()[header::CACHE_CONTROL], "no-cache");
        let script = axum::body::to_bytes(worker.into_body(), usize::MAX).await.unwrap();
        let script = String::from_utf8(script.to_vec()).unwrap();
        assert!(script.contains(&format!("const RELEASE = '{}';", release.0)), "{script}");
        assert!(!script.contains("__RELEASE__"));
    }
}
