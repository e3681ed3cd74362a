//! An improvement cycle over HTTP on each backend, across five weeks of the server's clock (seed
//! example 1, `docs/domain.md` §6): a weak check becomes a cycle, the deputy sets the standard,
//! the team leader coaches, re-checks arrive from shift leaders on other shifts, the verdict moves
//! from improving (with what is missing) to sustained, the registered manager closes it, and a
//! check below the standard in the watch reopens it. Bad input is refused beside its field. The
//! same steps through the JSON API are judged by the same rules, and refusals name its fields.

mod support;

use recheck_app::domain::access::Role;
use recheck_app::domain::audit::AuditFilter;
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{PASSWORD, TestApp, TestDatabase};
use uuid::Uuid;

const DAY_MS: i64 = 24 * 3_600_000;

/// Monday 2 November 2026, 09:00 in London (GMT): an early weekday shift.
const START_MS: i64 = 1_793_610_000_000;

fn fields(pairs: &[(&str, &str)]) -> Value {
    json!({ "fields": pairs.iter().map(|(name, value)| [name, value]).collect::<Vec<_>>() })
}

struct Person {
    email: String,
    id: Uuid,
    client: reqwest::Client,
}

struct Story {
    app: TestApp,
    service: Uuid,
    dorota: Uuid,
    theme: Value,
    team_leader: Person,
    deputy: Person,
    manager: Person,
    night_leader: Person,
    day_leader: Person,
}

impl Story {
    async fn person(app: &TestApp, email: &str, role: Role, service: Uuid) -> Person {
        let user = app.add_user(email, &[role], &[service]).await;
        let client = TestApp::new_client();
        assert_eq!(app.sign_in_with(&client, email, PASSWORD).await.status(), StatusCode::OK);
        Person { email: email.to_owned(), id: user.id, client }
    }

