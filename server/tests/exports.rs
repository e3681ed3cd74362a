//! Exports over HTTP on each backend: the checks a person may see, filtered as the list is, as a
//! CSV file that Excel reads as UTF-8, in which nothing a person typed can become a formula, and
//! which a CSV reader gives back character for character, across more than one page of checks.

mod support;

use recheck_app::domain::access::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{TestApp, TestDatabase};
use uuid::Uuid;

/// An observation of `staff` on `theme` with `examples`, every criterion 3, as a device sends it.
fn observation(app: &TestApp, service: Uuid, staff: Uuid, theme: &Value, examples: &str, minutes_ago: i64) -> Value {
    let ratings: Vec<Value> = theme["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|criterion| json!({ "criterion_id": criterion["id"], "score": 3 }))
        .collect();
    let observed_at = jiff::Timestamp::from_millisecond(app.database.storage.now_ms() - minutes_ago * 60_000).unwrap();
    json!({
        "id": Uuid::now_v7(),
        "service_id": service,
        "staff_id": staff,
        "theme_id": theme["id"],
        "observed_at": observed_at.to_string(),
        "announced": false,
        "ratings": ratings,
        "details": { "kind": "observation", "feedback_given": true, "examples": examples }
    })
}

/// The export at `path`: its status and, when it is a CSV file, its rows (the header first).
async fn export(app: &TestApp, path: &str) -> (StatusCode, Vec<Vec<String>>) {
    let what = match path.split('?').next().unwrap() {
        "/cycles/actions.csv" => "actions",
        whole => whole.trim_start_matches('/').split('/').next().unwrap(),
    };
    let response = app.client.get(app.url(path)).send().await.unwrap();
    let status = response.status();
    if status != StatusCode::OK {
        return (status, Vec::new());
    }
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.starts_with(&format!("attachment; filename=\"recheck-{what}-")), "{disposition}");
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "a byte order mark first, for Excel");
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[3..]);
    let rows = reader.records().map(|record| record.unwrap().iter().map(str::to_owned).collect()).collect();
    (status, rows)
}

fn column(rows: &[Vec<String>], heading: &str) -> usize {
    rows[0].iter().position(|cell| cell == heading).unwrap_or_else(|| panic!("no column {heading}: {:?}", rows[0]))
}

