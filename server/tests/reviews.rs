//! Reviews over HTTP: what falls due for whom, recording one marks its period done, a missed
//! period becomes overdue as the clock moves on, and a registered manager's change of cadence
//! applies from the day it is made; nobody sees or records another service's reviews.

mod support;

use recheck_app::domain::access::Role;
use recheck_app::domain::check::wall_time_in_zone;
use recheck_app::domain::organisation::Service;
use recheck_app::domain::review::{Frequency, ReviewPeriod};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{PASSWORD, TestApp, TestDatabase};

const DAY_MS: i64 = 86_400_000;

/// Someone signed in with their own client.
struct Person {
    email: String,
    client: reqwest::Client,
}

impl Person {
    async fn new(app: &TestApp, roles: &[Role], services: &[uuid::Uuid]) -> Person {
        let email = format!("{}@example.org", uuid::Uuid::now_v7().simple());
        app.add_user(&email, roles, services).await;
        let person = Person { email, client: TestApp::new_client() };
        person.sign_in(app).await;
        person
    }

    /// Signs in again, as someone does after days away.
    async fn sign_in(&self, app: &TestApp) {
        assert_eq!(app.sign_in_with(&self.client, &self.email, PASSWORD).await.status(), StatusCode::OK);
    }
}

impl std::ops::Deref for Person {
    type Target = reqwest::Client;

    fn deref(&self) -> &reqwest::Client {
        &self.client
    }
}

async fn due(app: &TestApp, client: &reqwest::Client) -> Vec<Value> {
    let response = client.get(app.url("/api/v1/reviews/due")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json::<Value>().await.unwrap().as_array().unwrap().clone()
}

fn find<'a>(due: &'a [Value], service: &Service, kind: &str) -> Option<&'a Value> {
    due.iter().find(|item| item["service_id"] == service.id.to_string() && item["kind"] == kind)
}

fn period_now(app: &TestApp, service: &Service, frequency: Frequency) -> ReviewPeriod {
    let now = wall_time_in_zone(&service.time_zone, app.database.storage.now_ms());
    ReviewPeriod::at(frequency, &service.shift_pattern, now).unwrap()
}

fn review(service: &Service, kind: &str, period: &str) -> Value {
    json!({
        "service_id": service.id,
        "kind": kind,
        "period": period,
        "looked_at": "The week's 9 spot checks.",
        "findings": "Choice was offered at every meal; two rushed prompts on the late shift.",
        "actions_taken": "Raised at Thursday's handover.",
    })
}

