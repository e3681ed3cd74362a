//! The HTTP application, spoken to over real HTTP, on each backend.

mod support;

use recheck_app::domain::access::Role;
use recheck_app::pages::home::KEPT_PAGE_HEADER;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE};
use support::{TestApp, TestDatabase};

async fn with_demo(database: TestDatabase) -> TestApp {
    recheck_server::demo::load(database.storage.as_ref(), false).await.expect("the demo loads");
    TestApp::spawn(database).await
}

/// Signed in as a provider admin, who sees every page.
async fn signed_in(database: TestDatabase) -> TestApp {
    let app = TestApp::spawn(database).await;
    app.sign_in_as(&[Role::ProviderAdmin], &[]).await;
    app
}

async fn health_says_the_server_is_alive_and_readiness_that_its_database_is_ready(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let alive = app.get("/healthz").await;
    assert_eq!(alive.status(), StatusCode::OK);
    assert_eq!(alive.json::<serde_json::Value>().await.unwrap(), serde_json::json!({ "status": "ok" }));
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), StatusCode::OK);
    assert_eq!(ready.json::<serde_json::Value>().await.unwrap(), serde_json::json!({ "status": "ready" }));
}

/// Every `nonce="…"` in `html`.
fn nonces(html: &str) -> Vec<&str> {
    html.split(r#"nonce=""#).skip(1).filter_map(|rest| rest.split('"').next()).collect()
}

async fn every_answer_carries_the_security_headers_and_pages_allow_only_their_own_inline_code(database: TestDatabase) {
    let app = with_demo(database).await;
    app.sign_in_as(&[Role::ProviderAdmin], &[]).await;
    let mut seen_nonces = std::collections::HashSet::new();
    for path in ["/", "/themes", "/api/v1/session", "/healthz", "/no/such/page", "/offline.css", "/sign-in"] {
        let answer = app.get(path).await;
        let headers = answer.headers().clone();
        let policy = headers["content-security-policy"].to_str().unwrap().to_owned();
        for directive in ["default-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"] {
            assert!(policy.contains(directive), "{path}: {policy}");
        }
        assert!(!policy.contains("unsafe-inline"), "{path}: {policy}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
        let kind = headers[CONTENT_TYPE].to_str().unwrap().to_owned();
        if kind.starts_with("text/html") || kind.starts_with("application/json") {
            assert_eq!(headers["cache-control"], "no-store", "{path}: records are never kept by the browser");
        }
        if kind.starts_with("text/html") {
            let html = answer.text().await.unwrap();
            let nonce = policy.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce");
            let inline_tags = html.matches("<script").count() + html.matches("<style").count();
            let marked = nonces(&html);
            assert_eq!(marked.len(), inline_tags, "{path}: every script and style carries the nonce");
            assert!(marked.iter().all(|marked| *marked == nonce), "{path}");
            seen_nonces.insert(nonce.to_owned());
        }
    }
    assert_eq!(seen_nonces.len(), 4, "a fresh nonce for each page");
}

async fn the_recorder_page_is_rendered_on_the_server_with_the_provider_s_services(database: TestDatabase) {
    let app = with_demo(database).await;
    app.sign_in_as(&[Role::QualityLead], &[]).await;
    let response = app.get("/record").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()[CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    assert_eq!(response.headers()[KEPT_PAGE_HEADER], "recorder", "the service worker keeps it for offline use");
    let html = response.text().await.unwrap();
    for expected in [
        "Meadowbank Care Group (demonstration)",
        "Larch House",
        "Brookside Supported Living",
        "Respectful communication during personal care",
        "/pkg/recheck.wasm",
        r#"<link rel="manifest" href="/manifest.webmanifest">"#,
    ] {
        assert!(html.contains(expected), "the home page lacks {expected}");
    }
}

async fn a_manager_s_home_is_their_dashboard_and_nobody_else_s_is(database: TestDatabase) {
    let app = with_demo(database).await;
    let services = app.database.storage.organisation.services().await.unwrap();
    let larch = services.iter().find(|service| service.name == "Larch House").unwrap();
    app.sign_in_as(&[Role::DeputyManager], &[larch.id]).await;
    let response = app.get("/").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get(KEPT_PAGE_HEADER).is_none(), "a dashboard holds records: never kept offline");
    let html = response.text().await.unwrap();
    for expected in [
        "What needs you",
        "Warnings to act on",
        "Gaps in observation (",
        "Cycles waiting for you",
        "Gaps in observation",
        "Larch House: themes at a glance",
        r#"href="/record""#,
    ] {
        assert!(html.contains(expected), "the dashboard lacks {expected}: {html}");
    }
    assert!(!html.contains("Brookside Supported Living: themes"), "only the deputy's own service");
    assert!(!html.contains(r#"id="staff-choices""#), "the recorder is a tap away, not on the dashboard");
    app.sign_in_as(&[Role::TeamLeader], &[larch.id]).await;
    let response = app.get("/").await;
    assert_eq!(response.headers()[KEPT_PAGE_HEADER], "recorder", "a team leader's home is the recorder");
    assert!(!response.text().await.unwrap().contains("What needs you"));
}

async fn the_home_page_draws_the_recorder_s_first_step_with_the_user_s_own_staff(database: TestDatabase) {
    let app = with_demo(database).await;
    let services = app.database.storage.organisation.services().await.unwrap();
    let larch = services.iter().find(|service| service.name == "Larch House").unwrap();
    app.sign_in_as(&[Role::ShiftLeader], &[larch.id]).await;
    let html = app.get("/").await.text().await.unwrap();
    assert!(html.contains(r#"id="staff-choices""#), "the first step is drawn on the server");
    assert!(html.contains("Dorota Nowak"), "a Larch House carer is offered");
    assert!(!html.contains("Priya Raman"), "nobody from Brookside is");
}

async fn the_themes_page_shows_every_criterion_descriptor(database: TestDatabase) {
    let app = signed_in(database).await;
    let html = app.get("/themes").await.text().await.unwrap();
    assert!(html.contains("Kindness, compassion and dignity"));
    assert!(html.contains("Calm, simple, reassuring language throughout."));
}

async fn an_unknown_address_gets_a_404_page(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let response = app.get("/no/such/page").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.text().await.unwrap().contains("Page not found"));
}

async fn pages_are_compressed_for_browsers_that_accept_it(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    // This client leaves bodies compressed, so the header it reads is the server's own.
    let client = reqwest::Client::builder().no_gzip().build().unwrap();
    for encoding in ["gzip", "br"] {
        let response = client.get(app.url("/sign-in")).header(ACCEPT_ENCODING, encoding).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[CONTENT_ENCODING], encoding);
    }
}

async fn static_files_are_served_from_the_site_root(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let response = app.get("/manifest.webmanifest").await;
    assert_eq!(response.status(), StatusCode::OK);
    let manifest: serde_json::Value = response.json().await.unwrap();
    assert_eq!(manifest["name"], "Recheck");
    assert_eq!(app.get("/icons/icon-192.png").await.status(), StatusCode::OK);
}

async fn malformed_requests_get_a_4xx_with_a_reason(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let wrong_method = app.client.delete(app.url("/healthz")).send().await.unwrap();
    assert_eq!(wrong_method.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.text().await.unwrap(), "This address does not accept DELETE requests.\n");

    let server_function_by_get = app.get("/fn/admin/save_theme").await;
    assert_eq!(server_function_by_get.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(server_function_by_get.text().await.unwrap().contains("does not accept GET"));

    let bad_path = app.get("/themes%ff%fe").await;
    assert_eq!(bad_path.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK, "the server is still up");
}

/// The demonstration's cycles through the API, scoped to the user's services: a Brookside shift
/// leader's device gets what Quentin Ashby's improving cycle still needs, and reads that cycle
/// with its verdict in words, but not Larch House's cycles.
async fn cycles_and_the_rechecks_they_need_reach_the_api_scoped_to_the_users_services(database: TestDatabase) {
    recheck_server::demo::load(database.storage.as_ref(), true).await.expect("the demo loads");
    let app = TestApp::spawn(database).await;
    let services = app.database.storage.organisation.services().await.unwrap();
    let brookside = services.iter().find(|service| service.name.starts_with("Brookside")).unwrap();
    app.sign_in_as(&[Role::ShiftLeader], &[brookside.id]).await;
    let reference: serde_json::Value = app.get("/api/v1/reference").await.json().await.unwrap();
    let rechecks = reference["rechecks"].as_array().unwrap();
    assert_eq!(rechecks.len(), 1, "{rechecks:?}");
    assert!(!rechecks[0]["needs"]["missing"].as_array().unwrap().is_empty());
    assert_eq!(
        rechecks[0]["leader_names"],
        serde_json::json!(["Olu Adeyemi"]),
        "who led the briefing and the coaching"
    );
    let cycles: serde_json::Value = app.get("/api/v1/cycles").await.json().await.unwrap();
    let cycles = cycles.as_array().unwrap();
    assert_eq!(cycles.len(), 1, "only Brookside's");
    assert_eq!(cycles[0]["cycle"]["id"], rechecks[0]["cycle_id"]);
    let one: serde_json::Value =
        app.get(&format!("/api/v1/cycles/{}", rechecks[0]["cycle_id"].as_str().unwrap())).await.json().await.unwrap();
    assert!(one["verdict_in_words"].as_str().unwrap().starts_with("Improving: still needs"), "{one}");
    assert_eq!(one["stage"], "rechecking");
    let larch = recheck_app::storage::CycleFilter {
        service_ids: Some(vec![services.iter().find(|service| service.name == "Larch House").unwrap().id]),
        ..Default::default()
    };
    let elsewhere = app.database.storage.cycles.cycles(&larch).await.unwrap().remove(0).id;
    assert_eq!(app.get(&format!("/api/v1/cycles/{elsewhere}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&format!("/api/v1/cycles?service={}", larch.service_ids.unwrap()[0])).await.status(),
        StatusCode::FORBIDDEN
    );
    let openapi: serde_json::Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    assert!(openapi["paths"]["/api/v1/cycles/{id}"].is_object());
    assert!(openapi["components"]["schemas"]["RecheckNeeds"].is_object());
}

on_both_backends!(
    cycles_and_the_rechecks_they_need_reach_the_api_scoped_to_the_users_services,
    health_says_the_server_is_alive_and_readiness_that_its_database_is_ready,
    every_answer_carries_the_security_headers_and_pages_allow_only_their_own_inline_code,
    the_recorder_page_is_rendered_on_the_server_with_the_provider_s_services,
    a_manager_s_home_is_their_dashboard_and_nobody_else_s_is,
    the_home_page_draws_the_recorder_s_first_step_with_the_user_s_own_staff,
    the_themes_page_shows_every_criterion_descriptor,
    an_unknown_address_gets_a_404_page,
    pages_are_compressed_for_browsers_that_accept_it,
    static_files_are_served_from_the_site_root,
    malformed_requests_get_a_4xx_with_a_reason,
);
