//! Signing in and out over the JSON API, as the offline client and integrators do, on each
//! backend: sessions, throttling, expiry, a second server instance, and CSRF refusal.

mod support;

use recheck_app::domain::access::Role;
use recheck_app::domain::audit::{AuditFilter, Author};
use recheck_server::client_address::TrustedProxies;
use recheck_server::sessions::{COOKIE_NAME, HTTPS_COOKIE_NAME, SessionSettings};
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, LOCATION, ORIGIN, RETRY_AFTER, SET_COOKIE};
use serde_json::{Value, json};
use std::time::Duration;
use support::{PASSWORD, TestApp, TestDatabase};

/// How many wrong guesses one client may make at one account before it must wait.
const FIRST_ALLOWANCE: usize = 5;

async fn body(response: reqwest::Response) -> Value {
    response.json().await.expect("a JSON body")
}

async fn signing_in_sets_an_http_only_cookie_and_says_who_is_signed_in(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let home = app.add_service("Larch House").await;
    app.add_user("bethan@example.org", &[Role::ShiftLeader], &[home.id]).await;

    let response = app.sign_in_with(&app.client, "Bethan@Example.org", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(cookie.starts_with(&format!("{COOKIE_NAME}=")), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP here: {cookie}");
    assert!(response.headers().get("strict-transport-security").is_none(), "nor HSTS over plain HTTP");
    let me = body(response).await;
    assert_eq!(me["email"], "bethan@example.org");
    assert_eq!(me["roles"], serde_json::json!(["shift-leader"]));
    assert_eq!(me["service_ids"], serde_json::json!([home.id]));
    assert_eq!(me["all_services"], false);

    let who = app.client.get(app.url("/api/v1/session")).send().await.unwrap();
    assert_eq!(who.status(), StatusCode::OK);
    assert_eq!(body(who).await["email"], "bethan@example.org");
}

async fn over_https_the_cookie_is_secure_and_host_only(database: TestDatabase) {
    let settings = SessionSettings { over_https: true, ..SessionSettings::default() };
    let app = TestApp::spawn_with(database, settings).await;
    app.add_user("a@example.org", &[Role::ProviderAdmin], &[]).await;
    let response = app.sign_in_with(&TestApp::new_client(), "a@example.org", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()[SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with(&format!("{HTTPS_COOKIE_NAME}=")), "{cookie}");
    // What browsers demand of a __Host- cookie: Secure, the whole site, no Domain.
    assert!(cookie.contains("; Secure") && cookie.contains("; Path=/") && !cookie.contains("Domain"), "{cookie}");
    assert_eq!(response.headers()["strict-transport-security"], "max-age=63072000");
    assert_eq!(app.get("/healthz").await.headers()["strict-transport-security"], "max-age=63072000");
}

async fn a_wrong_password_and_an_unknown_email_get_the_same_answer(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    app.add_user("a@example.org", &[Role::ProviderAdmin], &[]).await;
    let wrong_password = app.sign_in_with(&app.client, "a@example.org", "not the password").await;
    let unknown_email = app.sign_in_with(&app.client, "nobody@example.org", "not the password").await;
    for response in [wrong_password, unknown_email] {
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(response.headers().get(SET_COOKIE).is_none());
        assert_eq!(body(response).await, serde_json::json!({ "error": "Wrong email or password." }));
    }
    let not_signed_in = app.client.get(app.url("/api/v1/session")).send().await.unwrap();
    assert_eq!(not_signed_in.status(), StatusCode::UNAUTHORIZED);
    let filter = AuditFilter { action_prefix: Some("login".into()), limit: 10, ..Default::default() };
    let failures = app.database.storage.audit.audit_events(&filter);
    assert_eq!(failures.await.unwrap().len(), 2, "both failures are in the audit trail");
}

async fn repeated_failures_for_one_account_are_throttled(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    app.add_user("a@example.org", &[Role::ProviderAdmin], &[]).await;
    for _ in 0..FIRST_ALLOWANCE {
        let response = app.sign_in_with(&app.client, "a@example.org", "guess guess guess").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let throttled = app.sign_in_with(&app.client, "a@example.org", PASSWORD).await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    assert_eq!(throttled.headers()[RETRY_AFTER], "900");
    assert_eq!(body(throttled).await["error"], "Too many failed sign-ins. Try again in 15 minutes.");
}

async fn parallel_guesses_for_one_account_are_judged_no_more_often_than_the_limit(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    app.add_user("a@example.org", &[Role::ProviderAdmin], &[]).await;
    let guesses: Vec<_> = (0..40)
        .map(|guess| {
            let (client, url) = (TestApp::new_client(), app.url("/api/v1/session"));
            tokio::spawn(async move {
                let credentials = json!({ "email": "a@example.org", "password": format!("guess number {guess}") });
                client.post(url).json(&credentials).send().await.unwrap().status()
            })
        })
        .collect();
    let mut judged = 0;
    for guess in guesses {
        match guess.await.unwrap() {
            StatusCode::UNAUTHORIZED => judged += 1,
            status => assert_eq!(status, StatusCode::TOO_MANY_REQUESTS),
        }
    }
    assert_eq!(judged, FIRST_ALLOWANCE, "each guess is counted before it is judged");
    // A right password, signed in once the guesses are over, takes its own attempt back.
    let other = app.add_user("b@example.org", &[Role::ProviderAdmin], &[]).await;
    for _ in 0..FIRST_ALLOWANCE + 1 {
        assert_eq!(
            app.sign_in_with(&TestApp::new_client(), other.email.as_str(), PASSWORD).await.status(),
            StatusCode::OK
        );
    }
}

async fn lapsed_sessions_and_old_failures_are_purged_by_one_instance_and_made_up_cookies_leave_none(
    database: TestDatabase,
) {
    use recheck_server::housekeeping::tidy;
    let app = TestApp::spawn(database).await;
    app.add_user("a@example.org", &[Role::ProviderAdmin], &[]).await;
    // Made-up cookies on the health check, a release file and a page keep nothing.
    for path in ["/healthz", "/sw.js", "/sign-in", "/api/v1/session"] {
        for made_up in 0..5 {
            let cookie = format!("{COOKIE_NAME}=made-up-{made_up}");
            app.client.get(app.url(path)).header("cookie", cookie).send().await.unwrap();
        }
    }
    assert_eq!(
        app.sign_in_with(&app.client, "a@example.org", "guess guess guess").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.sign_in_with(&TestApp::new_client(), "a@example.org", PASSWORD).await.status(), StatusCode::OK);
    let storage = &app.database.storage;
    assert_eq!(tidy(storage, "first").await.unwrap().map(|purged| purged.sessions), Some(0), "nothing lapsed yet");
    // A day later the session has lapsed and the failed attempt counts for no throttle (the
    // sign-in that followed cleared the account's; its address's is left): the instance that
    // takes the lease purges both, and another instance leaves the work to it meanwhile.
    app.database.clock.advance_ms(24 * 3_600_000 + 1);
    let purged = tidy(storage, "second").await.unwrap().unwrap();
    assert_eq!((purged.sessions, purged.login_failures), (1, 2), "the guess, under its address and its account");
    assert_eq!(tidy(storage, "first").await.unwrap(), None, "the second instance holds the lease now");
}

/// Signs in over the API as if from `client`, through a proxy at the test's own address.
async fn sign_in_from(app: &TestApp, client: &str, password: &str) -> reqwest::Response {
    let credentials = json!({ "email": "a@example.org", "password": password });
    let request = TestApp::new_client().post(app.url("/api/v1/session")).header("x-forwarded-for", client);
    request.json(&credentials).send().await.unwrap()
}

async fn behind_a_trusted_proxy_a_guesser_slows_only_itself_and_waits_longer_each_time(database: TestDatabase) {
    let settings =
        SessionSettings { trusted_proxies: TrustedProxies::parse("127.0.0.1").unwrap(), ..SessionSettings::default() };
    let clock = database.clock.clone();
    let app = TestApp::spawn_with(database, settings).await;
    app.add_user("a@example.org", &[Role::ProviderAdmin], &[]).await;
    let guesser = "203.0.113.9";
    for _ in 0..FIRST_ALLOWANCE {
        assert_eq!(sign_in_from(&app, guesser, "guess guess guess").await.status(), StatusCode::UNAUTHORIZED);
    }
    let waiting = sign_in_from(&app, guesser, PASSWORD).await;
    assert_eq!(waiting.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(waiting.headers()[RETRY_AFTER], "900");
    // Everyone else reaches the server through the same proxy, the owner among them.
    assert_eq!(sign_in_from(&app, "198.51.100.7", PASSWORD).await.status(), StatusCode::OK);
    assert_eq!(sign_in_from(&app, "198.51.100.8", "a typo, once").await.status(), StatusCode::UNAUTHORIZED);
    // A quarter of an hour later the guesser has five more, then waits an hour.
    clock.advance_ms(15 * 60_000 + 1_000);
    for _ in 0..FIRST_ALLOWANCE {
        assert_eq!(sign_in_from(&app, guesser, "guess guess guess").await.status(), StatusCode::UNAUTHORIZED);
    }
    let waiting_longer = sign_in_from(&app, guesser, PASSWORD).await;
    assert_eq!(waiting_longer.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(waiting_longer.headers()[RETRY_AFTER], "3600");
    assert_eq!(body(waiting_longer).await["error"], "Too many failed sign-ins. Try again in 60 minutes.");
    assert_eq!(sign_in_from(&app, "198.51.100.7", PASSWORD).await.status(), StatusCode::OK, "still not the owner");
}

async fn an_email_too_long_for_any_account_is_refused_before_the_throttle_and_the_audit_trail(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    app.add_user("a@example.org", &[Role::ProviderAdmin], &[]).await;
    let too_long = format!("{}@example.org", "x".repeat(300));
    for _ in 0..25 {
        assert_eq!(
            app.sign_in_with(&app.client, &too_long, "guess guess guess").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // More than the address's 20 failures, yet the address is not throttled and nothing was written.
    assert_eq!(app.sign_in_with(&app.client, "a@example.org", PASSWORD).await.status(), StatusCode::OK);
    let failed = AuditFilter { action_prefix: Some("login.failed".into()), limit: 50, ..Default::default() };
    assert!(app.database.storage.audit.audit_events(&failed).await.unwrap().is_empty());
}

async fn signing_out_ends_the_session_on_the_server(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    app.add_user("admin@example.org", &[Role::ProviderAdmin], &[]).await;
    let signed_in = app.sign_in_with(&app.client, "admin@example.org", PASSWORD).await;
    let cookie = signed_in
        .headers()
        .get(SET_COOKIE)
        .map(|value| value.to_str().unwrap().split(';').next().unwrap().to_owned())
        .expect("signing in sets the session cookie");
    // Use does not write the session back (only changes do), so the cookie stays as it was set.
    let used = app.client.get(app.url("/api/v1/session")).send().await.unwrap();
    assert_eq!(used.status(), StatusCode::OK);
    assert!(used.headers().get(SET_COOKIE).is_none());
    let signed_out = app.client.delete(app.url("/api/v1/session")).send().await.unwrap();
    assert_eq!(signed_out.status(), StatusCode::NO_CONTENT);
    // Replaying the old cookie from another client proves the server forgot the session.
    let replay = TestApp::new_client().get(app.url("/api/v1/session")).header("cookie", cookie).send().await.unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
}

async fn a_session_lapses_after_the_idle_time(database: TestDatabase) {
    let settings = SessionSettings { idle_timeout: Duration::from_secs(12 * 3600), ..SessionSettings::default() };
    let clock = database.clock.clone();
    let app = TestApp::spawn_with(database, settings).await;
    app.sign_in_as(&[Role::ProviderAdmin], &[]).await;
    let hours = |n: i64| n * 3_600_000;
    clock.advance_ms(hours(8));
    let active = app.client.get(app.url("/api/v1/session")).send().await.unwrap();
    assert_eq!(active.status(), StatusCode::OK, "use keeps it alive");
    clock.advance_ms(hours(8));
    let still_active = app.client.get(app.url("/api/v1/session")).send().await.unwrap();
    assert_eq!(still_active.status(), StatusCode::OK, "16 hours after sign-in, but 8 after last use");
    clock.advance_ms(hours(12) + 60_000);
    let lapsed = app.client.get(app.url("/api/v1/session")).send().await.unwrap();
    assert_eq!(lapsed.status(), StatusCode::UNAUTHORIZED);
}

async fn a_session_ends_seven_days_after_signing_in_however_active(database: TestDatabase) {
    let clock = database.clock.clone();
    let app = TestApp::spawn(database).await;
    app.sign_in_as(&[Role::ProviderAdmin], &[]).await;
    // Used every 8 hours, well inside the idle time, for a week.
    for _ in 0..20 {
        clock.advance_ms(8 * 3_600_000);
        let active = app.client.get(app.url("/api/v1/session")).send().await.unwrap();
        assert_eq!(active.status(), StatusCode::OK, "160 hours at most");
    }
    clock.advance_ms(8 * 3_600_000);
    let ended = app.client.get(app.url("/api/v1/session")).send().await.unwrap();
    assert_eq!(ended.status(), StatusCode::UNAUTHORIZED, "168 hours after signing in");
    let page = app.client.get(app.url("/checks")).header(ACCEPT, "text/html").send().await.unwrap();
    assert!(page.headers()[LOCATION].to_str().unwrap().starts_with("/sign-in"), "and stays ended");
}

async fn a_new_password_or_a_lost_role_ends_the_users_other_sessions(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    app.sign_in_as(&[Role::ProviderAdmin], &[]).await;
    let ann = app.add_user("ann@example.org", &[Role::QualityLead, Role::ProviderAdmin], &[]).await;
    let (laptop, tablet) = (TestApp::new_client(), TestApp::new_client());
    for device in [&laptop, &tablet] {
        assert_eq!(app.sign_in_with(device, "ann@example.org", PASSWORD).await.status(), StatusCode::OK);
    }
    let signed_in = |client: &reqwest::Client| {
        let request = client.get(app.url("/api/v1/session"));
        async move { request.send().await.unwrap().status() == StatusCode::OK }
    };
    // Changing her own password on the laptop ends the tablet's session, not the laptop's.
    let new_password = "a brand new passphrase";
    let change = json!({ "fields": [["current", PASSWORD], ["new", new_password], ["confirm", new_password]] });
    let changed = laptop.post(app.url("/fn/account/change_password")).json(&change).send().await.unwrap();
    assert_eq!(changed.status(), StatusCode::OK, "{}", changed.text().await.unwrap());
    assert!(signed_in(&laptop).await && !signed_in(&tablet).await);
    // A one-time password from an administrator ends every session she has.
    let reset = json!({ "fields": [["user_id", ann.id.to_string()]] });
    let answer = app.client.post(app.url("/fn/admin/reset_password")).json(&reset).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(!signed_in(&laptop).await);
    // So does losing a role; a change that takes nothing away leaves her signed in.
    let storage = &app.database.storage;
    storage
        .set_password(ann.id, &recheck_app::auth::own_password(PASSWORD), &Author::system("test"), None)
        .await
        .unwrap();
    assert_eq!(app.sign_in_with(&tablet, "ann@example.org", PASSWORD).await.status(), StatusCode::OK);
    let mut renamed = recheck_app::domain::account::NewUser::new(
        ann.email.clone(),
        recheck_app::domain::text::Name::parse("Name", "Ann Renamed").unwrap(),
        ann.roles.clone(),
        vec![],
    )
    .unwrap();
    renamed.id = ann.id;
    storage.update_user(renamed.clone(), false, &Author::system("test")).await.unwrap();
    assert!(signed_in(&tablet).await, "nothing was taken away");
    renamed.roles = vec![Role::QualityLead];
    storage.update_user(renamed, false, &Author::system("test")).await.unwrap();
    assert!(!signed_in(&tablet).await, "the provider admin role was taken away");
}

async fn reading_a_session_never_undoes_a_change_made_meanwhile(database: TestDatabase) {
    // A page that only reads the session (or a device syncing in the background) and a save that
    // leaves a notice, at the same moment: the notice is still there afterwards.
    let app = TestApp::spawn(database).await;
    app.sign_in_as(&[Role::ProviderAdmin], &[]).await;
    let service = app.add_service("Larch House").await;
    let form = serde_json::json!({ "fields": [
        ["id", service.id.to_string()], ["name", "Larch House"], ["time_zone", "Europe/London"],
        ["shifts.0.kind", "Long day"], ["shifts.0.start", "08:00"], ["shifts.0.end", "20:00"],
        ["shifts.1.kind", "Night"], ["shifts.1.start", "20:00"], ["shifts.1.end", "08:00"], ["weekend", "Sunday"],
    ] });
    let reads: Vec<_> = (0..12)
        .map(|_| {
            let (client, url) = (app.client.clone(), app.url("/api/v1/reference"));
            tokio::spawn(async move { client.get(url).send().await.map(|response| response.status()) })
        })
        .collect();
    let saved = app.client.post(app.url("/fn/admin/save_service")).json(&form).send().await.unwrap();
    assert_eq!(saved.status(), StatusCode::OK);
    for read in reads {
        assert_eq!(read.await.unwrap().unwrap(), StatusCode::OK);
    }
    let page = app.client.get(app.url("/admin/services")).header(ACCEPT, "text/html").send().await.unwrap();
    assert!(page.text().await.unwrap().contains("Saved Larch House."), "the notice survived the reads");
}

async fn a_second_server_instance_on_the_same_database_accepts_the_session(database: TestDatabase) {
    let second_storage = database.reopen().await;
    let first = TestApp::spawn(database).await;
    first.add_user("ql@example.org", &[Role::QualityLead], &[]).await;
    let signed_in = first.sign_in_with(&first.client, "ql@example.org", PASSWORD).await;
    let second = support::serve(second_storage, SessionSettings::default()).await;
    let cookie = signed_in.headers()[SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let on_second = TestApp::new_client()
        .get(format!("http://{second}/api/v1/session"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(on_second.status(), StatusCode::OK);
    assert_eq!(body(on_second).await["roles"], serde_json::json!(["quality-lead"]));
}

async fn pages_send_people_who_are_not_signed_in_to_sign_in(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let browser_visit = app.client.get(app.url("/themes")).header(ACCEPT, "text/html,*/*").send().await.unwrap();
    assert_eq!(browser_visit.status(), StatusCode::FOUND);
    assert_eq!(browser_visit.headers()[LOCATION], "/sign-in?next=/themes");
    assert!(!browser_visit.text().await.unwrap().contains("Respectful communication"), "no themes for strangers");
    let sign_in = app.get("/sign-in").await;
    assert_eq!(sign_in.status(), StatusCode::OK);
    assert!(sign_in.text().await.unwrap().contains(r#"autocomplete="current-password""#));
    let data = app
        .client
        .post(app.url("/fn/account/change_password"))
        .json(&serde_json::json!({ "fields": [] }))
        .send()
        .await
        .unwrap();
    assert_eq!(data.status(), StatusCode::UNAUTHORIZED, "server functions refuse too");
}

async fn state_changing_requests_from_another_site_are_refused(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    app.add_user("a@example.org", &[Role::ProviderAdmin], &[]).await;
    let body_json = serde_json::json!({ "email": "a@example.org", "password": PASSWORD });
    let forged = app
        .client
        .post(app.url("/api/v1/session"))
        .header(ORIGIN, "https://evil.example")
        .json(&body_json)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(forged.headers().get(SET_COOKIE).is_none());
    assert_eq!(body(forged).await["error"], "Refused: this request came from another website.");

    let same_site = format!("http://{}", app.address);
    let genuine =
        app.client.post(app.url("/api/v1/session")).header(ORIGIN, same_site).json(&body_json).send().await.unwrap();
    assert_eq!(genuine.status(), StatusCode::OK);
    let forged_sign_out =
        app.client.delete(app.url("/api/v1/session")).header("sec-fetch-site", "cross-site").send().await.unwrap();
    assert_eq!(forged_sign_out.status(), StatusCode::FORBIDDEN);
    let still_signed_in = app.client.get(app.url("/api/v1/session")).send().await.unwrap();
    assert_eq!(still_signed_in.status(), StatusCode::OK);
    let forged_server_function =
        app.client.post(app.url("/fn/sign_out")).header(ORIGIN, "https://evil.example").send().await.unwrap();
    assert_eq!(forged_server_function.status(), StatusCode::FORBIDDEN);
    // A browser that says nothing of where a write came from is not believed; a client that is
    // no browser is judged by its session alone.
    let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    let unsaid = app.client.delete(app.url("/api/v1/session")).header("user-agent", firefox).send().await.unwrap();
    assert_eq!(unsaid.status(), StatusCode::FORBIDDEN);
    let script = app.client.delete(app.url("/api/v1/session")).header("user-agent", "curl/8.5.0").send().await.unwrap();
    assert_eq!(script.status(), StatusCode::NO_CONTENT);
}

async fn server_functions_take_only_a_form_or_json(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    app.sign_in_as(&[Role::ProviderAdmin], &[]).await;
    let service_form = r#"{"fields":[["name","Larch House"],["time_zone","Europe/London"]]}"#;
    // text/plain is what another site's form can send without the browser asking first.
    for content_type in ["text/plain", "application/octet-stream"] {
        let sent = app
            .client
            .post(app.url("/fn/admin/save_service"))
            .header("content-type", content_type)
            .body(service_form)
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type}");
        assert!(body(sent).await["error"].as_str().unwrap().contains("takes a form or JSON"));
    }
    let unlabelled = app.client.post(app.url("/fn/admin/save_service")).body(service_form).send().await.unwrap();
    assert_eq!(unlabelled.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(app.database.storage.organisation.services().await.unwrap().is_empty(), "nothing was saved");
}

async fn the_sign_in_form_redirects_back_with_a_reason_or_on_to_the_page_asked_for(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    app.add_user("a@example.org", &[Role::ProviderAdmin], &[]).await;
    let form = |password: &'static str| [("email", "a@example.org"), ("password", password), ("next", "/themes")];
    let refused = app.client.post(app.url("/sign-in")).form(&form("wrong password!")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::SEE_OTHER);
    assert_eq!(refused.headers()[LOCATION], "/sign-in?error=wrong&next=/themes");
    let refused_page = app.get("/sign-in?error=wrong&next=/themes").await.text().await.unwrap();
    assert!(refused_page.contains("Wrong email or password."));

    let accepted = app.client.post(app.url("/sign-in")).form(&form(PASSWORD)).send().await.unwrap();
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    assert_eq!(accepted.headers()[LOCATION], "/themes");
    let themes = app.client.get(app.url("/themes")).header(ACCEPT, "text/html").send().await.unwrap();
    assert_eq!(themes.status(), StatusCode::OK);
    assert!(themes.text().await.unwrap().contains("Respectful communication"));

    let offsite = [("email", "a@example.org"), ("password", PASSWORD), ("next", "https://evil.example/")];
    let not_offsite = app.client.post(app.url("/sign-in")).form(&offsite).send().await.unwrap();
    assert_eq!(not_offsite.headers()[LOCATION], "/");
    // Browsers drop tabs and line breaks from a URL, so these would lead to evil.example; a
    // control character in the Location header made a 500.
    for crafted in ["/\t/evil.example/login", "/\r\n/evil.example", "/\u{7}/evil.example"] {
        let asked = [("email", "a@example.org"), ("password", PASSWORD), ("next", crafted)];
        let answer = app.client.post(app.url("/sign-in")).form(&asked).send().await.unwrap();
        assert_eq!((answer.status(), &answer.headers()[LOCATION]), (StatusCode::SEE_OTHER, &"/".parse().unwrap()));
        let wrong = [("email", "a@example.org"), ("password", "wrong password!"), ("next", crafted)];
        let answer = app.client.post(app.url("/sign-in")).form(&wrong).send().await.unwrap();
        assert_eq!(answer.headers()[LOCATION], "/sign-in?error=wrong&next=/", "{crafted:?}");
    }
    let page = app.get("/sign-in?next=/%09/evil.example/login").await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(!page.text().await.unwrap().contains("evil.example"));

    let signed_out = app.client.post(app.url("/sign-out")).send().await.unwrap();
    assert_eq!(signed_out.status(), StatusCode::SEE_OTHER);
    assert_eq!(signed_out.headers()[LOCATION], "/sign-in");
    let after = app.client.get(app.url("/api/v1/session")).send().await.unwrap();
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
}

/// Each answer the OpenAPI description documents for a malformed sign-in.
async fn malformed_sign_in_requests_get_a_4xx_with_a_reason(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    for (content_type, sent, expected) in [
        ("application/json", "{\"email\":", StatusCode::BAD_REQUEST),
        ("text/plain", r#"{"email":"a@example.org","password":"x"}"#, StatusCode::UNSUPPORTED_MEDIA_TYPE),
        ("application/json", "{}", StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let response = app
            .client
            .post(app.url("/api/v1/session"))
            .header("content-type", content_type)
            .body(sent)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), expected, "{sent}");
        assert!(!response.text().await.unwrap().is_empty());
    }
}

async fn the_openapi_description_documents_the_session_endpoints(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let document = body(app.get("/api/v1/openapi.json").await).await;
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    let session = &document["paths"]["/api/v1/session"];
    for method in ["get", "post", "delete"] {
        assert!(session[method].is_object(), "{method} is documented");
    }
    for status in ["200", "400", "401", "403", "415", "422", "429"] {
        assert!(session["post"]["responses"][status].is_object(), "{status} is documented");
    }
}

on_both_backends!(
    signing_in_sets_an_http_only_cookie_and_says_who_is_signed_in,
    over_https_the_cookie_is_secure_and_host_only,
    behind_a_trusted_proxy_a_guesser_slows_only_itself_and_waits_longer_each_time,
    server_functions_take_only_a_form_or_json,
    a_wrong_password_and_an_unknown_email_get_the_same_answer,
    repeated_failures_for_one_account_are_throttled,
    parallel_guesses_for_one_account_are_judged_no_more_often_than_the_limit,
    lapsed_sessions_and_old_failures_are_purged_by_one_instance_and_made_up_cookies_leave_none,
    an_email_too_long_for_any_account_is_refused_before_the_throttle_and_the_audit_trail,
    signing_out_ends_the_session_on_the_server,
    a_session_lapses_after_the_idle_time,
    a_session_ends_seven_days_after_signing_in_however_active,
    a_new_password_or_a_lost_role_ends_the_users_other_sessions,
    reading_a_session_never_undoes_a_change_made_meanwhile,
    a_second_server_instance_on_the_same_database_accepts_the_session,
    pages_send_people_who_are_not_signed_in_to_sign_in,
    state_changing_requests_from_another_site_are_refused,
    malformed_sign_in_requests_get_a_4xx_with_a_reason,
    the_sign_in_form_redirects_back_with_a_reason_or_on_to_the_page_asked_for,
    the_openapi_description_documents_the_session_endpoints,
);

/// A store that keeps nothing: enough to watch whether a session would be saved.
#[derive(Debug, Clone)]
struct KeepsNothing;

#[async_trait::async_trait]
impl tower_sessions::SessionStore for KeepsNothing {
    async fn save(&self, _: &tower_sessions::session::Record) -> tower_sessions::session_store::Result<()> {
        Ok(())
    }

    async fn load(
        &self,
        _: &tower_sessions::session::Id,
    ) -> tower_sessions::session_store::Result<Option<tower_sessions::session::Record>> {
        Ok(None)
    }

    async fn delete(&self, _: &tower_sessions::session::Id) -> tower_sessions::session_store::Result<()> {
        Ok(())
    }
}

/// A page that looks for a notice or a refused form's echo and finds none must leave its session
/// unchanged, or saving it would overwrite what a request running at the same time had kept.
#[tokio::test]
async fn taking_what_is_not_there_leaves_the_session_unchanged() {
    use recheck_app::components::form::take_from_session;
    let session = tower_sessions::Session::new(None, std::sync::Arc::new(KeepsNothing), None);
    assert_eq!(take_from_session::<String>(&session, "notice").await, None);
    assert!(!session.is_modified(), "nothing was there, so nothing changed");
    let fresh = tower_sessions::Session::new(None, std::sync::Arc::new(KeepsNothing), None);
    fresh.insert("notice", "Saved Larch House.").await.unwrap();
    assert_eq!(take_from_session::<String>(&fresh, "notice").await.as_deref(), Some("Saved Larch House."));
    assert!(fresh.is_modified());
    assert_eq!(take_from_session::<String>(&fresh, "notice").await, None, "taken once");
}