async fn post(app: &TestApp, client: &reqwest::Client, body: &Value) -> (StatusCode, Value) {
    let response = client.post(app.url("/api/v1/reviews")).json(body).send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn a_review_falls_due_is_recorded_and_is_overdue_once_its_period_passes(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let larch = app.add_service("Larch House").await;
    let brookside = app.add_service("Brookside").await;
    let team_leader = Person::new(&app, &[Role::TeamLeader], &[larch.id]).await;
    let other_team_leader = Person::new(&app, &[Role::TeamLeader], &[brookside.id]).await;
    let shift_leader = Person::new(&app, &[Role::ShiftLeader], &[larch.id]).await;

    // A team leader sees their own weekly review, due now, and no other service's.
    let theirs = due(&app, &team_leader).await;
    let this_week = period_now(&app, &larch, Frequency::Weekly);
    let weekly = find(&theirs, &larch, "weekly-practice").expect("the weekly practice review");
    assert_eq!(weekly["current_period"], this_week.code());
    assert_eq!((weekly["current_done"].as_bool(), weekly["may_record"].as_bool()), (Some(false), Some(true)));
    assert!(theirs.iter().all(|item| item["service_id"] == larch.id.to_string()), "only Larch House");
    assert!(find(&theirs, &larch, "audit-findings").is_none(), "a manager's review is not theirs to see");
    // A shift leader's own review is each shift's.
    let shift = find(&due(&app, &shift_leader).await, &larch, "shift-records").unwrap().clone();
    assert_eq!(shift["frequency"], "each-shift");
    assert_eq!(shift["current_period"], period_now(&app, &larch, Frequency::EachShift).code());

    // Refused: a period not open, missing findings, a review that is not theirs, another service.
    let (status, body) = post(&app, &team_leader, &review(&larch, "weekly-practice", "2020-W01")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["error"].as_str().unwrap().contains("not due for this review"), "{body}");
    let mut empty = review(&larch, "weekly-practice", &this_week.code());
    empty["findings"] = json!("   ");
    let (status, body) = post(&app, &team_leader, &empty).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["fields"][0]["field"], "findings");
    let (status, _) = post(&app, &team_leader, &review(&larch, "audit-findings", &this_week.code())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = post(&app, &team_leader, &review(&brookside, "weekly-practice", &this_week.code())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut foreign_check = review(&larch, "weekly-practice", &this_week.code());
    foreign_check["check_ids"] = json!([uuid::Uuid::now_v7()]);
    assert_eq!(post(&app, &team_leader, &foreign_check).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let garbled = team_leader.post(app.url("/api/v1/reviews")).json(&json!({ "kind": 3 })).send().await.unwrap();
    assert_eq!(garbled.status(), StatusCode::BAD_REQUEST);

    // Recorded: this week is done, in the list, and in the audit trail.
    let (status, kept) = post(&app, &team_leader, &review(&larch, "weekly-practice", &this_week.code())).await;
    assert_eq!(status, StatusCode::CREATED, "{kept}");
    let weekly = find(&due(&app, &team_leader).await, &larch, "weekly-practice").unwrap().clone();
    assert_eq!(weekly["current_done"], true);
    assert_eq!(weekly["overdue_periods"], json!([]));
    let listed: Value = team_leader.get(app.url("/api/v1/reviews")).send().await.unwrap().json().await.unwrap();
    assert_eq!(listed[0]["id"], kept["id"]);
    assert_eq!(listed[0]["recorded_by"]["name"], "Test User");
    let elsewhere: Value =
        other_team_leader.get(app.url("/api/v1/reviews")).send().await.unwrap().json().await.unwrap();
    assert_eq!(elsewhere, json!([]), "another service's team leader sees none of Larch House's reviews");
    let asked = other_team_leader.get(app.url(&format!("/api/v1/reviews?service={}", larch.id))).send().await;
    assert_eq!(asked.unwrap().status(), StatusCode::FORBIDDEN);
    let page = other_team_leader
        .get(app.url(&format!("/reviews/{}", kept["id"].as_str().unwrap())))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    // However many newer reviews of other kinds there are, a person's list holds the ones they see.
    let shift = ReviewPeriod::at(
        Frequency::EachShift,
        &larch.shift_pattern,
        wall_time_in_zone(&larch.time_zone, app.database.storage.now_ms()),
    )
    .unwrap();
    for minute in 1..=120 {
        let review = recheck_app::domain::review::Review {
            id: uuid::Uuid::now_v7(),
            service_id: larch.id,
            kind: recheck_app::domain::review::ReviewKind::ShiftRecords,
            period: shift.code(),
            recorded_by: recheck_app::domain::audit::Author::system("test"),
            recorded_at_ms: app.database.storage.now_ms() + minute * 60_000,
            looked_at: "Records.".into(),
            findings: "Fine.".into(),
            actions_taken: String::new(),
            check_ids: vec![],
            theme_ids: vec![],
        };
        app.database.storage.record_review(&review, "Recorded a review").await.unwrap();
    }
    let listed: Value = team_leader.get(app.url("/api/v1/reviews")).send().await.unwrap().json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1, "only the team leader's own kind: {listed}");
    assert_eq!(listed[0]["id"], kept["id"]);
    let page = team_leader.get(app.url("/reviews")).header("accept", "text/html").send().await.unwrap();
    let page = page.text().await.unwrap();
    let (_, recent) = page.split_once("Recently recorded").expect("the recent reviews");
    assert!(recent.contains(&format!("/reviews/{}", kept["id"].as_str().unwrap())), "{recent}");
    let kind = team_leader.get(app.url("/api/v1/reviews?kind=fortnightly")).send().await.unwrap();
    assert_eq!(kind.status(), StatusCode::BAD_REQUEST);

    // A fortnight on, the week after the one reviewed has passed without a review: overdue.
    app.database.clock.advance_ms(14 * DAY_MS);
    team_leader.sign_in(&app).await;
    let weekly = find(&due(&app, &team_leader).await, &larch, "weekly-practice").unwrap().clone();
    let missed = ReviewPeriod::Week(this_week.first_day().plus_days(7)).code();
    assert_eq!(weekly["overdue_periods"], json!([missed]));
    assert!(weekly["in_words"].as_str().unwrap().starts_with("Overdue for week of"), "{weekly}");
    // Recording it late marks it done.
    assert_eq!(post(&app, &team_leader, &review(&larch, "weekly-practice", &missed)).await.0, StatusCode::CREATED);
    let weekly = find(&due(&app, &team_leader).await, &larch, "weekly-practice").unwrap().clone();
    assert_eq!(weekly["overdue_periods"], json!([]));
}

fn fields(pairs: &[(&str, &str)]) -> Value {
    json!({ "fields": pairs.iter().map(|(name, value)| [name, value]).collect::<Vec<_>>() })
}

async fn a_registered_manager_sets_the_cadence_which_applies_from_that_day(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let larch = app.add_service("Larch House").await;
    let manager = Person::new(&app, &[Role::RegisteredManager], &[larch.id]).await;
    let deputy = Person::new(&app, &[Role::DeputyManager], &[larch.id]).await;
    let home = larch.id.to_string();
    let cadence = |shift: &'static str, weekly: &'static str| {
        fields(&[
            ("service", home.as_str()),
            ("shift-records", shift),
            ("weekly-practice", weekly),
            ("audit-findings", "weekly"),
            ("supervision-impact", "monthly"),
            ("theme-governance", "monthly"),
        ])
    };
    // A manager oversees every review of their service. Supervision reviews have been due for
    // ten weeks, and none has been recorded: last month's is overdue.
    let since = recheck_app::domain::check::date_in_zone(&larch.time_zone, app.database.storage.now_ms() - 70 * DAY_MS);
    let long_since = recheck_app::domain::review::Cadence {
        since: Some(since),
        ..recheck_app::domain::review::Cadence::default_for(
            larch.id,
            recheck_app::domain::review::ReviewKind::SupervisionImpact,
        )
    };
    let system = recheck_app::domain::audit::Author::system("test");
    app.database.storage.set_review_cadences(&[long_since], &system).await.unwrap();
    let seen = due(&app, &manager).await;
    assert_eq!(seen.len(), 5, "every kind: {seen:?}");
    let supervision = find(&seen, &larch, "supervision-impact").unwrap();
    assert!(!supervision["overdue_periods"].as_array().unwrap().is_empty());
    assert_eq!(find(&seen, &larch, "weekly-practice").unwrap()["may_record"], false, "the team leader's");

    // Ten days on, the manager changes the cadence: it applies from that day.
    app.database.clock.advance_ms(10 * DAY_MS);
    manager.sign_in(&app).await;
    deputy.sign_in(&app).await;
    let changed = manager.post(app.url("/fn/reviews/cadence")).json(&cadence("not-held", "daily")).send().await;
    assert_eq!(changed.unwrap().status(), StatusCode::OK);
    let seen = due(&app, &manager).await;
    let shift = find(&seen, &larch, "shift-records").unwrap();
    assert_eq!((shift["frequency"].as_str(), &shift["current_period"]), (Some("not-held"), &Value::Null));
    assert_eq!(shift["in_words"], "Not held at this service.");
    let daily = find(&seen, &larch, "weekly-practice").unwrap();
    assert_eq!(daily["current_period"], period_now(&app, &larch, Frequency::Daily).code());
    assert_eq!(daily["overdue_periods"], json!([]), "the days before the change are not overdue");
    assert!(daily["since"].is_string());
    app.database.clock.advance_ms(DAY_MS);
    manager.sign_in(&app).await;
    deputy.sign_in(&app).await;
    let daily = find(&due(&app, &manager).await, &larch, "weekly-practice").unwrap().clone();
    assert_eq!(daily["overdue_periods"].as_array().unwrap().len(), 1, "yesterday: {daily}");

    // Only the service's manager changes it; a frequency that does not exist is refused.
    let refused = deputy.post(app.url("/fn/reviews/cadence")).json(&cadence("weekly", "weekly")).send().await;
    assert_eq!(refused.unwrap().status(), StatusCode::FORBIDDEN);
    let bad = manager.post(app.url("/fn/reviews/cadence")).json(&cadence("hourly", "weekly")).send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let audit = app
        .database
        .storage
        .audit
        .audit_events(&recheck_app::domain::audit::AuditFilter {
            action_prefix: Some("review.cadence_changed".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 3, "supervision set up above, then two kinds changed once");
    let page = manager
        .get(app.url(&format!("/reviews/cadence?service={home}")))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Not held here") && page.contains("Change how often"), "{page}");
}

on_both_backends!(
    a_review_falls_due_is_recorded_and_is_overdue_once_its_period_passes,
    a_registered_manager_sets_the_cadence_which_applies_from_that_day,
);
