//! Trends over HTTP: the demonstration history charted by month and by week, the numbers behind
//! every point counted again from the checks themselves, and bad input answered with why.

mod support;

use recheck_app::domain::access::Role;
use recheck_app::domain::check::CheckFilter;
use reqwest::StatusCode;
use serde_json::Value;
use support::{TestApp, TestDatabase};
use uuid::Uuid;

async fn get(app: &TestApp, path: &str) -> (StatusCode, Value) {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn page(app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = app.client.get(app.url(path)).header("accept", "text/html").send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

fn refused_field(body: &Value) -> &str {
    body["fields"][0]["field"].as_str().unwrap_or("")
}

async fn the_demonstration_history_charted_by_month_and_by_week(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    recheck_server::demo::load(app.database.storage.as_ref(), true).await.unwrap();
    let storage = &app.database.storage;
    let services = storage.organisation.services().await.unwrap();
    let larch = services.iter().find(|service| service.name == "Larch House").unwrap().id;
    let other = services.iter().find(|service| service.id != larch).unwrap().id;
    let theme = storage.organisation.themes().await.unwrap()[0].id;
    app.sign_in_as(&[Role::DeputyManager], &[larch]).await;

    let (status, monthly) = get(&app, &format!("/api/v1/trends/standard?service={larch}&theme={theme}")).await;
    assert_eq!(status, StatusCode::OK, "{monthly}");
    assert_eq!(monthly["period"], "month");
    let points = monthly["chart"]["points"].as_array().unwrap_or_else(|| panic!("{monthly}"));
    assert!((6..=8).contains(&points.len()), "six months of history: {monthly}");
    // Every point's n is the number of current checks in its month, counted again here.
    let kept = storage
        .checks
        .checks(&CheckFilter {
            service_ids: Some(vec![larch]),
            theme_id: Some(theme),
            limit: 10_000,
            ..Default::default()
        })
        .await
        .unwrap();
    for point in points {
        let month = point["period"].as_str().unwrap();
        let in_month: Vec<_> = kept.iter().filter(|check| check.calendar.month == month).collect();
        let met = in_month.iter().filter(|check| check.assessment.meets_standard).count();
        assert_eq!((point["checks"].as_u64(), point["met"].as_u64()), (Some(in_month.len() as u64), Some(met as u64)));
    }
    assert!(monthly["summary"].as_str().unwrap().contains("checks"), "{monthly}");
    // Shifts and weekends side by side count the same checks again, with their intervals.
    let in_groups =
        |groups: &Value| groups.as_array().unwrap().iter().map(|g| g["checks"].as_u64().unwrap()).sum::<u64>();
    assert_eq!(in_groups(&monthly["by_shift"]), kept.len() as u64);
    assert_eq!(in_groups(&monthly["by_weekend"]), kept.len() as u64);
    assert_eq!(in_groups(&monthly["by_announced"]), kept.len() as u64);
    let announced = kept.iter().filter(|check| check.check.announced).count() as u64;
    assert_eq!(monthly["by_announced"][0]["checks"].as_u64(), Some(announced), "announced first");
    // Each observer's checks, and how many of them were unannounced, add up to all of them.
    let observers = monthly["observers"].as_array().unwrap();
    let theirs: u64 = observers.iter().map(|o| o["theirs"]["checks"].as_u64().unwrap()).sum();
    let unannounced: u64 = observers.iter().map(|o| o["unannounced"].as_u64().unwrap()).sum();
    assert_eq!((theirs, unannounced), (kept.len() as u64, kept.len() as u64 - announced), "{observers:?}");
    for group in monthly["by_shift"].as_array().unwrap() {
        let (low, share, high) =
            (group["low"].as_f64().unwrap(), group["share"].as_f64().unwrap(), group["high"].as_f64().unwrap());
        assert!(low <= share && share <= high, "{group}");
    }

    let (status, weekly) =
        get(&app, &format!("/api/v1/trends/standard?service={larch}&theme={theme}&period=week")).await;
    assert_eq!(status, StatusCode::OK);
    let weeks = weekly["chart"]["points"].as_array().unwrap();
    assert!(weeks.len() >= 20, "{weekly}");
    let total = |points: &[Value]| points.iter().map(|point| point["checks"].as_u64().unwrap()).sum::<u64>();
    assert_eq!(total(weeks), total(points), "weeks and months count the same checks");
    assert!(["p", "run"].contains(&weekly["chart"]["kind"].as_str().unwrap()), "{weekly}");

    // The page draws the same chart, with the table behind it and the same words.
    let (status, html) = page(&app, &format!("/trends?service={larch}&theme={theme}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<svg") && html.contains("The numbers behind the chart"), "{html}");
    assert!(html.contains("Announced beside unannounced") && html.contains("Each observer beside others"), "{html}");
    let first_words = monthly["summary"].as_str().unwrap().split(". ").next().unwrap().to_owned();
    assert!(html.contains(&first_words), "{first_words}");

    // Another service's trend is not theirs; with no service named they get their own.
    let (status, body) = get(&app, &format!("/api/v1/trends/standard?service={other}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, html) = page(&app, &format!("/trends?service={other}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("That is not one of your services.") && html.contains("<form"), "the page stays usable");
    let (_, own) = get(&app, "/api/v1/trends/standard").await;
    assert_eq!(own["service_ids"], serde_json::json!([larch]));

    // A range with no checks says so, and draws nothing.
    let (status, empty) =
        get(&app, &format!("/api/v1/trends/standard?theme={theme}&from=2020-01-01&to=2020-12-31")).await;
    assert_eq!((status, empty["chart"]["kind"].as_str()), (StatusCode::OK, Some("not_enough")));
    assert_eq!(empty["summary"], "No checks in this range, so there is nothing to chart yet.");
}

async fn bad_input_is_refused_by_field_and_never_breaks_the_page(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let service = app.add_service("Larch House").await.id;
    app.sign_in_as(&[Role::RegisteredManager], &[service]).await;
    let nowhere = Uuid::now_v7();
    for (query, field) in [
        ("from=2026-11-02&to=2026-11-01", "to"),
        ("from=2010-01-01&to=2026-11-01", "to"),
        ("from=yesterday", "from"),
        ("period=fortnight", "period"),
        ("service=not-an-id", "service"),
        (&format!("theme={nowhere}") as &str, "theme"),
    ] {
        let (status, body) = get(&app, &format!("/api/v1/trends/standard?{query}")).await;
        assert_eq!((status, refused_field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, field), "{query}: {body}");
        let (status, html) = page(&app, &format!("/trends?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert!(html.contains("role=\"alert\"") && html.contains("<form"), "{query}: {html}");
    }
    let (_, html) = page(&app, "/trends?from=2026-11-02&to=2026-11-01").await;
    assert!(html.contains("The end date is before the start date."));

    // One check is not a chart: it says how many more periods are needed.
    let reference: Value = app.client.get(app.url("/api/v1/reference")).send().await.unwrap().json().await.unwrap();
    let theme = reference["themes"][0].clone();
    let staff = app.add_staff("Dorota Nowak", &[service]).await.id;
    let shift_leader = TestApp::new_client();
    app.add_user("leader@example.org", &[Role::ShiftLeader], &[service]).await;
    app.sign_in_with(&shift_leader, "leader@example.org", support::PASSWORD).await;
    app.send_observation(&shift_leader, (service, staff, &theme), |_| 3, false, 60).await;
    let (status, one) = get(&app, &format!("/api/v1/trends/standard?theme={}", theme["id"].as_str().unwrap())).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["chart"], serde_json::json!({ "kind": "not_enough", "periods": 1, "checks": 1, "more_periods": 9 }));
    assert_eq!(
        one["summary"],
        "Not enough checks yet: 1 month with checks (1 check). 9 more months with checks are needed for a chart."
    );
    // Coverage: who has not been observed on the theme lately, and which shifts had no check.
    app.add_staff("Ellis Whitlow", &[service]).await;
    let (_, html) = page(&app, &format!("/trends?theme={}", theme["id"].as_str().unwrap())).await;
    let coverage = &html[html.find("Coverage").expect("a coverage section")..];
    assert!(coverage.contains("Not observed on this theme in the 91 days"), "{coverage}");
    assert!(coverage.contains("Ellis Whitlow") && !coverage.contains("Dorota Nowak"), "{coverage}");
    assert!(coverage.contains("No checks in the last 28 days on"), "one check cannot cover every shift");
    // Shift leaders record practice; they do not review it.
    let status = shift_leader.get(app.url("/api/v1/trends/standard")).send().await.unwrap().status();
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn a_staff_members_trend_theme_by_theme(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    recheck_server::demo::load(app.database.storage.as_ref(), true).await.unwrap();
    let storage = &app.database.storage;
    let services = storage.organisation.services().await.unwrap();
    let larch = services.iter().find(|service| service.name == "Larch House").unwrap().id;
    let staff = storage.organisation.staff_members(None).await.unwrap();
    let id_of = |person: &str| staff.iter().find(|member| member.name == person).unwrap().id;
    app.sign_in_as(&[Role::DeputyManager], &[larch]).await;

    // Dorota Nowak was coached in a cycle: her checks before and after it, side by side.
    let (status, html) = page(&app, &format!("/trends/staff?staff={}", id_of("Dorota Nowak"))).await;
    assert_eq!(status, StatusCode::OK);
    for words in [
        "Dorota Nowak&#x27;s trend",
        "Before and after the coaching of ",
        "each criterion&#x27;s ratings",
        "Each criterion month by month",
        "Announced",
        "Month by month, with the actions taken",
    ] {
        assert!(html.contains(words) || html.contains(&words.replace("&#x27;", "'")), "{words}");
    }
    assert!(html.contains("<svg"), "the comparisons are pictures");
    // Her time line marks each action of her cycle, in the picture and in words.
    let line = &html[html.find("-line-title").expect("a time line")..];
    assert!(line.contains("class=\"chart__action\"") && line.contains("Marked: Coaching, "), "{line}");

    // A range backwards or over ten years is refused beside its field, never a broken page.
    let dorota = id_of("Dorota Nowak");
    for range in ["from=2026-11-02&to=2026-11-01", "from=2010-01-01&to=2026-11-01", "from=2010-01-01"] {
        let (status, html) = page(&app, &format!("/trends/staff?staff={dorota}&{range}")).await;
        assert_eq!(status, StatusCode::OK, "{range}");
        assert!(html.contains("role=\"alert\"") && html.contains("<form"), "{range}: {html}");
        assert!(
            html.contains("The end date is before the start date.") || html.contains("at most ten years"),
            "{range}"
        );
    }

    // The theme view: each criterion's ratings counted, and which staff stand out.
    let (status, html) = page(&app, &format!("/trends?service={larch}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Each criterion&#x27;s ratings") || html.contains("Each criterion's ratings"), "{html}");
    assert!(html.contains("chart__score--1") && html.contains("Rated 1 or 2"), "a 1–4 picture and its table");
    assert!(html.contains("Staff who stand out") && html.contains(&format!("/trends/staff?staff={dorota}")));
    let (_, trend) = get(&app, &format!("/api/v1/trends/standard?service={larch}")).await;
    let criteria = trend["criteria"].as_array().expect("the criteria in the API");
    assert!(criteria.iter().all(|counts| counts["by_score"].as_array().unwrap().len() == 4), "{trend}");
    assert!(trend["by_staff"].as_array().is_some_and(|staff| staff.len() > 1), "{trend}");

    // A team leader sees their own service's trends and nobody else's.
    let team_leader = TestApp::new_client();
    app.add_user("team.leader@example.org", &[Role::TeamLeader], &[larch]).await;
    app.sign_in_with(&team_leader, "team.leader@example.org", support::PASSWORD).await;
    let other = services.iter().find(|service| service.id != larch).unwrap().id;
    let read = |path: String| {
        let request = team_leader.get(app.url(&path)).header("accept", "text/html");
        async move { request.send().await.unwrap().status() }
    };
    assert_eq!(read(format!("/trends?service={larch}")).await, StatusCode::OK);
    assert_eq!(read(format!("/trends/staff?staff={dorota}")).await, StatusCode::OK);
    assert_eq!(read(format!("/trends?service={other}")).await, StatusCode::FORBIDDEN);
    assert_eq!(read(format!("/api/v1/trends/standard?service={other}")).await, StatusCode::FORBIDDEN);
    assert_eq!(read(format!("/trends/staff?staff={}", id_of("Quentin Ashby"))).await, StatusCode::NOT_FOUND);

    // Someone from another service, someone unknown, nonsense and nobody at all.
    let (status, html) = page(&app, &format!("/trends/staff?staff={}", id_of("Quentin Ashby"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("That is not a staff member of your services.") && html.contains("<form"));
    let (status, _) = page(&app, &format!("/trends/staff?staff={}", Uuid::now_v7())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, html) = page(&app, "/trends/staff?staff=nobody").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("That is not one of the choices."));
    let (_, html) = page(&app, "/trends/staff").await;
    assert!(html.contains("Choose a staff member to see their trend."));
}

on_both_backends!(
    a_staff_members_trend_theme_by_theme,
    the_demonstration_history_charted_by_month_and_by_week,
    bad_input_is_refused_by_field_and_never_breaks_the_page
);
