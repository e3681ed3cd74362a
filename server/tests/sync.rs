//! The offline client's API over HTTP on each backend: reference data, syncing checks (accepted,
//! duplicate, rejected with a reason, mixed batches, limits, an expired session, another
//! service's observer), and listing checks.

mod support;

use recheck_app::domain::access::Role;
use recheck_app::domain::audit::Author;
use recheck_app::domain::clock::Clock;
use recheck_app::domain::organisation::{NewStaffMember, Service};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{TestApp, TestDatabase};
use uuid::Uuid;

struct Setting {
    app: TestApp,
    home: Service,
    adam: Uuid,
    /// Cal Left, marked as having left at the clock's start.
    cal: Uuid,
    /// The first seed theme (a direct observation) and its criteria.
    theme: Value,
}

async fn setting(database: TestDatabase) -> Setting {
    let app = TestApp::spawn(database).await;
    let home = app.add_service("Larch House").await;
    let other = app.add_service("Brookside").await;
    let adam = app.add_staff("Adam Hale", &[home.id]).await;
    app.add_staff("Bea Ford", &[other.id]).await;
    let cal = app.add_staff("Cal Left", &[home.id]).await;
    let leaver = NewStaffMember { id: cal.id, ..support::staff_member("Cal Left", &[home.id]) };
    app.database.storage.update_staff_member(leaver, true, &Author::system("test")).await.unwrap();
    app.sign_in_as(&[Role::ShiftLeader], &[home.id]).await;
    let reference: Value = app.get("/api/v1/reference").await.json().await.unwrap();
    let theme = reference["themes"][0].clone();
    Setting { app, home, adam: adam.id, cal: cal.id, theme }
}

fn an_hour_ago() -> String {
    (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1)).to_string()
}