    async fn begin(database: TestDatabase) -> Story {
        database.clock.set(START_MS);
        let app = TestApp::spawn(database).await;
        let service = app.add_service("Larch House").await.id;
        let dorota = app.add_staff("Dorota Nowak", &[service]).await.id;
        let team_leader = Story::person(&app, "bethan@example.org", Role::TeamLeader, service).await;
        let reference: Value =
            team_leader.client.get(app.url("/api/v1/reference")).send().await.unwrap().json().await.unwrap();
        let theme = reference["themes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|theme| theme["kind"] == "observation")
            .unwrap()
            .clone();
        Story {
            deputy: Story::person(&app, "amara@example.org", Role::DeputyManager, service).await,
            manager: Story::person(&app, "helen@example.org", Role::RegisteredManager, service).await,
            night_leader: Story::person(&app, "jodie@example.org", Role::ShiftLeader, service).await,
            day_leader: Story::person(&app, "callum@example.org", Role::ShiftLeader, service).await,
            app,
            service,
            dorota,
            theme,
            team_leader,
        }
    }

    /// Moves the server's clock on, and signs everyone in again (their sessions have lapsed).
    async fn days_later(&self, days: i64, hour_utc: i64) {
        let clock = &self.app.database.clock;
        clock.set(START_MS - 9 * 3_600_000 + (self.days_since_start() + days) * DAY_MS + hour_utc * 3_600_000);
        for person in [&self.team_leader, &self.deputy, &self.manager, &self.night_leader, &self.day_leader] {
            assert_eq!(self.app.sign_in_with(&person.client, &person.email, PASSWORD).await.status(), StatusCode::OK);
        }
    }

    fn days_since_start(&self) -> i64 {
        (self.app.database.storage.now_ms() - (START_MS - 9 * 3_600_000)).div_euclid(DAY_MS)
    }

    fn today(&self) -> String {
        recheck_app::domain::check::date_in_zone("Europe/London", self.app.database.storage.now_ms()).to_string()
    }

    /// A check of Dorota observed a minute ago, with `first` for the first criterion and 3 for
    /// the rest; its id.
    async fn check(&self, by: &Person, first: u8, announced: bool) -> Uuid {
        let about = (self.service, self.dorota, &self.theme);
        let score = |index| if index == 0 { first } else { 3 };
        self.app.send_observation(&by.client, about, score, announced, 1).await
    }

    async fn post(&self, by: &Person, endpoint: &str, body: Value) -> (StatusCode, Value) {
        let response = by.client.post(self.app.url(&format!("/fn/{endpoint}"))).json(&body).send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// A page as the deputy manager sees it, which must be there.
    async fn page(&self, path: &str) -> String {
        let page = self.deputy.client.get(self.app.url(path)).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK, "{path}");
        page.text().await.unwrap()
    }

    async fn cycle(&self, id: &str) -> Value {
        let url = self.app.url(&format!("/api/v1/cycles/{id}"));
        self.deputy.client.get(url).send().await.unwrap().json().await.unwrap()
    }
}

/// The field a refusal names, and its message.
fn refusal(body: &Value) -> (String, String) {
    let first = &body["Invalid"][0];
    (first["field"].as_str().unwrap_or_default().to_owned(), first["message"].as_str().unwrap_or_default().to_owned())
}

async fn a_cycle_from_concern_to_a_sustained_verdict_and_a_reversion_in_its_watch(database: TestDatabase) {
    let story = Story::begin(database).await;
    let service = story.service.to_string();
    let theme = story.theme["id"].as_str().unwrap().to_owned();
    let dorota = story.dorota.to_string();

    // Step 1: the team leader's weak observation becomes a cycle.
    let weak = story.check(&story.team_leader, 2, true).await.to_string();
    let leaver = story.app.add_staff("Len Left", &[story.service]).await;
    let by = recheck_app::domain::audit::Author::system("test");
    let mut left = recheck_app::domain::organisation::NewStaffMember::new(
        recheck_app::domain::text::Name::parse("Name", "Len Left").unwrap(),
        recheck_app::domain::text::ShortText::parse("Text", "Carer").unwrap(),
        None,
        vec![story.service],
    );
    left.id = leaver.id;
    story.app.database.storage.update_staff_member(left, true, &by).await.unwrap();
    let opening = |staff: &str| {
        fields(&[
            ("service", &service),
            ("theme", &theme),
            ("staff", staff),
            ("concern", "Hurried prompts; no choice of clothes offered."),
            ("source_checks", &weak),
        ])
    };
    let (status, body) = story.post(&story.team_leader, "cycles/open", opening(&leaver.id.to_string())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refusal(&body).0, "staff", "{body}");
    let (status, body) = story.post(&story.team_leader, "cycles/open", opening(&dorota)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cycle = body.as_str().unwrap().to_owned();
    let (status, body) = story.post(&story.team_leader, "cycles/open", opening(&dorota)).await;
    assert_eq!((status, refusal(&body).0.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "staff"), "{body}");
    assert!(refusal(&body).1.contains("already has an open cycle"));
    let opened = story.cycle(&cycle).await;
    assert_eq!(opened["stage"], "needs_standard");
    assert_eq!(opened["cycle"]["sources"][0]["check_id"], weak.as_str());

    // Step 2: the deputy manager sets the standard; a focus criterion from another theme is refused.
    let pace = story.theme["criteria"][0]["id"].as_str().unwrap().to_owned();
    let deputy = story.deputy.id.to_string();
    let standard = |focus: &str| {
        fields(&[
            ("id", &cycle),
            ("standard", "Explain each step and offer a real choice."),
            ("focus", focus),
            ("changes_required", "Slow down; offer two outfits."),
            ("owner", &deputy),
            ("target_date", "2026-12-31"),
        ])
    };
    let (status, body) = story.post(&story.deputy, "cycles/standard", standard(&Uuid::now_v7().to_string())).await;
    assert_eq!((status, refusal(&body).0.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "focus"), "{body}");
    let (status, _) = story.post(&story.team_leader, "cycles/standard", standard(&pace)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a team leader does not set the standard");
    // A staff member who is not a user cannot own the cycle.
    let mut owned_by_dorota = standard(&pace);
    owned_by_dorota["fields"][4][1] = json!(dorota);
    let (status, body) = story.post(&story.deputy, "cycles/standard", owned_by_dorota).await;
    assert_eq!((status, refusal(&body).0.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "owner"), "{body}");
    let (status, body) = story.post(&story.deputy, "cycles/standard", standard(&pace)).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Step 3: the team leader coaches; a date in the future or before the concern is refused.
    let team_leader = story.team_leader.id.to_string();
    let action = |date: &str| {
        fields(&[
            ("id", &cycle),
            ("kind", "coaching"),
            ("date", date),
            ("led_by", &team_leader),
            ("attendees", &dorota),
            ("guidance", "Walked through a morning routine at the person's pace."),
            ("expected_points", "A choice at each step."),
        ])
    };
    // Nor lead an action: only those who lead cycles do.
    let mut led_by_dorota = action(&story.today());
    led_by_dorota["fields"][3][1] = json!(dorota);
    let (status, body) = story.post(&story.team_leader, "cycles/action", led_by_dorota).await;
    assert_eq!((status, refusal(&body).0.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "led_by"), "{body}");
    for bad in ["2026-11-03", "2026-11-01"] {
        let (status, body) = story.post(&story.team_leader, "cycles/action", action(bad)).await;
        assert_eq!((status, refusal(&body).0.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "date"), "{bad}: {body}");
    }
    let (status, body) = story.post(&story.team_leader, "cycles/action", action(&story.today())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Re-checks are now judged by the standard: it is reinforced at an escalation, not edited.
    let (status, body) = story.post(&story.deputy, "cycles/standard", standard(&pace)).await;
    assert_eq!((status, refusal(&body).0.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "standard"), "{body}");
    assert_eq!(
        story.cycle(&cycle).await["verdict_in_words"].as_str().unwrap().split(',').next(),
        Some("Improving: still needs 3 more re-checks")
    );

    // An impossible rule is refused beside its field; the service's rule is the registered manager's.
    let rule = |unannounced: &str| {
        fields(&[
            ("service", &service),
            ("min_rechecks", "3"),
            ("min_days", "28"),
            ("min_shift_types", "2"),
            ("min_pressure_checks", "1"),
            ("min_unannounced", unannounced),
            ("min_independent", "1"),
            ("watch_days", "90"),
        ])
    };
    let (status, body) = story.post(&story.manager, "cycles/rule", rule("4")).await;
    assert_eq!((status, refusal(&body).0.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "min_unannounced"), "{body}");
    assert_eq!(story.post(&story.deputy, "cycles/rule", rule("1")).await.0, StatusCode::FORBIDDEN);

    // Step 4: re-checks on later days, on other shifts, by others; the verdict says what is missing.
    story.days_later(3, 10).await; // Thursday 5 November, early shift.
    story.check(&story.day_leader, 3, true).await;
    let improving = story.cycle(&cycle).await;
    assert_eq!(
        improving["verdict_in_words"],
        "Improving: still needs 2 more re-checks, 25 more days, a re-check on another shift type, an evening, night \
         or weekend check and one more unannounced check."
    );
    // The night shift leader's device is asked for exactly what is missing.
    let reference: Value =
        story.night_leader.client.get(story.app.url("/api/v1/reference")).send().await.unwrap().json().await.unwrap();
    assert_eq!(reference["rechecks"][0]["cycle_id"], cycle.as_str());
    assert_eq!(reference["rechecks"][0]["needs"]["seen_shifts"], json!(["early"]));

    // The registered manager cannot close what is not yet sustained.
    let review = |conclusion: &str| fields(&[("id", &cycle), ("conclusion", conclusion), ("findings", "Reviewed.")]);
    let (status, body) = story.post(&story.manager, "cycles/review", review("close")).await;
    assert_eq!((status, refusal(&body).0.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "conclusion"), "{body}");

    story.days_later(9, 22).await; // Saturday 14 November, night shift.
    story.check(&story.night_leader, 4, false).await;
    story.days_later(17, 15).await; // Tuesday 1 December, late shift, 29 days after the coaching.
    story.check(&story.day_leader, 3, true).await;
    let sustained = story.cycle(&cycle).await;
    assert_eq!(sustained["verdict"]["verdict"], "sustained", "{sustained}");
    assert_eq!(sustained["judgement"]["rechecks"].as_array().unwrap().len(), 3);

    // Step 5: the registered manager closes it; the verdict and its evidence are frozen.
    let (status, body) = story.post(&story.manager, "cycles/review", review("close")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let closed = story.cycle(&cycle).await;
    assert_eq!(closed["stage"], "closed");
    assert_eq!(closed["cycle"]["reviews"][0]["evidence"].as_array().unwrap().len(), 3);

    // The evidence on one page, for an inspector: the chain in order, each re-check as it was
    // rated, the rule, the CQC headings, and who produced it when; no form to change anything.
    let evidence = story.manager.client.get(story.app.url(&format!("/cycles/{cycle}/evidence"))).send().await.unwrap();
    assert_eq!(evidence.status(), StatusCode::OK);
    let evidence = evidence.text().await.unwrap();
    let mut from = 0;
    for part in [
        "Evidence of improvement",
        "Produced from the records in Recheck on 1 December 2026 at 15:",
        "Caring: Kindness, compassion and dignity",
        "Observation, Processes",
        "1. Concern",
        "2. Expected standard",
        "3. Targeted action",
        "4. Live re-checks",
        "Each re-check as it was recorded",
        "Rated against version 1 of the theme",
        "5. Governance review",
    ] {
        let at = evidence[from..].find(part).unwrap_or_else(|| panic!("{part} missing or out of order: {evidence}"));
        from += at + part.len();
    }
    assert_eq!(evidence.matches("Rated against version").count(), 3, "one rating table a re-check");
    assert!(!evidence.contains("data-fn"), "the evidence page changes nothing: {evidence}");

    // After closing, a change is an amendment: an action without a reason is refused, and
    // nothing is saved (the audit trail below holds no such step).
    let (status, body) = story.post(&story.team_leader, "cycles/action", action(&story.today())).await;
    assert_eq!((status, refusal(&body).0.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "reason"), "{body}");

    // In the watch, a check below the standard is flagged on the closed cycle, which is reopened.
    story.days_later(10, 10).await;
    story.check(&story.day_leader, 1, false).await;
    assert_eq!(story.cycle(&cycle).await["verdict"]["verdict"], "sustained", "the frozen verdict stands");
    let page = story.deputy.client.get(story.app.url(&format!("/cycles/{cycle}"))).send().await.unwrap();
    assert!(page.text().await.unwrap().contains("Reversion in the watch"));
    let (status, body) = story.post(&story.deputy, "cycles/reopen", fields(&[("id", &cycle), ("reason", "")])).await;
    assert_eq!((status, refusal(&body).0.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "reason"), "{body}");
    let reopen = fields(&[("id", &cycle), ("reason", "A weak unannounced check in the watch.")]);
    assert_eq!(story.post(&story.deputy, "cycles/reopen", reopen).await.0, StatusCode::OK);
    let reverted = story.cycle(&cycle).await;
    assert_eq!(reverted["verdict"]["verdict"], "reverted", "{reverted}");
    let home = story.deputy.client.get(story.app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("Cycles waiting for you") && home.contains("Below the standard again"), "{home}");

    // The list finds it by verdict, owner and staff member, flagged for escalation, and not under
    // filters it does not match; a staff member's trend lists it as a cycle about them.
    let manager = story.manager.id;
    for query in ["verdict=reverted".to_owned(), format!("owner={deputy}"), format!("staff={}", story.dorota)] {
        let page = story.page(&format!("/cycles?{query}")).await;
        assert!(page.contains(&format!("/cycles/{cycle}")) && page.contains("Needs escalation"), "{query}: {page}");
    }
    for query in ["verdict=sustained".to_owned(), format!("owner={manager}"), "stage=closed".to_owned()] {
        let page = story.page(&format!("/cycles?{query}")).await;
        assert!(!page.contains(&format!("/cycles/{cycle}")), "{query}: {page}");
    }
    let all = story.page("/cycles").await;
    assert!(all.contains("1 cycle."), "{all}");
    let staff_page = story.page(&format!("/trends/staff?staff={}", story.dorota)).await;
    assert!(
        staff_page.contains("Improvement cycles about Dorota Nowak (1)")
            && staff_page.contains(&format!("/cycles/{cycle}")),
        "{staff_page}"
    );

    // Escalating reinforces the standard and tightens the plan; re-checks count again from the
    // next action.
    let escalate = fields(&[
        ("id", &cycle),
        ("conclusion", "escalate"),
        ("findings", "Slipped back on an unannounced day."),
        ("reinforced_standard", "Offer a real choice at every step, every time."),
        ("tighten", "on"),
        ("min_rechecks", "4"),
        ("min_days", "42"),
        ("min_shift_types", "2"),
        ("min_pressure_checks", "2"),
        ("min_unannounced", "2"),
        ("min_independent", "1"),
        ("watch_days", "90"),
    ]);
    let (status, body) = story.post(&story.deputy, "cycles/review", escalate).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let escalated = story.cycle(&cycle).await;
    assert_eq!(escalated["stage"], "needs_action", "{escalated}");
    assert_eq!(escalated["cycle"]["rule"]["min_rechecks"], 4);
    assert_eq!(
        escalated["cycle"]["reviews"][1]["reinforced_standard"],
        "Offer a real choice at every step, every time."
    );
    let page = story.page(&format!("/cycles/{cycle}")).await;
    assert!(page.contains("Reinforced at escalation") && page.contains("At least 4 re-checks"), "{page}");
    story.days_later(1, 10).await;
    let (status, body) = story.post(&story.team_leader, "cycles/action", action(&story.today())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        story.cycle(&cycle).await["verdict_in_words"].as_str().unwrap().split(',').next(),
        Some("Improving: still needs 4 more re-checks")
    );

    let events = story
        .app
        .database
        .storage
        .audit
        .audit_events(&AuditFilter { subject_id: Uuid::parse_str(&cycle).ok(), limit: 20, ..Default::default() })
        .await
        .unwrap();
    let actions: Vec<&str> = events.iter().rev().map(|event| event.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "cycle.opened",
            "cycle.standard_set",
            "cycle.action_recorded",
            "cycle.reviewed",
            "cycle.reopened",
            "cycle.reviewed",
            "cycle.action_recorded"
        ]
    );
}

impl Story {
    /// A JSON API request by `by`; its status and body.
    async fn api(&self, by: &Person, method: &str, path: &str, body: Value) -> (StatusCode, Value) {
        let request = by.client.request(method.parse().unwrap(), self.app.url(path)).json(&body);
        let response = request.send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

/// The field an API refusal names first.
fn api_refusal(body: &Value) -> &str {
    body["fields"][0]["field"].as_str().unwrap_or_default()
}

async fn the_json_api_takes_each_step_by_the_forms_rules(database: TestDatabase) {
    let story = Story::begin(database).await;
    let theme = story.theme["id"].as_str().unwrap().to_owned();
    let pace = story.theme["criteria"][0]["id"].as_str().unwrap().to_owned();
    let amir = story.app.add_staff("Amir Khan", &[story.service]).await.id;
    let weak = story.check(&story.team_leader, 2, true).await;
    let opening = |staff: Vec<Uuid>, group_name: &str| {
        json!({
            "service": story.service, "theme": theme, "staff": staff, "group_name": group_name,
            "concern": "Hurried prompts.", "source_checks": [weak],
            "sources": [{ "kind": "feedback", "date": "2026-10-30", "description": "A relative said mornings feel rushed." }],
        })
    };
    let (status, body) = story.api(&story.team_leader, "POST", "/api/v1/cycles", json!({ "theme": theme })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) =
        story.api(&story.team_leader, "POST", "/api/v1/cycles", opening(vec![story.dorota, amir], "")).await;
    assert_eq!((status, api_refusal(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "group_name"), "{body}");
    let (status, opened) =
        story.api(&story.team_leader, "POST", "/api/v1/cycles", opening(vec![story.dorota], "")).await;
    assert_eq!(status, StatusCode::CREATED, "{opened}");
    assert_eq!(opened["stage"], "needs_standard");
    assert_eq!(opened["cycle"]["sources"][1]["kind"], "feedback");
    let cycle = opened["cycle"]["id"].as_str().unwrap().to_owned();
    let step = |name: &str| format!("/api/v1/cycles/{cycle}/{name}");

    let standard = |focus: &str| {
        json!({
            "standard": "Explain each step and offer a real choice.", "focus": [focus],
            "changes_required": "Slow down.", "owner": story.deputy.id, "target_date": "2026-12-31",
        })
    };
    let (status, _) = story.api(&story.team_leader, "POST", &step("standard"), standard(&pace)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) =
        story.api(&story.deputy, "POST", &step("standard"), standard(&Uuid::now_v7().to_string())).await;
    assert_eq!((status, api_refusal(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "focus"), "{body}");
    let (status, body) = story.api(&story.deputy, "POST", &step("standard"), standard(&pace)).await;
    assert_eq!((status, body["stage"].as_str()), (StatusCode::OK, Some("needs_action")), "{body}");

    let action = |date: &str| {
        json!({
            "kind": "coaching", "date": date, "led_by": story.team_leader.id, "attendees": [story.dorota],
            "guidance": "Walked through a morning routine.", "expected_points": "A choice at each step.",
        })
    };
    let (status, body) = story.api(&story.team_leader, "POST", &step("actions"), action("2099-01-01")).await;
    assert_eq!((status, api_refusal(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "date"), "{body}");
    let (status, body) = story.api(&story.team_leader, "POST", &step("actions"), action(&story.today())).await;
    assert_eq!((status, body["stage"].as_str()), (StatusCode::OK, Some("rechecking")), "{body}");
    assert!(body["verdict_in_words"].as_str().unwrap().starts_with("Improving: still needs 3 more re-checks"));

    // The plan may be tightened by a review, never loosened; the service's rule is kept apart.
    let rule = json!({
        "min_rechecks": 2, "min_days": 28, "min_shift_types": 2, "min_pressure_checks": 1,
        "min_unannounced": 1, "min_independent": 1, "watch_days": 90,
    });
    let extend = json!({ "conclusion": "extend", "findings": "Early days.", "tightened_rule": rule });
    let (status, body) = story.api(&story.manager, "POST", &step("reviews"), extend).await;
    assert_eq!((status, api_refusal(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "min_rechecks"), "{body}");
    let close = json!({ "conclusion": "close", "findings": "Better.", "tightened_rule": null });
    let (status, body) = story.api(&story.manager, "POST", &step("reviews"), close.clone()).await;
    assert_eq!((status, api_refusal(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "conclusion"), "{body}");
    let service_rule = format!("/api/v1/services/{}/sustainment-rule", story.service);
    let impossible = json!({
        "min_rechecks": 3, "min_days": 28, "min_shift_types": 2, "min_pressure_checks": 1,
        "min_unannounced": 4, "min_independent": 1, "watch_days": 90,
    });
    let (status, body) = story.api(&story.manager, "PUT", &service_rule, impossible).await;
    assert_eq!((status, api_refusal(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "min_unannounced"), "{body}");
    let (status, body) = story.api(&story.manager, "PUT", &service_rule, rule.clone()).await;
    assert_eq!((status, &body), (StatusCode::OK, &rule));
    assert_eq!(story.api(&story.deputy, "GET", &service_rule, Value::Null).await.1, rule);
    assert_eq!(story.cycle(&cycle).await["cycle"]["rule"]["min_rechecks"], 3, "an opened cycle keeps its plan");

    // Re-checks over 29 days make it sustained; the registered manager closes it through the API.
    story.days_later(3, 10).await;
    story.check(&story.day_leader, 3, true).await;
    story.days_later(9, 22).await;
    story.check(&story.night_leader, 4, false).await;
    story.days_later(17, 15).await;
    story.check(&story.day_leader, 3, true).await;
    let (status, body) = story.api(&story.manager, "POST", &step("reviews"), close).await;
    assert_eq!((status, body["stage"].as_str()), (StatusCode::OK, Some("closed")), "{body}");
    assert_eq!(body["verdict"]["verdict"], "sustained");
    let (status, body) = story.api(&story.deputy, "POST", &step("reopen"), json!({ "reason": " " })).await;
    assert_eq!((status, api_refusal(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "reason"), "{body}");

    let openapi: Value =
        story.app.client.get(story.app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    for path in [
        "/api/v1/cycles",
        "/api/v1/cycles/{id}/standard",
        "/api/v1/cycles/{id}/actions",
        "/api/v1/cycles/{id}/reviews",
        "/api/v1/cycles/{id}/reopen",
    ] {
        assert!(openapi["paths"][path]["post"].is_object(), "{path}");
    }
    assert!(openapi["paths"]["/api/v1/services/{id}/sustainment-rule"]["put"].is_object());
}

on_both_backends!(
    a_cycle_from_concern_to_a_sustained_verdict_and_a_reversion_in_its_watch,
    the_json_api_takes_each_step_by_the_forms_rules
);