/// The demonstration provider's cycles, their actions, its warnings and its reviews, as the lists
/// show them to a deputy manager at Larch House.
async fn cycles_actions_warnings_and_reviews_export_as_their_lists_show_them(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    recheck_server::demo::load(app.database.storage.as_ref(), true).await.unwrap();
    let storage = &app.database.storage;
    let larch = storage.organisation.services().await.unwrap().into_iter().find(|s| s.name == "Larch House").unwrap();
    let staff = storage.organisation.staff_members(Some(larch.id)).await.unwrap();
    let dorota = staff.iter().find(|member| member.name == "Dorota Nowak").unwrap().id;
    app.sign_in_as(&[Role::DeputyManager], &[larch.id]).await;
    let listed: Vec<Value> = app.client.get(app.url("/api/v1/cycles")).send().await.unwrap().json().await.unwrap();

    let (status, cycles) = export(&app, "/cycles/export.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cycles.len() - 1, listed.len(), "a row a cycle the list shows");
    let (service, about, verdict) = (column(&cycles, "Service"), column(&cycles, "About"), column(&cycles, "Verdict"));
    assert!(cycles[1..].iter().all(|row| row[service] == "Larch House"), "their own service only");
    let dorotas = cycles.iter().find(|row| row[about] == "Dorota Nowak").expect("Dorota's cycle");
    assert!(dorotas[verdict].starts_with("Frozen at closing"), "{dorotas:?}");
    let (_, hers) = export(&app, &format!("/cycles/export.csv?staff={dorota}")).await;
    assert!(
        hers.len() >= 2 && hers[1..].iter().all(|row| row[about].contains("Dorota Nowak")),
        "filtered as the list is"
    );

    let (status, actions) = export(&app, "/cycles/actions.csv").await;
    assert_eq!(status, StatusCode::OK);
    let taken: usize = listed.iter().map(|report| report["cycle"]["actions"].as_array().unwrap().len()).sum();
    assert_eq!(actions.len() - 1, taken, "a row an action");
    assert!(actions.iter().any(|row| row[column(&actions, "Kind")] == "Coaching"));

    // A concern typed like a formula stays text.
    let opened = app
        .client
        .post(app.url("/api/v1/cycles"))
        .json(&json!({
            "service": larch.id,
            "theme": storage.organisation.themes().await.unwrap()[0].id,
            "staff": [app.add_staff("Noor Haddad", &[larch.id]).await.id],
            "concern": "=SUM(A1:A9) hurried prompts",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), StatusCode::CREATED, "{}", opened.text().await.unwrap());
    let (_, cycles) = export(&app, "/cycles/export.csv?stage=needs_standard").await;
    let concern = column(&cycles, "Concern");
    assert!(cycles.iter().any(|row| row[concern] == "'=SUM(A1:A9) hurried prompts"), "{cycles:?}");

    let raised: Vec<Value> = app.client.get(app.url("/api/v1/warnings")).send().await.unwrap().json().await.unwrap();
    let (status, warnings) = export(&app, "/warnings/export.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(warnings.len() - 1, raised.len());
    let (found, decision) = (column(&warnings, "What was found"), column(&warnings, "Decision"));
    assert!(warnings.iter().any(|row| row[found].starts_with("Hana Kimura had") && row[decision] == "Open"));

    // Reviews: every one the deputy manager sees, or one kind of them.
    let seen: Vec<Value> = app.client.get(app.url("/api/v1/reviews")).send().await.unwrap().json().await.unwrap();
    let (status, reviews) = export(&app, "/reviews/export.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !seen.is_empty() && reviews.len() - 1 == seen.len(),
        "{} rows for {} reviews",
        reviews.len() - 1,
        seen.len()
    );
    let (kind, findings) = (column(&reviews, "Kind"), column(&reviews, "Findings"));
    assert!(reviews[1..].iter().all(|row| !row[findings].is_empty()));
    let weekly = seen.iter().filter(|review| review["kind"] == "weekly-practice").count();
    let (_, practice) = export(&app, "/reviews/export.csv?kind=weekly-practice").await;
    assert_eq!(practice.len() - 1, weekly);
    assert!(practice[1..].iter().all(|row| row[kind] == practice.get(1).map_or("", |first| first[kind].as_str())));
    assert_eq!(export(&app, "/reviews/export.csv?kind=fortnightly").await.0, StatusCode::BAD_REQUEST);

    // Bad filters, and people who may not see the records, get an answer and no file.
    assert_eq!(export(&app, "/cycles/export.csv?stage=nonsense").await.0, StatusCode::BAD_REQUEST);
    let elsewhere = storage.organisation.services().await.unwrap().into_iter().find(|s| s.id != larch.id).unwrap();
    assert_eq!(export(&app, &format!("/reviews/export.csv?service={}", elsewhere.id)).await.0, StatusCode::FORBIDDEN);
    let other = storage.organisation.services().await.unwrap().into_iter().find(|s| s.id != larch.id).unwrap();
    assert_eq!(export(&app, &format!("/cycles/actions.csv?service={}", other.id)).await.0, StatusCode::FORBIDDEN);
    let shift_leader = TestApp::new_client();
    app.add_user("leader@example.org", &[Role::ShiftLeader], &[larch.id]).await;
    app.sign_in_with(&shift_leader, "leader@example.org", support::PASSWORD).await;
    let refused = shift_leader.get(app.url("/warnings/export.csv")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let stranger = TestApp::new_client().get(app.url("/cycles/export.csv")).send().await.unwrap();
    assert_eq!(stranger.status(), StatusCode::UNAUTHORIZED);
}

async fn checks_export_safely_character_for_character_across_pages(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let home = app.add_service("Larch House").await.id;
    let other = app.add_service("Brookside").await.id;
    let names = ["O'Brien, Siobhán \"Shiv\"", "Zoë Łukasz-Wiśniewski", "=HYPERLINK(\"http://evil.example\")"];
    let mut staff = Vec::new();
    for name in names {
        staff.push(app.add_staff(name, &[home]).await.id);
    }
    let elsewhere = app.add_staff("Brook Person", &[other]).await.id;
    app.sign_in_as(&[Role::ShiftLeader], &[home]).await;
    let reference: Value = app.client.get(app.url("/api/v1/reference")).send().await.unwrap().json().await.unwrap();
    let theme = reference["themes"].as_array().unwrap().iter().find(|theme| theme["kind"] == "observation").unwrap();
    let risky = ["=1+1", "-2", "+44 7700 900123", "@SUM(A1:A9)", "\tTabbed", "Said \"no thanks\",\nthen chose tea."];
    let mut checks: Vec<Value> = risky
        .iter()
        .enumerate()
        .map(|(at, examples)| observation(&app, home, staff[at % 3], theme, examples, 10 + at as i64))
        .collect();
    app.sync_accepted(&app.client, checks.clone()).await;
    // More than a page of one person's checks, so the export reads on past its first page.
    let many = recheck_server::exports::EXPORT_PAGE as usize + 7;
    checks =
        (0..many).map(|at| observation(&app, home, staff[1], theme, "Calm and unhurried.", 60 + at as i64)).collect();
    for batch in checks.chunks(400) {
        app.sync_accepted(&app.client, batch.to_vec()).await;
    }
    app.sign_in_as(&[Role::ShiftLeader], &[other]).await;
    app.sync_accepted(&app.client, vec![observation(&app, other, elsewhere, theme, "Elsewhere", 5)]).await;

    // The home service's registered manager exports what they may see, newest first.
    app.sign_in_as(&[Role::RegisteredManager], &[home]).await;
    let (status, rows) = export(&app, "/checks/export.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rows.len(), 1 + risky.len() + many, "a header and every home check, once");
    let (staff_column, examples) = (column(&rows, "Staff member"), column(&rows, "Examples"));
    assert!(rows.iter().all(|row| row[staff_column] != "Brook Person"), "nothing of another service");
    let written: Vec<&str> = rows[1..=risky.len()].iter().map(|row| row[examples].as_str()).collect();
    assert_eq!(
        written,
        ["'=1+1", "'-2", "'+44 7700 900123", "'@SUM(A1:A9)", "'\tTabbed", "Said \"no thanks\",\nthen chose tea."]
    );
    let people: Vec<&str> = rows[1..=3].iter().map(|row| row[staff_column].as_str()).collect();
    assert_eq!(people, ["O'Brien, Siobhán \"Shiv\"", "Zoë Łukasz-Wiśniewski", "'=HYPERLINK(\"http://evil.example\")"]);
    // Every theme's criteria have a column of their own; a check scores only its theme's.
    let pace = column(&rows, &format!("{}: Pace", theme["name"].as_str().unwrap()));
    assert!(rows[1..].iter().all(|row| row[pace] == "3"));
    assert_eq!(rows[0].len(), rows[1].len());

    // Filtered as the list is: by staff member, and by theme (whose criteria then head alone).
    let (_, theirs) = export(&app, &format!("/checks/export.csv?staff={}", staff[0])).await;
    assert_eq!(theirs.len(), 1 + 2);
    let (_, on_theme) = export(&app, &format!("/checks/export.csv?theme={}", theme["id"].as_str().unwrap())).await;
    assert_eq!(on_theme.len(), rows.len());
    assert!(on_theme[0].contains(&"Pace".to_owned()), "{:?}", on_theme[0]);

    // Refusals: another service's checks, and dates that are not dates.
    assert_eq!(export(&app, &format!("/checks/export.csv?service={other}")).await.0, StatusCode::FORBIDDEN);
    assert_eq!(export(&app, "/checks/export.csv?from=2026-13-40").await.0, StatusCode::BAD_REQUEST);
    assert_eq!(
        TestApp::new_client().get(app.url("/checks/export.csv")).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    // The checks list offers the same checks for download.
    let list = app.client.get(app.url(&format!("/checks?staff={}", staff[0]))).send().await.unwrap();
    let list = list.text().await.unwrap();
    assert!(list.contains(&format!("/checks/export.csv?staff={}", staff[0])), "{list}");
}

on_both_backends!(
    cycles_actions_warnings_and_reviews_export_as_their_lists_show_them,
    checks_export_safely_character_for_character_across_pages
);