/// A complete observation of Adam against the first theme, every criterion rated 3.
fn check(setting: &Setting) -> Value {
    let ratings: Vec<Value> = setting.theme["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|criterion| json!({ "criterion_id": criterion["id"], "score": 3 }))
        .collect();
    json!({
        "id": Uuid::now_v7(),
        "service_id": setting.home.id,
        "staff_id": setting.adam,
        "theme_id": setting.theme["id"],
        "observed_at": an_hour_ago(),
        "announced": false,
        "ratings": ratings,
        "details": { "kind": "observation", "examples": "Knocked and waited.", "feedback_given": true, "feedback": "Said so." }
    })
}

async fn sync(app: &TestApp, client: &reqwest::Client, checks: Vec<Value>) -> (StatusCode, Value) {
    let response = client
        .post(app.url("/api/v1/sync"))
        .json(&json!({ "device_id": "tablet-1", "checks": checks }))
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn ids_of(checks: Vec<Value>) -> Vec<Value> {
    checks.into_iter().map(|check| check["id"].clone()).collect()
}

async fn listed(app: &TestApp, client: &reqwest::Client, query: &str) -> Vec<Value> {
    let response = client.get(app.url(&format!("/api/v1/checks{query}"))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json::<Vec<Value>>().await.unwrap()
}

async fn the_reference_data_is_the_users_services_current_staff_and_the_themes(database: TestDatabase) {
    let setting = setting(database).await;
    let reference: Value = setting.app.get("/api/v1/reference").await.json().await.unwrap();
    assert_eq!(reference["services"].as_array().unwrap().len(), 1);
    assert_eq!(reference["services"][0]["name"], "Larch House");
    assert_eq!(reference["services"][0]["time_zone"], "Europe/London");
    assert_eq!(reference["services"][0]["shift_pattern"]["shifts"][0]["start"], "07:00");
    let staff: Vec<&str> = reference["staff"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(staff, ["Adam Hale"], "no leavers, nobody from another service");
    assert_eq!(reference["staff"][0]["service_id"], json!(setting.home.id));
    assert_eq!(reference["themes"].as_array().unwrap().len(), 3);
    assert_eq!(setting.theme["kind"], "observation");
    assert!(setting.theme["criteria"][0]["descriptors"][3].as_str().unwrap().len() > 10);
    assert!(reference["staff"][0].get("last_observed_ms").is_none(), "nobody observed yet");
    let stranger = TestApp::new_client().get(setting.app.url("/api/v1/reference")).send().await.unwrap();
    assert_eq!(stranger.status(), StatusCode::UNAUTHORIZED);
}

async fn the_reference_data_says_when_each_person_was_last_observed(database: TestDatabase) {
    let setting = setting(database).await;
    let (earlier, mut later) = (check(&setting), check(&setting));
    let later_ms = jiff::Timestamp::now().as_millisecond() - 30 * 60_000;
    later["observed_at"] = json!(jiff::Timestamp::from_millisecond(later_ms).unwrap().to_string());
    sync(&setting.app, &setting.app.client, vec![earlier, later]).await;
    let reference: Value = setting.app.get("/api/v1/reference").await.json().await.unwrap();
    assert_eq!(reference["staff"][0]["last_observed_ms"], json!(later_ms), "the latest, whatever the order sent");
}

async fn a_check_is_accepted_once_then_a_duplicate_and_a_changed_copy_is_rejected(database: TestDatabase) {
    let setting = setting(database).await;
    let (app, client) = (&setting.app, &setting.app.client);
    let original = check(&setting);
    let (status, body) = sync(app, client, vec![original.clone()]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({ "results": [{ "id": original["id"], "status": "accepted" }] }));
    let (_, body) = sync(app, client, vec![original.clone()]).await;
    assert_eq!(body["results"][0]["status"], "duplicate");
    let mut changed = original.clone();
    changed["announced"] = json!(true);
    let (_, body) = sync(app, client, vec![changed]).await;
    assert_eq!(body["results"][0]["status"], "rejected");
    assert_eq!(body["results"][0]["reason"], "Another check already has this id");
    let checks = listed(app, client, "").await;
    assert_eq!(checks.len(), 1, "stored exactly once");
    assert_eq!(checks[0]["id"], original["id"]);
    assert_eq!(checks[0]["announced"], false);
    assert!(["early", "late", "night"].contains(&checks[0]["shift_kind"].as_str().unwrap()));
}

async fn a_leaver_s_checks_are_kept_from_before_they_left_and_refused_after(database: TestDatabase) {
    let setting = setting(database).await;
    let (app, client) = (&setting.app, &setting.app.client);
    let left_at = app.database.clock.now_ms();
    let of_cal = |minutes_after_leaving: i64| {
        let mut check = check(&setting);
        check["staff_id"] = json!(setting.cal);
        let observed = jiff::Timestamp::from_millisecond(left_at + minutes_after_leaving * 60_000).unwrap();
        check["observed_at"] = json!(observed.to_string());
        check
    };
    // The last shift's checks, sent late from a tablet: observed before she was marked as left.
    let before = of_cal(-60);
    // Two hours after, with a device's stale list, someone records her again; sent an hour later.
    let after = of_cal(120);
    app.database.clock.advance_ms(3 * 3_600_000);
    let (_, body) = sync(app, client, vec![before.clone(), after.clone()]).await;
    assert_eq!(body["results"][0]["status"], "accepted", "{body}");
    assert_eq!(body["results"][1]["status"], "rejected");
    assert_eq!(body["results"][1]["reason"], "Cal Left had left before this check's time");
}

async fn one_bad_check_never_blocks_the_others(database: TestDatabase) {
    let setting = setting(database).await;
    let (app, client) = (&setting.app, &setting.app.client);
    let good = check(&setting);
    let mut out_of_scale = check(&setting);
    out_of_scale["ratings"][0]["score"] = json!(5);
    let mut unknown_staff = check(&setting);
    unknown_staff["staff_id"] = json!(Uuid::now_v7());
    let mut future = check(&setting);
    future["observed_at"] = json!((jiff::Timestamp::now() + jiff::SignedDuration::from_hours(2)).to_string());
    let mut no_offset = check(&setting);
    no_offset["observed_at"] = json!("2026-11-26T10:00:00");
    let not_a_check = json!({ "id": "abc", "announced": "perhaps" });
    let good_too = check(&setting);
    let (status, body) = sync(
        app,
        client,
        vec![good.clone(), out_of_scale, unknown_staff, future, no_offset, not_a_check, good_too.clone()],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let results = body["results"].as_array().unwrap();
    let statuses: Vec<&str> = results.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["accepted", "rejected", "rejected", "rejected", "rejected", "rejected", "accepted"]);
    assert_eq!(results[1]["reason"], "5 is not a rating: use 1 to 4, or N/A");
    assert_eq!(results[2]["reason"], "The staff member does not exist");
    assert_eq!(results[3]["reason"], "The check is dated in the future; check the device's clock");
    assert!(results[4]["reason"].as_str().unwrap().contains("is not a time with its UTC offset"));
    assert_eq!(results[5]["id"], "abc");
    assert!(results[5]["reason"].as_str().unwrap().starts_with("This is not a check"));
    let ids: Vec<Value> = listed(app, client, "").await.into_iter().map(|c| c["id"].clone()).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&good["id"]) && ids.contains(&good_too["id"]));
}

async fn oversized_batches_get_413_with_the_limit(database: TestDatabase) {
    let setting = setting(database).await;
    let (app, client) = (&setting.app, &setting.app.client);
    let many = (0..501).map(|_| check(&setting)).collect();
    let (status, body) = sync(app, client, many).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["error"], "A sync may carry at most 500 checks; this one has 501. Send them in smaller batches.");
    let mut huge = check(&setting);
    huge["details"]["examples"] = json!("x".repeat(4_100_000));
    let (status, body) = sync(app, client, vec![huge]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["error"], "A sync may be at most 4 MB; send the checks in smaller batches.");
    assert!(listed(app, client, "").await.is_empty());
}

async fn without_a_session_the_sync_is_refused_and_nothing_is_kept(database: TestDatabase) {
    let setting = setting(database).await;
    let app = &setting.app;
    let stranger = TestApp::new_client();
    let (status, body) = sync(app, &stranger, vec![check(&setting)]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "Not signed in, or the session has expired.");
    let signed_out = app.client.delete(app.url("/api/v1/session")).send().await.unwrap();
    assert_eq!(signed_out.status(), StatusCode::NO_CONTENT);
    let (status, _) = sync(app, &app.client, vec![check(&setting)]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let kept = app.database.storage.checks.checks(&Default::default()).await.unwrap();
    assert!(kept.is_empty());
}

async fn an_observer_from_another_service_is_refused_and_sees_none_of_its_checks(database: TestDatabase) {
    let setting = setting(database).await;
    let app = &setting.app;
    assert_eq!(sync(app, &app.client, vec![check(&setting)]).await.1["results"][0]["status"], "accepted");
    let other = app
        .database
        .storage
        .organisation
        .services()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.name == "Brookside")
        .unwrap();
    let outsider = TestApp::new_client();
    app.add_user("outsider@example.org", &[Role::RegisteredManager], &[other.id]).await;
    assert_eq!(app.sign_in_with(&outsider, "outsider@example.org", support::PASSWORD).await.status(), StatusCode::OK);
    let (_, body) = sync(app, &outsider, vec![check(&setting)]).await;
    assert_eq!(body["results"][0]["status"], "rejected");
    assert_eq!(body["results"][0]["reason"], "You do not record checks at Larch House");
    assert!(listed(app, &outsider, "").await.is_empty());
    let asked = outsider.get(app.url(&format!("/api/v1/checks?service={}", setting.home.id))).send().await.unwrap();
    assert_eq!(asked.status(), StatusCode::FORBIDDEN);
    assert_eq!(listed(app, &app.client, "").await.len(), 1);
}

async fn checks_are_listed_newest_first_with_filters(database: TestDatabase) {
    let setting = setting(database).await;
    let (app, client) = (&setting.app, &setting.app.client);
    let mut older = check(&setting);
    older["observed_at"] = json!((jiff::Timestamp::now() - jiff::SignedDuration::from_hours(30)).to_string());
    let newer = check(&setting);
    sync(app, client, vec![older.clone(), newer.clone()]).await;
    let ids = ids_of;
    assert_eq!(ids(listed(app, client, "").await), [newer["id"].clone(), older["id"].clone()]);
    let since = (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(2)).to_string();
    assert_eq!(ids(listed(app, client, &format!("?from={since}")).await), [newer["id"].clone()]);
    assert_eq!(ids(listed(app, client, &format!("?to={since}")).await), [older["id"].clone()]);
    assert_eq!(listed(app, client, &format!("?staff={}", Uuid::now_v7())).await.len(), 0);
    assert_eq!(
        listed(app, client, &format!("?theme={}&limit=1", setting.theme["id"].as_str().unwrap())).await.len(),
        1
    );
    let bad = client.get(app.url("/api/v1/checks?from=yesterday")).send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    // By shift type, weekdays or weekends, announced or not: as the warnings' links list them.
    let kept = listed(app, client, "").await;
    let (shift, weekend, announced) = (
        kept[0]["shift_kind"].as_str().unwrap(),
        kept[0]["weekend_practice"].as_bool().unwrap(),
        kept[0]["announced"].as_bool().unwrap(),
    );
    let same = listed(app, client, &format!("?shift={shift}&weekend={weekend}&announced={announced}")).await;
    assert!(same.iter().any(|check| check["id"] == newer["id"]), "{same:?}");
    assert!(
        listed(app, client, &format!("?announced={}", !announced)).await.iter().all(|c| c["announced"] != announced)
    );
    for bad in ["?shift=teatime", "?weekend=sometimes", "?announced=maybe"] {
        let answer = client.get(app.url(&format!("/api/v1/checks{bad}"))).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
    let page = client
        .get(app.url("/checks?shift=teatime&days=fortnights"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    let page = page.text().await.unwrap();
    assert!(
        page.contains("That is not one of the shift types.") && page.contains("That is not one of the choices."),
        "{page}"
    );
    // Page by page: on from the last check seen, and an empty page past the end.
    let first = listed(app, client, "?limit=1").await;
    assert_eq!(ids(first.clone()), [newer["id"].clone()]);
    let after = |check: &Value| format!("?limit=1&after={}", check["id"].as_str().unwrap());
    let second = listed(app, client, &after(&first[0])).await;
    assert_eq!(ids(second.clone()), [older["id"].clone()]);
    assert!(listed(app, client, &after(&second[0])).await.is_empty(), "past the end, an empty page");
    let unknown = client.get(app.url(&format!("/api/v1/checks?after={}", Uuid::now_v7()))).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
}

async fn a_correction_is_a_new_check_and_the_original_stays_as_it_was(database: TestDatabase) {
    let setting = setting(database).await;
    let (app, client) = (&setting.app, &setting.app.client);
    let original = check(&setting);
    let mut correction = check(&setting);
    correction["announced"] = json!(true);
    correction["amends"] = json!({ "check_id": original["id"], "reason": "It was announced at handover." });
    // Made offline one after the other, they arrive in one batch, original first.
    let (_, body) = sync(app, client, vec![original.clone(), correction.clone()]).await;
    assert_eq!(body["results"][0]["status"], "accepted");
    assert_eq!(body["results"][1]["status"], "accepted");
    let history: Value = client
        .get(app.url(&format!("/api/v1/checks/{}", original["id"].as_str().unwrap())))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(history["check"]["announced"], false, "a kept check never changes");
    assert_eq!(history["amendments"].as_array().unwrap().len(), 1);
    assert_eq!(history["amendments"][0]["id"], correction["id"]);
    assert_eq!(history["amendments"][0]["amends"]["reason"], "It was announced at handover.");
    assert_eq!(history["check"]["superseded_by"], correction["id"], "the correction stands in its place");
    let current = ids_of(listed(app, client, "").await);
    assert!(current.contains(&correction["id"]) && !current.contains(&original["id"]), "never both");

    let mut orphan = check(&setting);
    orphan["amends"] = json!({ "check_id": Uuid::now_v7(), "reason": "Wrong person." });
    let (_, body) = sync(app, client, vec![orphan]).await;
    assert_eq!(body["results"][0]["reason"], "The check being corrected has not reached the server; send it first");
    let mut unexplained = check(&setting);
    unexplained["amends"] = json!({ "check_id": original["id"], "reason": "" });
    let (_, body) = sync(app, client, vec![unexplained]).await;
    assert_eq!(body["results"][0]["reason"], "Say why the check is being corrected");

    let outsider = TestApp::new_client();
    let other = app
        .database
        .storage
        .organisation
        .services()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.name == "Brookside")
        .unwrap();
    app.add_user("outsider@example.org", &[Role::RegisteredManager], &[other.id]).await;
    app.sign_in_with(&outsider, "outsider@example.org", support::PASSWORD).await;
    let hidden =
        outsider.get(app.url(&format!("/api/v1/checks/{}", original["id"].as_str().unwrap()))).send().await.unwrap();
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
    // Nor does syncing a copy of it tell them it exists: the answer is the one a fresh id gets.
    let (_, copied) = sync(app, &outsider, vec![original.clone()]).await;
    let mut fresh = original.clone();
    fresh["id"] = json!(Uuid::now_v7());
    let (_, afresh) = sync(app, &outsider, vec![fresh]).await;
    assert_eq!(copied["results"][0]["status"], "rejected");
    assert_eq!(copied["results"][0]["reason"], afresh["results"][0]["reason"]);
    assert_eq!(copied["results"][0]["reason"], "You do not record checks at Larch House");
    let missing = client.get(app.url(&format!("/api/v1/checks/{}", Uuid::now_v7()))).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

async fn the_openapi_description_documents_the_check_and_the_sync(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let document: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
    for path in ["/api/v1/reference", "/api/v1/sync", "/api/v1/checks", "/api/v1/checks/{id}"] {
        assert!(document["paths"][path].is_object(), "{path} is documented");
    }
    let check = &document["components"]["schemas"]["SubmittedCheck"];
    for field in ["id", "service_id", "staff_id", "theme_id", "observed_at", "announced", "ratings", "details"] {
        assert!(check["properties"][field].is_object(), "SubmittedCheck documents {field}");
    }
    assert!(document["paths"]["/api/v1/sync"]["post"]["responses"]["413"].is_object());
    assert!(document["paths"]["/api/v1/trends/standard"]["get"]["responses"]["422"].is_object());
    // Every schema the description refers to is in it.
    fn refs(value: &Value, found: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref") {
                    found.push(target.clone());
                }
                map.values().for_each(|inner| refs(inner, found));
            }
            Value::Array(items) => items.iter().for_each(|inner| refs(inner, found)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    refs(&document, &mut found);
    assert!(found.len() > 20);
    for target in found {
        let name = target.trim_start_matches("#/components/schemas/");
        assert!(document["components"]["schemas"][name].is_object(), "{target} is described");
    }
}

async fn checks_sent_under_someone_elses_session_are_refused_whole(database: TestDatabase) {
    let setting = setting(database).await;
    let me: Value = setting.app.get("/api/v1/session").await.json().await.unwrap();
    let send = |observer: Value| {
        let body = json!({ "device_id": "shared-tablet", "observer_id": observer, "checks": [check(&setting)] });
        setting.app.client.post(setting.app.url("/api/v1/sync")).json(&body).send()
    };
    let refused = send(json!(Uuid::now_v7())).await.unwrap();
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert!(listed(&setting.app, &setting.app.client, "").await.is_empty(), "nothing kept as the wrong person's");
    let accepted = send(me["id"].clone()).await.unwrap();
    assert_eq!(accepted.status(), StatusCode::OK);
    assert_eq!(listed(&setting.app, &setting.app.client, "").await.len(), 1);
}

async fn a_device_reports_what_it_holds_and_managers_see_checks_held_past_a_shift(database: TestDatabase) {
    let setting = setting(database).await;
    let app = &setting.app;
    let me: Value = app.get("/api/v1/session").await.json().await.unwrap();
    let leader = me["id"].as_str().unwrap().to_owned();
    let report = |body: Value| app.client.post(app.url("/api/v1/devices/report")).json(&body).send();
    let saved_ms = app.database.clock.now_ms() - 3_600_000;
    let held = json!({ "unsent": 2, "waiting": 0, "refused": 1, "oldest_saved_at_ms": saved_ms });
    // Someone else's checks, no device id, or not a report: refused, and nothing kept.
    let someone_else = json!({ "device_id": "tablet", "observer_id": Uuid::now_v7(), "held": held });
    assert_eq!(report(someone_else).await.unwrap().status(), StatusCode::CONFLICT);
    assert_eq!(report(json!({ "device_id": " ", "held": held })).await.unwrap().status(), StatusCode::BAD_REQUEST);
    assert_eq!(report(json!({ "device_id": "tablet" })).await.unwrap().status(), StatusCode::BAD_REQUEST);
    let sent = report(json!({ "device_id": "tablet", "observer_id": leader, "held": held })).await.unwrap();
    assert_eq!(sent.status(), StatusCode::NO_CONTENT);

    let deputy = TestApp::new_client();
    app.add_user("deputy@example.org", &[Role::DeputyManager], &[setting.home.id]).await;
    app.sign_in_with(&deputy, "deputy@example.org", support::PASSWORD).await;
    let home = || async { deputy.get(app.url("/")).send().await.unwrap().text().await.unwrap() };
    assert!(!home().await.contains("Checks held on devices"), "an hour is within a shift");
    // Ten hours later the device has not been heard from: eleven hours is past the longest
    // shift of the default pattern (ten and a half).
    app.database.clock.advance_ms(10 * 3_600_000);
    let page = home().await;
    assert!(page.contains("Checks held on devices (1)"), "{page}");
    assert!(
        page.contains("3 checks not on the server yet (2 not sent, 1 refused), the oldest saved 11 hours ago"),
        "{page}"
    );
    // Another service's deputy hears nothing of it.
    let other = app.add_service("Elsewhere").await;
    let stranger = TestApp::new_client();
    app.add_user("stranger@example.org", &[Role::DeputyManager], &[other.id]).await;
    app.sign_in_with(&stranger, "stranger@example.org", support::PASSWORD).await;
    let theirs = stranger.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(theirs.contains("What needs you") && !theirs.contains("Checks held on devices"), "{theirs}");
    // Once everything is sent the device says so, and the line goes.
    let emptied = json!({ "device_id": "tablet", "held": { "unsent": 0, "waiting": 0, "refused": 0 } });
    assert_eq!(report(emptied).await.unwrap().status(), StatusCode::NO_CONTENT);
    assert!(!home().await.contains("Checks held on devices"));
}

on_both_backends!(
    checks_sent_under_someone_elses_session_are_refused_whole,
    the_reference_data_is_the_users_services_current_staff_and_the_themes,
    the_reference_data_says_when_each_person_was_last_observed,
    a_check_is_accepted_once_then_a_duplicate_and_a_changed_copy_is_rejected,
    a_leaver_s_checks_are_kept_from_before_they_left_and_refused_after,
    one_bad_check_never_blocks_the_others,
    oversized_batches_get_413_with_the_limit,
    without_a_session_the_sync_is_refused_and_nothing_is_kept,
    an_observer_from_another_service_is_refused_and_sees_none_of_its_checks,
    checks_are_listed_newest_first_with_filters,
    the_openapi_description_documents_the_check_and_the_sync,
    a_correction_is_a_new_check_and_the_original_stays_as_it_was,
    a_device_reports_what_it_holds_and_managers_see_checks_held_past_a_shift,
);
