//! Early warnings over HTTP, on the demonstration history: raised from the records, never
//! duplicated, acknowledged or dismissed with a note (audited), and gone once a cycle is opened.

mod support;

use recheck_app::domain::access::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{TestApp, TestDatabase};

fn fields(pairs: &[(&str, &str)]) -> Value {
    json!({ "fields": pairs.iter().map(|(name, value)| [name, value]).collect::<Vec<_>>() })
}

fn urlencoding(text: &str) -> String {
    text.replace(':', "%3A")
}

async fn warnings(app: &TestApp) -> Vec<Value> {
    let response = app.client.get(app.url("/api/v1/warnings")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json::<Value>().await.unwrap().as_array().unwrap().clone()
}

async fn html(app: &TestApp, path: &str) -> String {
    app.client.get(app.url(path)).header("accept", "text/html").send().await.unwrap().text().await.unwrap()
}

async fn decide(app: &TestApp, key: &str, decision: &str, note: &str) -> (StatusCode, Value) {
    let field = if decision == "dismissed" { "reason" } else { "note" };
    let body = fields(&[("key", key), ("decision", decision), (field, note)]);
    let response = app.client.post(app.url("/fn/warnings/decide")).json(&body).send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn warnings_are_raised_decided_and_answered_by_a_cycle(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    recheck_server::demo::load(app.database.storage.as_ref(), true).await.unwrap();
    let storage = &app.database.storage;
    let larch = storage.organisation.services().await.unwrap().into_iter().find(|s| s.name == "Larch House").unwrap();
    let staff = storage.organisation.staff_members(None).await.unwrap();
    let hana = staff.iter().find(|member| member.name == "Hana Kimura").unwrap().id.to_string();
    app.sign_in_as(&[Role::DeputyManager], &[larch.id]).await;

    // Hana Kimura's two weak checks in four weeks, with no cycle open for her.
    let raised = warnings(&app).await;
    let hanas = raised
        .iter()
        .find(|current| {
            current["warning"]["kind"] == "repeated_weak" && current["warning"]["staff_id"] == hana.as_str()
        })
        .expect("Hana's repeated weak checks")
        .clone();
    assert!(hanas["warning"]["check_ids"].as_array().unwrap().len() >= 2);
    // Someone at Larch House has gone three months without an observation on a theme.
    let gap = raised
        .iter()
        .find(|current| current["warning"]["kind"] == "coverage_gap")
        .expect("a coverage gap at Larch House");
    let missed = gap["warning"]["finding"]["not_observed"]["staff_ids"].as_array().expect("staff not observed");
    assert!(!missed.is_empty() && gap["warning"]["theme_id"].is_string(), "{gap}");
    assert!(hanas["decision"].is_null());
    assert!(raised.iter().all(|current| current["warning"]["service_id"] == larch.id.to_string()), "own service only");
    // Worked out again, the same warnings: none is duplicated.
    let keys =
        |list: &[Value]| list.iter().map(|c| c["warning"]["key"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    assert_eq!(keys(&warnings(&app).await), keys(&raised));
    let mut unique = keys(&raised);
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), raised.len());

    let page = html(&app, "/warnings").await;
    assert!(page.contains("Hana Kimura had"), "{page}");
    assert!(page.contains("Open an improvement cycle"));
    assert!(page.contains("not been observed on") && page.contains("See the coverage"), "{page}");
    assert!(!page.contains("name=\"note\""), "no decision form until one is asked for");
    let deciding =
        html(&app, &format!("/warnings?decide={}", urlencoding(hanas["warning"]["key"].as_str().unwrap()))).await;
    assert_eq!(deciding.matches("name=\"note\"").count(), 1, "one warning's forms at a time");
    assert!(html(&app, "/").await.contains("Warnings to act on"));

    // A decision needs a note, and a warning that is current.
    let key = hanas["warning"]["key"].as_str().unwrap();
    let (status, body) = decide(&app, key, "acknowledged", "  ").await;
    assert_eq!(
        (status, body["Invalid"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("note")),
        "{body}"
    );
    let (status, _) = decide(&app, key, "ignored", "Because.").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = decide(&app, "repeated_weak:made-up", "acknowledged", "Seen.").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = decide(&app, key, "acknowledged", "Supervision booked for Friday.").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let after = warnings(&app).await;
    let acknowledged = after.iter().find(|current| current["warning"]["key"] == key).unwrap();
    assert_eq!(acknowledged["decision"]["decision"], "acknowledged");
    assert!(html(&app, "/warnings").await.contains("Supervision booked for Friday."));
    assert!(!html(&app, "/").await.contains("Hana Kimura had"), "acknowledged: off the home page");

    // Dismissed, a warning leaves the list; the reason is in the audit trail.
    let other = after.iter().find(|current| current["decision"].is_null()).expect("another warning to dismiss");
    let other_key = other["warning"]["key"].as_str().unwrap();
    assert_eq!(decide(&app, other_key, "dismissed", "Seen at the team meeting.").await.0, StatusCode::OK);
    let listed = html(&app, "/warnings").await;
    assert!(listed.contains("1 dismissed"));
    let still_open = after.iter().filter(|current| current["decision"].is_null()).count() - 1;
    let expected = match still_open {
        0 => "No warnings to act on.".to_owned(),
        1 => "1 warning to act on.".to_owned(),
        n => format!("{n} warnings to act on."),
    };
    assert!(listed.contains(&expected), "a dismissed warning leaves the list: {expected}");
    let trail = storage
        .audit
        .audit_events(&recheck_app::domain::audit::AuditFilter {
            action_prefix: Some("warning".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(trail.iter().any(|event| event.action == "warning.acknowledged"));

    // Opening a cycle for Hana on that theme answers the warning: it is no longer raised.
    let theme = hanas["warning"]["theme_id"].as_str().unwrap();
    let last_check = hanas["warning"]["check_ids"].as_array().unwrap().last().unwrap().as_str().unwrap().to_owned();
    let opening = fields(&[
        ("service", &larch.id.to_string()),
        ("theme", theme),
        ("staff", &hana),
        ("concern", "Two weak checks in four weeks."),
        ("source_checks", &last_check),
    ]);
    let response = app.client.post(app.url("/fn/cycles/open")).json(&opening).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{}", response.text().await.unwrap());
    assert!(warnings(&app).await.iter().all(|current| current["warning"]["key"] != key));
}

/// Unannounced checks at a new service fall clearly short of announced ones: an observer effect.
async fn a_warning_about_a_group_links_to_its_checks_and_opens_a_cycle(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let service = app.add_service("Larch House").await.id;
    let staff = [app.add_staff("Ann Abbot", &[service]).await.id, app.add_staff("Ben Birch", &[service]).await.id];
    let shift_leader = TestApp::new_client();
    app.add_user("leader@example.org", &[Role::ShiftLeader], &[service]).await;
    app.sign_in_with(&shift_leader, "leader@example.org", support::PASSWORD).await;
    let reference: Value = shift_leader.get(app.url("/api/v1/reference")).send().await.unwrap().json().await.unwrap();
    let theme = &reference["themes"][0];
    for i in 0..30_i64 {
        let announced = i % 2 == 0;
        let score = if announced { 4 } else { 2 };
        let about = (service, staff[(i % 4 / 2) as usize], theme);
        app.send_observation(&shift_leader, about, |_| score, announced, 60 + i * 24 * 60).await;
    }
    app.sign_in_as(&[Role::DeputyManager], &[service]).await;
    let raised = warnings(&app).await;
    let effect = raised
        .iter()
        .find(|current| current["warning"]["kind"] == "observer_effect")
        .unwrap_or_else(|| panic!("15 unannounced checks all below the standard, 15 announced all above: {raised:?}"));
    assert_eq!(effect["warning"]["finding"]["lower_share"]["group"]["checks"], 15);

    let listed = html(&app, "/warnings").await;
    let at = listed.find("The 15 checks behind it").unwrap_or_else(|| panic!("{listed}"));
    let href_start = listed[..at].rfind("href=\"/checks?").unwrap() + "href=\"".len();
    let href = listed[href_start..].split('"').next().unwrap().replace("&amp;", "&");
    assert!(href.contains("announced=no") && href.contains("from="), "{href}");
    let checks = html(&app, &href).await;
    assert!(checks.contains("15 checks."), "{href} lists the unannounced checks: {checks}");
    let opening = listed[listed.find("/cycles/new?service=").expect("a cycle offered")..]
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    let form = html(&app, &opening).await;
    assert!(form.contains("Unannounced checks on"), "the concern starts from the finding: {form}");
    assert!(form.contains(&format!("value=\"{}\" selected", theme["id"].as_str().unwrap())), "the theme is chosen");
}

async fn a_warning_is_decided_through_the_api(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    recheck_server::demo::load(app.database.storage.as_ref(), true).await.unwrap();
    let storage = &app.database.storage;
    let larch = storage.organisation.services().await.unwrap().into_iter().find(|s| s.name == "Larch House").unwrap();
    app.sign_in_as(&[Role::RegisteredManager], &[larch.id]).await;
    let raised = warnings(&app).await;
    let key = raised[0]["warning"]["key"].as_str().unwrap().to_owned();
    let send = |body: Value| {
        let request = app.client.post(app.url("/api/v1/warnings/decisions")).json(&body);
        async move {
            let response = request.send().await.unwrap();
            (response.status(), response.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (status, body) = send(json!({ "key": key, "decision": "dismissed", "note": " " })).await;
    assert_eq!(
        (status, body["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("note")),
        "{body}"
    );
    let (status, _) = send(json!({ "key": key, "decision": "shelved", "note": "Later." })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = send(json!({ "key": "coverage_gap:made-up", "decision": "dismissed", "note": "No." })).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = send(json!({ "key": key })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "no decision or note");
    let (status, kept) = send(json!({ "key": key, "decision": "acknowledged", "note": "Observations planned." })).await;
    assert_eq!(status, StatusCode::CREATED, "{kept}");
    assert_eq!(
        (kept["decision"].as_str(), kept["note"].as_str()),
        (Some("acknowledged"), Some("Observations planned."))
    );
    let listed = warnings(&app).await;
    let decided = listed.iter().find(|current| current["warning"]["key"] == key.as_str()).unwrap();
    assert_eq!(decided["decision"]["decided_by"]["name"], kept["decided_by"]["name"]);
    // Decided again, the later decision stands in place of the first.
    let (status, _) = send(json!({ "key": key, "decision": "dismissed", "note": "Covered by the new rota." })).await;
    assert_eq!(status, StatusCode::CREATED);
    let listed = warnings(&app).await;
    let decided = listed.iter().find(|current| current["warning"]["key"] == key.as_str()).unwrap();
    assert_eq!(decided["decision"]["note"], "Covered by the new rota.");
}

async fn team_leaders_and_shift_leaders_do_not_act_on_warnings(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let service = app.add_service("Larch House").await.id;
    for role in [Role::TeamLeader, Role::ShiftLeader] {
        let client = TestApp::new_client();
        let email = format!("{}@example.org", role.code());
        app.add_user(&email, &[role], &[service]).await;
        app.sign_in_with(&client, &email, support::PASSWORD).await;
        let page = client.get(app.url("/warnings")).header("accept", "text/html").send().await.unwrap();
        assert_eq!(page.status(), StatusCode::FORBIDDEN, "{role:?}");
        let body = fields(&[("key", "x"), ("decision", "dismissed"), ("reason", "No.")]);
        let decided = client.post(app.url("/fn/warnings/decide")).json(&body).send().await.unwrap();
        assert_eq!(decided.status(), StatusCode::FORBIDDEN, "{role:?}");
        let body = json!({ "key": "x", "decision": "dismissed", "note": "No." });
        let decided = client.post(app.url("/api/v1/warnings/decisions")).json(&body).send().await.unwrap();
        assert_eq!(decided.status(), StatusCode::FORBIDDEN, "{role:?} through the API");
    }
}

on_both_backends!(
    warnings_are_raised_decided_and_answered_by_a_cycle,
    a_warning_is_decided_through_the_api,
    a_warning_about_a_group_links_to_its_checks_and_opens_a_cycle,
    team_leaders_and_shift_leaders_do_not_act_on_warnings
);
