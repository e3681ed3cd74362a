//! Administration over HTTP on each backend: the table of every server function and API endpoint
//! against every role (and a manager of another service, and nobody), then the stories a
//! provider admin or registered manager lives through: bad input refused field by field, a CSV
//! import with errors importing nothing, one-time passwords, disabled users.

mod support;

use recheck_app::domain::access::Role;
use recheck_app::domain::audit::AuditFilter;
use recheck_app::domain::organisation::Service;
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{PASSWORD, TestApp, TestDatabase};
use uuid::Uuid;

/// Who is asking: nobody, someone in each role assigned to the home service, or the registered
/// manager of another service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Who {
    Nobody,
    InHome(Role),
    OtherManager,
}

fn same(body: Value) -> Box<dyn Fn(Who) -> Value> {
    Box::new(move |_| body.clone())
}

const ANYONE: &[Who] = &[
    Who::Nobody,
    Who::InHome(Role::ShiftLeader),
    Who::InHome(Role::TeamLeader),
    Who::InHome(Role::DeputyManager),
    Who::InHome(Role::RegisteredManager),
    Who::InHome(Role::QualityLead),
    Who::InHome(Role::ProviderAdmin),
    Who::OtherManager,
];
const EVERYONE_SIGNED_IN: &[Who] = ANYONE.split_first().unwrap().1;
/// Everyone in the home service, in every role.
const HOME_PEOPLE: &[Who] = EVERYONE_SIGNED_IN.split_last().unwrap().1;
const ADMINISTRATORS: &[Who] =
    &[Who::InHome(Role::RegisteredManager), Who::InHome(Role::ProviderAdmin), Who::OtherManager];
const HOME_MANAGERS: &[Who] = &[Who::InHome(Role::RegisteredManager), Who::InHome(Role::ProviderAdmin)];
const PROVIDER_ADMIN: &[Who] = &[Who::InHome(Role::ProviderAdmin)];
/// docs/domain.md §2: who takes each step of an improvement cycle.
const CYCLE_OPENERS: &[Who] = &[
    Who::InHome(Role::TeamLeader),
    Who::InHome(Role::DeputyManager),
    Who::InHome(Role::RegisteredManager),
    Who::InHome(Role::QualityLead),
];
const ACTION_RECORDERS: &[Who] = CYCLE_OPENERS;
const STANDARD_SETTERS: &[Who] = &[Who::InHome(Role::DeputyManager), Who::InHome(Role::RegisteredManager)];
const REVIEWERS: &[Who] = &[Who::InHome(Role::RegisteredManager)];
/// docs/domain.md §7: trends are for those who review practice, not those who record it.
const TREND_VIEWERS: &[Who] = CYCLE_OPENERS;
/// docs/domain.md §8: warnings are for the people who act on them.
const WARNING_ACTORS: &[Who] =
    &[Who::InHome(Role::DeputyManager), Who::InHome(Role::RegisteredManager), Who::InHome(Role::QualityLead)];
const WARNING_ACTORS_ANYWHERE: &[Who] = &[
    Who::InHome(Role::DeputyManager),
    Who::InHome(Role::RegisteredManager),
    Who::InHome(Role::QualityLead),
    Who::OtherManager,
];
const TREND_VIEWERS_ANYWHERE: &[Who] = &[
    Who::InHome(Role::TeamLeader),
    Who::InHome(Role::DeputyManager),
    Who::InHome(Role::RegisteredManager),
    Who::InHome(Role::QualityLead),
    Who::OtherManager,
];

fn fields(pairs: &[(&str, &str)]) -> Value {
    json!({ "fields": pairs.iter().map(|(name, value)| [name, value]).collect::<Vec<_>>() })
}

fn service_form(id: &str, name: &str) -> Value {
    fields(&[
        ("id", id),
        ("name", name),
        ("time_zone", "Europe/London"),
        ("shifts.0.kind", "Long day"),
        ("shifts.0.start", "08:00"),
        ("shifts.0.end", "20:00"),
        ("shifts.1.kind", "Night"),
        ("shifts.1.start", "20:00"),
        ("shifts.1.end", "08:00"),
        ("weekend", "Sunday"),
    ])
}

fn theme_form(name: &str) -> Value {
    fields(&[
        ("name", name),
        ("expected_standard", "People are helped to drink enough."),
        ("kind", "observation"),
        ("criteria.0.title", "Drinks offered"),
        ("criteria.0.descriptor_1", "Rarely"),
        ("criteria.0.descriptor_2", "Sometimes"),
        ("criteria.0.descriptor_3", "Regularly"),
        ("criteria.0.descriptor_4", "Always, and preferences known"),
    ])
}

struct Fixture {
    app: TestApp,
    home: Service,
    clients: Vec<(Who, reqwest::Client)>,
    /// A shift leader in the home service whom the checks below change and give passwords.
    target_user: Uuid,
    home_staff: Uuid,
    /// A check of the home staff member, recorded by the home shift leader.
    home_check: Uuid,
}

/// Records a check of `staff` at `service` through the sync API, as `client`'s tablet would.
async fn record_check(app: &TestApp, client: &reqwest::Client, service: Uuid, staff: Uuid) -> Uuid {
    let reference: Value = client.get(app.url("/api/v1/reference")).send().await.unwrap().json().await.unwrap();
    app.send_observation(client, (service, staff, &reference["themes"][0]), |_| 2, false, 60).await
}

async fn fixture(database: TestDatabase) -> Fixture {
    let app = TestApp::spawn(database).await;
    let home = app.add_service("Larch House").await;
    let other = app.add_service("Brookside").await;
    let home_staff = app.add_staff("Hidden Homestaff", &[home.id]).await.id;
    let target_user = app.add_user("target@example.org", &[Role::ShiftLeader], &[home.id]).await.id;
    let mut clients = vec![(Who::Nobody, TestApp::new_client())];
    for who in EVERYONE_SIGNED_IN {
        let (email, roles, services) = match who {
            Who::InHome(role) => {
                let services = if role.spans_all_services() { vec![] } else { vec![home.id] };
                (format!("{}@example.org", role.code()), vec![*role], services)
            }
            _ => ("other.manager@example.org".to_owned(), vec![Role::RegisteredManager], vec![other.id]),
        };
        app.add_user(&email, &roles, &services).await;
        let client = TestApp::new_client();
        assert_eq!(app.sign_in_with(&client, &email, PASSWORD).await.status(), StatusCode::OK);
        clients.push((*who, client));
    }
    let (_, shift_leader) = clients.iter().find(|(who, _)| *who == Who::InHome(Role::ShiftLeader)).unwrap();
    let home_check = record_check(&app, shift_leader, home.id, home_staff).await;
    Fixture { app, home, clients, target_user, home_staff, home_check }
}

/// A page read (`GET`, rendered on the server) or a server function a form is sent to.
enum Asked {
    Page(String),
    /// The request's body for each person, so that writes by several people do not collide.
    Function {
        endpoint: &'static str,
        body: Box<dyn Fn(Who) -> Value>,
    },
    /// A JSON API request; `body` is `Null` for none.
    Api {
        method: &'static str,
        path: Box<dyn Fn(Who) -> String>,
        body: Box<dyn Fn(Who) -> Value>,
    },
}

struct Check {
    what: &'static str,
    asked: Asked,
    allowed: &'static [Who],
    /// Text that must never reach anyone not allowed (data from the home service).
    secret: Option<&'static str>,
}

fn page(path: impl Into<String>) -> Asked {
    Asked::Page(path.into())
}

fn function(endpoint: &'static str, body: Box<dyn Fn(Who) -> Value>) -> Asked {
    Asked::Function { endpoint, body }
}

fn api(method: &'static str, path: Box<dyn Fn(Who) -> String>, body: Box<dyn Fn(Who) -> Value>) -> Asked {
    Asked::Api { method, path, body }
}

/// A cycle about `staff` with its standard set (owned by `owner`) and an action taken today, so
/// that every step's form can be sent for it.
async fn cycle_with_an_action(app: &TestApp, service: Uuid, staff: Uuid, owner: Uuid) -> Uuid {
    use recheck_app::domain::audit::Author;
    use recheck_app::domain::cycle::{ActionKind, Cycle, CycleAction, ExpectedStandard, SustainmentRule};
    let storage = &app.database.storage;
    let theme = storage.organisation.themes().await.unwrap().remove(0);
    let today = recheck_app::domain::check::date_in_zone("Europe/London", storage.now_ms());
    let author = Author::user(owner, "Owner");
    let cycle = Cycle {
        id: Uuid::now_v7(),
        service_id: service,
        theme_id: theme.id,
        theme_version: theme.version,
        staff_ids: vec![staff],
        group_name: None,
        opened_by: author.clone(),
        opened_at_ms: storage.now_ms(),
        opened_on: today,
        concern: "Hurried prompts for Hidden Homestaff".into(),
        examples: String::new(),
        sources: vec![],
        standard: Some(ExpectedStandard {
            standard: theme.expected_standard.clone(),
            focus_criteria: vec![theme.criteria[0].id],
            changes_required: "Slow down".into(),
            owner_id: owner,
            target_date: today.plus_days(30),
            set_by: author.clone(),
            set_at_ms: storage.now_ms(),
        }),
        rule: SustainmentRule::default(),
        actions: vec![CycleAction {
            id: Uuid::now_v7(),
            kind: ActionKind::Coaching,
            date: today,
            led_by: owner,
            attendees: vec![staff],
            guidance: "Offer choices".into(),
            response: String::new(),
            expected_points: "Choice".into(),
            recorded_by: author.clone(),
            recorded_at_ms: storage.now_ms(),
        }],
        reviews: vec![],
        amendments: vec![],
        closed_on: None,
    };
    storage.open_cycle(&cycle, &author).await.unwrap();
    cycle.id
}

/// The home service's ISO week now, as reviews name it.
fn this_week(fixture: &Fixture) -> String {
    use recheck_app::domain::check::wall_time_in_zone;
    use recheck_app::domain::review::{Frequency, ReviewPeriod};
    let now = wall_time_in_zone(&fixture.home.time_zone, fixture.app.database.storage.now_ms());
    ReviewPeriod::at(Frequency::Weekly, &fixture.home.shift_pattern, now).unwrap().code()
}

async fn every_endpoint_answers_each_role_as_the_policy_says(database: TestDatabase) {
    let fixture = fixture(database).await;
    let home = fixture.home.id.to_string();
    let target = fixture.target_user.to_string();
    let staff = fixture.home_staff.to_string();
    let home_check = fixture.home_check.to_string();
    // Each person works on a cycle of their own, so that one person's step does not stand in
    // the way of another's.
    let mut own_cycles = std::collections::HashMap::new();
    let mut own_staff = std::collections::HashMap::new();
    for who in ANYONE {
        let member = fixture.app.add_staff(&format!("Staff for {who:?}"), &[fixture.home.id]).await.id;
        own_staff.insert(*who, member.to_string());
        let cycle = cycle_with_an_action(&fixture.app, fixture.home.id, member, fixture.target_user).await;
        own_cycles.insert(*who, cycle.to_string());
    }
    let home_cycle = own_cycles[&Who::Nobody].clone();
    // A second weak check of the home staff member: a warning of repeated weak checks.
    let (_, shift_leader) = fixture.clients.iter().find(|(who, _)| *who == Who::InHome(Role::ShiftLeader)).unwrap();
    record_check(&fixture.app, shift_leader, fixture.home.id, fixture.home_staff).await;
    let (_, manager) = fixture.clients.iter().find(|(who, _)| *who == Who::InHome(Role::RegisteredManager)).unwrap();
    let warnings: Value = manager.get(fixture.app.url("/api/v1/warnings")).send().await.unwrap().json().await.unwrap();
    let home_warning = warnings
        .as_array()
        .unwrap()
        .iter()
        .find(|current| current["warning"]["kind"] == "repeated_weak")
        .map(|current| current["warning"]["key"].as_str().unwrap().to_owned())
        .expect("two weak checks in 28 days raise a warning");
    // Each person records actions they led themselves.
    let mut user_ids = std::collections::HashMap::new();
    for (who, client) in &fixture.clients {
        let me: Value = client.get(fixture.app.url("/api/v1/session")).send().await.unwrap().json().await.unwrap();
        user_ids.insert(*who, me["id"].as_str().unwrap_or_default().to_owned());
    }
    let themes = fixture.app.database.storage.organisation.themes().await.unwrap();
    let second_theme = themes[1].id.to_string();
    let third_theme = themes[2].id.to_string();
    let first_criterion = themes[0].criteria[0].id.to_string();
    let today =
        recheck_app::domain::check::date_in_zone("Europe/London", fixture.app.database.storage.now_ms()).to_string();
    let at = |path: String| -> Box<dyn Fn(Who) -> String> { Box::new(move |_| path.clone()) };
    let own_cycle = |step: &'static str| -> Box<dyn Fn(Who) -> String> {
        let own_cycles = own_cycles.clone();
        Box::new(move |who| format!("/api/v1/cycles/{}/{step}", own_cycles[&who]))
    };
    let cycle_form = |pairs: &'static [(&'static str, &'static str)]| -> Box<dyn Fn(Who) -> Value> {
        let own_cycles = own_cycles.clone();
        Box::new(move |who| {
            let mut all: Vec<(&str, &str)> = vec![("id", own_cycles[&who].as_str())];
            all.extend_from_slice(pairs);
            fields(&all)
        })
    };
    let rule_fields: &[(&str, &str)] = &[
        ("min_rechecks", "3"),
        ("min_days", "28"),
        ("min_shift_types", "2"),
        ("min_pressure_checks", "1"),
        ("min_unannounced", "1"),
        ("min_independent", "1"),
        ("watch_days", "90"),
    ];
    // A team leader's weekly review at home, and the period a manager's audit review is due for now.
    let home_review = {
        use recheck_app::domain::audit::Author;
        use recheck_app::domain::review::{Review, ReviewKind};
        let review = Review {
            id: Uuid::now_v7(),
            service_id: fixture.home.id,
            kind: ReviewKind::WeeklyPractice,
            period: this_week(&fixture),
            recorded_by: Author::system("test"),
            recorded_at_ms: fixture.app.database.storage.now_ms(),
            looked_at: "The week's checks.".into(),
            findings: "Secret finding about Hidden Homestaff".into(),
            actions_taken: String::new(),
            check_ids: vec![],
            theme_ids: vec![],
        };
        fixture.app.database.storage.record_review(&review, "Recorded a review").await.unwrap();
        review.id.to_string()
    };
    let week = this_week(&fixture);
    let checks = vec![
        Check { what: "the reviews", asked: page("/reviews"), allowed: EVERYONE_SIGNED_IN, secret: None },
        Check {
            what: "how often the home service's reviews are due",
            asked: page(format!("/reviews/cadence?service={home}")),
            allowed: HOME_PEOPLE,
            secret: None,
        },
        Check {
            what: "change how often the home service's reviews are due",
            asked: function(
                "reviews/cadence",
                same(fields(&[
                    ("service", &home),
                    ("shift-records", "each-shift"),
                    ("weekly-practice", "weekly"),
                    ("audit-findings", "weekly"),
                    ("supervision-impact", "monthly"),
                    ("theme-governance", "monthly"),
                ])),
            ),
            allowed: HOME_MANAGERS,
            secret: None,
        },
        Check {
            what: "the form recording a home weekly practice review",
            asked: page(format!("/reviews/new?service={home}&kind=weekly-practice")),
            allowed: &[Who::InHome(Role::TeamLeader)],
            secret: None,
        },
        Check {
            what: "record a home audit review",
            asked: function(
                "reviews/record",
                same(fields(&[
                    ("service", &home),
                    ("kind", "audit-findings"),
                    ("period", &week),
                    ("looked_at", "The medicines audit."),
                    ("findings", "Two gaps in signatures."),
                ])),
            ),
            allowed: STANDARD_SETTERS,
            secret: None,
        },
        Check {
            what: "a home weekly practice review",
            asked: page(format!("/reviews/{home_review}")),
            allowed: &[
                Who::InHome(Role::TeamLeader),
                Who::InHome(Role::DeputyManager),
                Who::InHome(Role::RegisteredManager),
                Who::InHome(Role::QualityLead),
                Who::InHome(Role::ProviderAdmin),
            ],
            secret: Some("Secret finding"),
        },
        Check { what: "the cycles list", asked: page("/cycles"), allowed: EVERYONE_SIGNED_IN, secret: None },
        Check {
            what: "the home service's cycles",
            asked: page(format!("/cycles?service={home}")),
            allowed: HOME_PEOPLE,
            secret: Some("Hidden Homestaff"),
        },
        Check {
            what: "a home cycle",
            asked: page(format!("/cycles/{home_cycle}")),
            allowed: HOME_PEOPLE,
            secret: Some("Hurried prompts"),
        },
        Check {
            what: "a home cycle's evidence page",
            asked: page(format!("/cycles/{home_cycle}/evidence")),
            allowed: HOME_PEOPLE,
            secret: Some("Hurried prompts"),
        },
        Check {
            what: "the form that opens a cycle",
            asked: page(format!("/cycles/new?service={home}")),
            allowed: CYCLE_OPENERS,
            secret: Some("Hidden Homestaff"),
        },
        Check {
            what: "the home service's sustainment rule",
            asked: page(format!("/cycles/rule?service={home}")),
            allowed: HOME_PEOPLE,
            secret: None,
        },
        Check {
            what: "open a cycle",
            asked: function("cycles/open", {
                let own_staff = own_staff.clone();
                let theme = second_theme.clone();
                let home = home.clone();
                Box::new(move |who| {
                    fields(&[
                        ("service", &home),
                        ("theme", &theme),
                        ("staff", &own_staff[&who]),
                        ("concern", "Rushed handovers"),
                    ])
                })
            }),
            allowed: CYCLE_OPENERS,
            secret: None,
        },
        Check {
            what: "set the expected standard (an action is recorded: refused on its merits)",
            asked: function("cycles/standard", {
                let own_cycles = own_cycles.clone();
                let user_ids = user_ids.clone();
                let storage = fixture.app.database.storage.clone();
                let theme = storage.organisation.themes().await.unwrap().remove(0);
                let focus = theme.criteria[0].id.to_string();
                Box::new(move |who| {
                    fields(&[
                        ("id", &own_cycles[&who]),
                        ("standard", "Offer a choice every time"),
                        ("focus", &focus),
                        ("changes_required", "Slow down"),
                        ("owner", &user_ids[&who]),
                        ("target_date", "2099-01-01"),
                    ])
                })
            }),
            allowed: STANDARD_SETTERS,
            secret: None,
        },
        Check {
            what: "record an action",
            asked: function("cycles/action", {
                let own_cycles = own_cycles.clone();
                let own_staff = own_staff.clone();
                let user_ids = user_ids.clone();
                let today = today.clone();
                Box::new(move |who| {
                    let led_by = user_ids[&who].clone();
                    fields(&[
                        ("id", &own_cycles[&who]),
                        ("kind", "supervision"),
                        ("date", &today),
                        ("led_by", &led_by),
                        ("attendees", &own_staff[&who]),
                        ("guidance", "Worked through examples"),
                        ("expected_points", "Choice"),
                    ])
                })
            }),
            allowed: ACTION_RECORDERS,
            secret: None,
        },
        Check {
            what: "review a cycle and extend it",
            asked: function("cycles/review", cycle_form(&[("conclusion", "extend"), ("findings", "Too early to say")])),
            allowed: REVIEWERS,
            secret: None,
        },
        Check {
            what: "escalate a cycle",
            asked: function("cycles/review", cycle_form(&[("conclusion", "escalate"), ("findings", "Slipped back")])),
            allowed: STANDARD_SETTERS,
            secret: None,
        },
        Check {
            what: "reopen a cycle (it is open: refused on its merits)",
            asked: function("cycles/reopen", cycle_form(&[("reason", "New evidence")])),
            allowed: STANDARD_SETTERS,
            secret: None,
        },
        Check {
            what: "change the home service's sustainment rule",
            asked: function("cycles/rule", {
                let home = home.clone();
                Box::new(move |_| {
                    let mut all: Vec<(&str, &str)> = vec![("service", home.as_str())];
                    all.extend_from_slice(rule_fields);
                    fields(&all)
                })
            }),
            allowed: HOME_MANAGERS,
            secret: None,
        },
        Check {
            what: "the home service's checks through the API",
            asked: api("GET", at(format!("/api/v1/checks?service={home}")), same(Value::Null)),
            allowed: HOME_PEOPLE,
            secret: None,
        },
        Check {
            what: "the home service's trend through the API",
            asked: api("GET", at(format!("/api/v1/trends/standard?service={home}")), same(Value::Null)),
            allowed: TREND_VIEWERS,
            secret: None,
        },
        Check {
            what: "the warnings of one's services through the API",
            asked: api("GET", at("/api/v1/warnings".to_owned()), same(Value::Null)),
            allowed: WARNING_ACTORS_ANYWHERE,
            secret: None,
        },
        Check {
            what: "keep a decision about a home warning through the API",
            asked: api(
                "POST",
                at("/api/v1/warnings/decisions".to_owned()),
                same(json!({ "key": home_warning, "decision": "acknowledged", "note": "Supervision booked." })),
            ),
            allowed: WARNING_ACTORS,
            secret: None,
        },
        Check {
            what: "the reviews due through the API",
            asked: api("GET", at("/api/v1/reviews/due".to_owned()), same(Value::Null)),
            allowed: EVERYONE_SIGNED_IN,
            secret: None,
        },
        Check {
            what: "the home service's reviews through the API",
            asked: api("GET", at(format!("/api/v1/reviews?service={home}")), same(Value::Null)),
            allowed: HOME_PEOPLE,
            secret: None,
        },
        Check {
            what: "keep a home audit review through the API",
            asked: api(
                "POST",
                at("/api/v1/reviews".to_owned()),
                same(json!({
                    "service_id": home,
                    "kind": "audit-findings",
                    "period": week,
                    "looked_at": "The medicines audit.",
                    "findings": "One gap in signatures.",
                })),
            ),
            allowed: STANDARD_SETTERS,
            secret: None,
        },
        Check {
            what: "a home cycle through the API",
            asked: api("GET", at(format!("/api/v1/cycles/{home_cycle}")), same(Value::Null)),
            allowed: HOME_PEOPLE,
            secret: Some("Hurried prompts"),
        },
        Check {
            what: "open a cycle through the API",
            asked: api("POST", at("/api/v1/cycles".to_owned()), {
                let own_staff = own_staff.clone();
                let theme = third_theme.clone();
                let home = home.clone();
                Box::new(
                    move |who| json!({ "service": home, "theme": theme, "staff": [own_staff[&who]], "concern": "Rushed handovers" }),
                )
            }),
            allowed: CYCLE_OPENERS,
            secret: None,
        },
        Check {
            what: "set the expected standard through the API (refused on its merits)",
            asked: api("POST", own_cycle("standard"), {
                let user_ids = user_ids.clone();
                let focus = first_criterion.clone();
                Box::new(move |who| {
                    json!({
                        "standard": "Offer a choice every time",
                        "focus": [focus],
                        "changes_required": "Slow down",
                        "owner": user_ids[&who],
                        "target_date": "2099-01-01",
                    })
                })
            }),
            allowed: STANDARD_SETTERS,
            secret: None,
        },
        Check {
            what: "record an action through the API",
            asked: api("POST", own_cycle("actions"), {
                let own_staff = own_staff.clone();
                let user_ids = user_ids.clone();
                let today = today.clone();
                Box::new(move |who| {
                    json!({
                        "kind": "modelling",
                        "date": today,
                        "led_by": user_ids[&who],
                        "attendees": [own_staff[&who]],
                        "guidance": "Showed how",
                        "expected_points": "Choice",
                    })
                })
            }),
            allowed: ACTION_RECORDERS,
            secret: None,
        },
        Check {
            what: "review a cycle and extend it through the API",
            asked: api(
                "POST",
                own_cycle("reviews"),
                same(json!({ "conclusion": "extend", "findings": "Too early to say", "tightened_rule": null })),
            ),
            allowed: REVIEWERS,
            secret: None,
        },
        Check {
            what: "escalate a cycle through the API",
            asked: api(
                "POST",
                own_cycle("reviews"),
                same(json!({ "conclusion": "escalate", "findings": "Slipped back", "tightened_rule": null })),
            ),
            allowed: STANDARD_SETTERS,
            secret: None,
        },
        Check {
            what: "reopen a cycle through the API (it is open: refused on its merits)",
            asked: api("POST", own_cycle("reopen"), same(json!({ "reason": "New evidence" }))),
            allowed: STANDARD_SETTERS,
            secret: None,
        },
        Check {
            what: "the home service's sustainment rule through the API",
            asked: api("GET", at(format!("/api/v1/services/{home}/sustainment-rule")), same(Value::Null)),
            allowed: HOME_PEOPLE,
            secret: None,
        },
        Check {
            what: "change the home service's sustainment rule through the API",
            asked: api(
                "PUT",
                at(format!("/api/v1/services/{home}/sustainment-rule")),
                same(json!({
                    "min_rechecks": 3, "min_days": 28, "min_shift_types": 2, "min_pressure_checks": 1,
                    "min_unannounced": 1, "min_independent": 1, "watch_days": 90,
                })),
            ),
            allowed: HOME_MANAGERS,
            secret: None,
        },
        Check {
            what: "the home service's checks",
            asked: page(format!("/checks?service={home}")),
            allowed: HOME_PEOPLE,
            secret: Some("Hidden Homestaff"),
        },
        Check {
            what: "the home service's checks as a spreadsheet",
            asked: api("GET", at(format!("/checks/export.csv?service={home}")), same(Value::Null)),
            allowed: HOME_PEOPLE,
            secret: Some("Hidden Homestaff"),
        },
        Check {
            what: "the home service's cycles as a spreadsheet",
            asked: api("GET", at(format!("/cycles/export.csv?service={home}")), same(Value::Null)),
            allowed: HOME_PEOPLE,
            secret: Some("Hidden Homestaff"),
        },
        Check {
            what: "the home service's cycle actions as a spreadsheet",
            asked: api("GET", at(format!("/cycles/actions.csv?service={home}")), same(Value::Null)),
            allowed: HOME_PEOPLE,
            secret: Some("Offer choices"),
        },
        Check {
            what: "the warnings of one's services as a spreadsheet",
            asked: api("GET", at("/warnings/export.csv".to_owned()), same(Value::Null)),
            allowed: WARNING_ACTORS_ANYWHERE,
            secret: None,
        },
        Check {
            what: "the home service's reviews as a spreadsheet",
            asked: api("GET", at(format!("/reviews/export.csv?service={home}")), same(Value::Null)),
            allowed: HOME_PEOPLE,
            secret: None,
        },
        Check {
            what: "a home check in full",
            asked: page(format!("/checks/{home_check}")),
            allowed: HOME_PEOPLE,
            secret: Some("Hidden Homestaff"),
        },
        Check {
            what: "change one's password (wrong current password)",
            asked: function(
                "account/change_password",
                same(fields(&[("current", "guess"), ("new", "heron maple quarry"), ("confirm", "heron maple quarry")])),
            ),
            allowed: EVERYONE_SIGNED_IN,
            secret: None,
        },
        Check { what: "home", asked: page("/"), allowed: EVERYONE_SIGNED_IN, secret: None },
        Check { what: "the recorder", asked: page("/record"), allowed: EVERYONE_SIGNED_IN, secret: None },
        Check {
            what: "the trends of one's services",
            asked: page("/trends"),
            allowed: TREND_VIEWERS_ANYWHERE,
            secret: None,
        },
        Check {
            what: "a home staff member's trend",
            asked: page(format!("/trends/staff?staff={staff}")),
            allowed: TREND_VIEWERS,
            secret: None,
        },
        Check {
            what: "the warnings of one's services",
            asked: page("/warnings"),
            allowed: WARNING_ACTORS_ANYWHERE,
            secret: None,
        },
        Check {
            what: "acknowledge a home warning",
            asked: function(
                "warnings/decide",
                same(fields(&[("key", &home_warning), ("decision", "acknowledged"), ("note", "Supervision booked.")])),
            ),
            allowed: WARNING_ACTORS,
            secret: None,
        },
        Check {
            what: "the home service's trends",
            asked: page(format!("/trends?service={home}&period=week")),
            allowed: TREND_VIEWERS,
            secret: None,
        },
        Check { what: "themes", asked: page("/themes"), allowed: EVERYONE_SIGNED_IN, secret: None },
        Check {
            what: "the change-password page",
            asked: page("/account/password?next=/"),
            allowed: EVERYONE_SIGNED_IN,
            secret: None,
        },
        Check { what: "the administration overview", asked: page("/admin"), allowed: ADMINISTRATORS, secret: None },
        Check {
            what: "the staff page with the editor open",
            asked: page(format!("/admin/staff?edit={staff}")),
            allowed: HOME_MANAGERS,
            secret: Some("Hidden Homestaff"),
        },
        Check { what: "the users page", asked: page("/admin/users"), allowed: ADMINISTRATORS, secret: Some("target@") },
        Check { what: "the themes page", asked: page("/admin/themes"), allowed: PROVIDER_ADMIN, secret: None },
        Check {
            what: "the audit page",
            asked: page("/admin/audit?kind=login"),
            allowed: PROVIDER_ADMIN,
            secret: Some("signed in"),
        },
        Check { what: "the services page", asked: page("/admin/services"), allowed: ADMINISTRATORS, secret: None },
        Check {
            what: "change the home service",
            asked: function("admin/save_service", same(service_form(&home, "Larch House"))),
            allowed: HOME_MANAGERS,
            secret: None,
        },
        Check {
            what: "add a service",
            asked: function("admin/save_service", same(service_form("", "Oak Lodge"))),
            allowed: PROVIDER_ADMIN,
            secret: None,
        },
        Check {
            what: "the staff page",
            asked: page("/admin/staff?leavers=shown"),
            allowed: ADMINISTRATORS,
            secret: Some("Hidden Homestaff"),
        },
        Check {
            what: "change home staff",
            asked: function(
                "admin/save_staff",
                same(fields(&[
                    ("id", &staff),
                    ("name", "Hidden Homestaff"),
                    ("job_title", "Carer"),
                    ("services", &home),
                ])),
            ),
            allowed: HOME_MANAGERS,
            secret: Some("Hidden Homestaff"),
        },
        Check {
            what: "preview an import",
            asked: function(
                "admin/preview_staff_import",
                same(fields(&[("csv", "name,job title,team,service\nNew Person,Carer,,Larch House\n")])),
            ),
            allowed: ADMINISTRATORS,
            secret: None,
        },
        Check {
            what: "import staff into one's own service",
            asked: function(
                "admin/import_staff",
                Box::new(|who| {
                    let service = if who == Who::OtherManager { "Brookside" } else { "Larch House" };
                    fields(&[("csv", &format!("name,job title,team,service\nImported by {who:?},Carer,,{service}\n"))])
                }),
            ),
            allowed: ADMINISTRATORS,
            secret: None,
        },
        Check {
            what: "change a home user",
            asked: function(
                "admin/save_user",
                same(fields(&[
                    ("id", &target),
                    ("name", "Tara Target"),
                    ("email", "target@example.org"),
                    ("roles", "shift-leader"),
                    ("services", &home),
                ])),
            ),
            allowed: HOME_MANAGERS,
            secret: Some("target@"),
        },
        Check {
            what: "give a home user a one-time password",
            asked: function("admin/reset_password", same(fields(&[("user_id", &target)]))),
            allowed: HOME_MANAGERS,
            secret: Some("target@"),
        },
        Check {
            what: "add a theme",
            asked: function("admin/save_theme", same(theme_form("Hydration"))),
            allowed: PROVIDER_ADMIN,
            secret: None,
        },
    ];
    for check in &checks {
        for (who, client) in &fixture.clients {
            let request = match &check.asked {
                Asked::Page(path) => client.get(fixture.app.url(path)).header("accept", "text/html"),
                Asked::Function { endpoint, body } => {
                    client.post(fixture.app.url(&format!("/fn/{endpoint}"))).json(&body(*who))
                }
                Asked::Api { method, path, body } => {
                    let request = client.request(method.parse().unwrap(), fixture.app.url(&path(*who)));
                    match body(*who) {
                        Value::Null => request,
                        body => request.json(&body),
                    }
                }
            };
            let response = request.send().await.unwrap();
            let status = response.status();
            let location = response.headers().get("location").map(|to| to.to_str().unwrap().to_owned());
            let text = response.text().await.unwrap();
            if check.allowed.contains(who) {
                // The allowed requests here with bad input are judged on their merits.
                let answer = match &check.asked {
                    Asked::Function {
                        endpoint: "account/change_password" | "cycles/reopen" | "cycles/standard",
                        ..
                    } => StatusCode::UNPROCESSABLE_ENTITY,
                    Asked::Api { .. }
                        if check.what.starts_with("reopen") || check.what.starts_with("set the expected") =>
                    {
                        StatusCode::UNPROCESSABLE_ENTITY
                    }
                    Asked::Api { method: "POST", .. }
                        if check.what.starts_with("open") || check.what.starts_with("keep") =>
                    {
                        StatusCode::CREATED
                    }
                    _ => StatusCode::OK,
                };
                assert_eq!(status, answer, "{} as {who:?}: {text}", check.what);
            } else {
                // Refused outright, or (for a record outside one's services) not found; a page
                // sends a stranger to sign in.
                let expected: &[StatusCode] = match (who, &check.asked) {
                    (Who::Nobody, Asked::Page(_)) => &[StatusCode::FOUND],
                    (Who::Nobody, Asked::Function { .. } | Asked::Api { .. }) => &[StatusCode::UNAUTHORIZED],
                    _ => &[StatusCode::FORBIDDEN, StatusCode::NOT_FOUND],
                };
                if status == StatusCode::FOUND {
                    assert!(location.as_deref().is_some_and(|to| to.starts_with("/sign-in?next=")), "{}", check.what);
                }
                assert!(expected.contains(&status), "{} as {who:?}: {status} {text}", check.what);
                if let Some(secret) = check.secret {
                    assert!(!text.contains(secret), "{} as {who:?} leaked {secret}: {text}", check.what);
                }
            }
        }
    }
    // The JSON API answers everyone signed in (each within their own services) and nobody else.
    for (method, path, body) in [
        ("GET", "/api/v1/session", None),
        ("GET", "/api/v1/reference", None),
        ("GET", "/api/v1/checks", None),
        ("GET", "/api/v1/cycles", None),
        ("GET", "/api/v1/reviews", None),
        ("GET", "/api/v1/reviews/due", None),
        ("POST", "/api/v1/sync", Some(json!({ "device_id": "tablet", "checks": [] }))),
        (
            "POST",
            "/api/v1/devices/report",
            Some(json!({ "device_id": "tablet", "held": { "unsent": 0, "waiting": 0, "refused": 0 } })),
        ),
    ] {
        for (who, client) in &fixture.clients {
            let url = fixture.app.url(path);
            let request = match &body {
                Some(body) => client.post(url).json(body),
                None => client.request(method.parse().unwrap(), url),
            };
            let status = request.send().await.unwrap().status();
            match who {
                Who::Nobody => assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path} as {who:?}"),
                _ => assert!(status.is_success(), "{method} {path} as {who:?}: {status}"),
            }
        }
    }
    // Warnings in the API are for those who act on them.
    for (who, client) in &fixture.clients {
        let status = client.get(fixture.app.url("/api/v1/warnings")).send().await.unwrap().status();
        let expected = match who {
            Who::Nobody => StatusCode::UNAUTHORIZED,
            _ if WARNING_ACTORS_ANYWHERE.contains(who) => StatusCode::OK,
            _ => StatusCode::FORBIDDEN,
        };
        assert_eq!(status, expected, "GET /api/v1/warnings as {who:?}");
    }
    // Trends in the API are for those who review practice, each within their own services.
    for (path, allowed) in [
        (format!("/api/v1/trends/standard?service={home}"), TREND_VIEWERS),
        ("/api/v1/trends/standard?period=week".to_owned(), TREND_VIEWERS_ANYWHERE),
    ] {
        for (who, client) in &fixture.clients {
            let status = client.get(fixture.app.url(&path)).send().await.unwrap().status();
            let expected = match who {
                Who::Nobody => StatusCode::UNAUTHORIZED,
                _ if allowed.contains(who) => StatusCode::OK,
                _ => StatusCode::FORBIDDEN,
            };
            assert_eq!(status, expected, "GET {path} as {who:?}");
        }
    }
    // Allowed lists are scoped: the other service's manager sees none of the home service.
    let (_, other_manager) = fixture.clients.iter().find(|(who, _)| *who == Who::OtherManager).unwrap();
    for path in [
        "/admin/services",
        "/admin/staff?leavers=shown",
        "/admin/users",
        "/checks",
        "/checks/export.csv",
        "/cycles",
        "/api/v1/cycles",
        "/",
        "/record",
        "/reviews",
        "/api/v1/reviews",
        "/api/v1/reviews/due",
    ] {
        let response = other_manager.get(fixture.app.url(path)).header("accept", "text/html").send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let text = response.text().await.unwrap();
        for secret in ["Larch House", "Hidden Homestaff", "target@"] {
            assert!(!text.contains(secret), "{path} showed {secret} to another service's manager: {text}");
        }
    }
    let preview: Value = other_manager
        .post(fixture.app.url("/fn/admin/preview_staff_import"))
        .json(&fields(&[("csv", "name,job title,team,service\nNew Person,Carer,,Larch House\n")]))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(preview["rows"][0]["problems"][0], "You do not manage the staff of Larch House.");
}

async fn administration_pages_redirect_strangers_and_refuse_the_wrong_roles(database: TestDatabase) {
    let fixture = fixture(database).await;
    let pages = ["/admin", "/admin/services", "/admin/staff", "/admin/users", "/admin/themes", "/admin/audit"];
    for page in pages {
        for (who, client) in &fixture.clients {
            let response = client.get(fixture.app.url(page)).header("accept", "text/html").send().await.unwrap();
            let status = response.status();
            match who {
                Who::Nobody => {
                    assert_eq!(status, StatusCode::FOUND, "{page}");
                    assert!(response.headers()["location"].to_str().unwrap().starts_with("/sign-in?next=/admin"));
                }
                Who::InHome(Role::ProviderAdmin) => assert_eq!(status, StatusCode::OK, "{page}"),
                Who::InHome(Role::RegisteredManager) | Who::OtherManager
                    if !matches!(page, "/admin/themes" | "/admin/audit") =>
                {
                    assert_eq!(status, StatusCode::OK, "{page} as {who:?}")
                }
                _ => {
                    assert_eq!(status, StatusCode::FORBIDDEN, "{page} as {who:?}");
                    assert!(response.text().await.unwrap().contains("You do not have access to that."));
                }
            }
        }
    }
}

async fn post(app: &TestApp, endpoint: &str, body: Value) -> (StatusCode, Value) {
    let response = app.client.post(app.url(&format!("/fn/{endpoint}"))).json(&body).send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The refusals of an `Invalid` answer, as (field, message) pairs.
fn refusals(body: &Value) -> Vec<(String, String)> {
    body["Invalid"]
        .as_array()
        .unwrap_or_else(|| panic!("not a field-by-field refusal: {body}"))
        .iter()
        .map(|error| (error["field"].as_str().unwrap().to_owned(), error["message"].as_str().unwrap().to_owned()))
        .collect()
}

async fn bad_input_is_refused_field_by_field_and_nothing_is_half_saved(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let home = app.add_service("Larch House").await;
    app.sign_in_as(&[Role::ProviderAdmin], &[]).await;

    let gap = fields(&[
        ("name", &"x".repeat(121)),
        ("time_zone", "Europe/London"),
        ("shifts.0.kind", "Early"),
        ("shifts.0.start", "07:00"),
        ("shifts.0.end", "14:00"),
    ]);
    let (status, body) = post(&app, "admin/save_service", gap).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refusals(&body)[0],
        ("name".into(), "The name is too long: at most 120 characters, this has 121.".into())
    );
    let pattern_gap = fields(&[
        ("name", "Oak Lodge"),
        ("time_zone", "Europe/London"),
        ("shifts.0.kind", "Early"),
        ("shifts.0.start", "07:00"),
        ("shifts.0.end", "14:00"),
        ("shifts.1.kind", "Night"),
        ("shifts.1.start", "21:00"),
        ("shifts.1.end", "07:00"),
    ]);
    let (_, body) = post(&app, "admin/save_service", pattern_gap).await;
    assert_eq!(refusals(&body)[0].0, "shifts");
    assert!(refusals(&body)[0].1.contains("Nobody is on shift from 14:00 to 21:00"), "{body}");
    let (_, body) = post(&app, "admin/save_service", service_form("", "LARCH HOUSE")).await;
    assert_eq!(refusals(&body), [("name".to_owned(), "A service called “LARCH HOUSE” already exists.".to_owned())]);
    assert_eq!(app.database.storage.organisation.services().await.unwrap().len(), 1, "nothing half-saved");

    let user = |email: &str, roles: &[&str]| {
        let mut pairs = vec![("name", "New Person"), ("email", email), ("services", "")];
        pairs.extend(roles.iter().map(|role| ("roles", *role)));
        fields(&pairs)
    };
    let (status, body) = post(&app, "admin/save_user", user("not an email", &["head-chef"])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let found = refusals(&body);
    assert!(found.contains(&("email".into(), "“not an email” is not an email address.".into())), "{found:?}");
    assert!(found.iter().any(|(field, message)| field == "roles" && message.starts_with("“head-chef” is not a role")));
    let home_id = home.id.to_string();
    let good =
        fields(&[("name", "Ann"), ("email", "ann@example.org"), ("roles", "shift-leader"), ("services", &home_id)]);
    assert_eq!(post(&app, "admin/save_user", good.clone()).await.0, StatusCode::OK);
    let (_, body) = post(&app, "admin/save_user", good).await;
    assert_eq!(
        refusals(&body),
        [("email".to_owned(), "A user with the email ann@example.org already exists.".to_owned())]
    );
    let no_service = fields(&[("name", "Bo"), ("email", "bo@example.org"), ("roles", "team-leader")]);
    let (_, body) = post(&app, "admin/save_user", no_service).await;
    assert_eq!(
        refusals(&body),
        [("services".to_owned(), "A Team leader must be assigned to at least one service.".to_owned())]
    );
}

async fn a_csv_import_with_bad_rows_imports_nothing_and_a_clean_one_imports_everyone(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    app.add_service("Larch House").await;
    app.sign_in_as(&[Role::ProviderAdmin], &[]).await;
    let bad =
        "name,job title,team,service\nAdam Hale,Carer,,Larch House\n,Carer,,Larch House\nBen Ames,Cook,,Oak Lodge\n";
    let (status, preview) = post(&app, "admin/preview_staff_import", fields(&[("csv", bad)])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(preview["rows"][1]["problems"][0], "The name is required.");
    assert_eq!(preview["rows"][2]["problems"][0], "There is no service called “Oak Lodge”.");
    let (status, body) = post(&app, "admin/import_staff", fields(&[("csv", bad)])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.to_string().contains("Nothing was imported. 2 rows have problems"), "{body}");
    assert!(app.database.storage.organisation.staff_members(None).await.unwrap().is_empty(), "no partial import");

    let missing_column = "name,team,service\nAdam Hale,,Larch House\n";
    let (_, preview) = post(&app, "admin/preview_staff_import", fields(&[("csv", missing_column)])).await;
    assert!(preview["problems"][0].as_str().unwrap().starts_with("The file has no “job title” column."));

    let good = "Name,Job title,Team,Service\nAdam Hale,Carer,Nights,Larch House\nBen Ames,Cook,,larch house\n";
    let (status, count) = post(&app, "admin/import_staff", fields(&[("csv", good)])).await;
    assert_eq!((status, count), (StatusCode::OK, json!(2)));
    let names: Vec<String> =
        app.database.storage.organisation.staff_members(None).await.unwrap().into_iter().map(|m| m.name).collect();
    assert_eq!(names, ["Adam Hale", "Ben Ames"]);
    let (_, body) = post(&app, "admin/import_staff", fields(&[("csv", good)])).await;
    assert!(body.to_string().contains("Nothing was imported"), "importing the same file twice: {body}");
    let events = app
        .database
        .storage
        .audit
        .audit_events(&AuditFilter { action_prefix: Some("staff".into()), limit: 10, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(events.len(), 2, "one audit event per imported person");
}

async fn a_one_time_password_must_be_replaced_before_anything_else(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let home = app.add_service("Larch House").await;
    app.sign_in_as(&[Role::RegisteredManager], &[home.id]).await;
    let home_id = home.id.to_string();
    let form = fields(&[
        ("name", "Callum Reid"),
        ("email", "callum@example.org"),
        ("roles", "shift-leader"),
        ("services", &home_id),
        ("password_mode", "one-time"),
    ]);
    let (status, saved) = post(&app, "admin/save_user", form).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let one_time = saved["one_time_password"].as_str().unwrap().to_owned();
    assert_eq!(one_time.len(), 19, "four groups of four: {one_time}");
    // The password is never kept in a session row, yet the next admin page shows it, once.
    let sessions = app.database.session_rows().await;
    assert!(!sessions.is_empty() && sessions.iter().all(|row| !row.contains(&one_time)), "{sessions:?}");
    let page = |path: &'static str| {
        let request = app.client.get(app.url(path)).header("accept", "text/html");
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    let shown = page("/admin/users").await;
    assert!(shown.contains(&format!("Their one-time password is {one_time}")), "shown once");
    assert!(shown.contains("stops working after 72 hours"));
    let again = page("/admin/users").await;
    assert!(!again.contains(&one_time) && !again.contains("Their one-time password"), "and only once");

    let callum = TestApp::new_client();
    let form_sign_in = callum
        .post(app.url("/sign-in"))
        .form(&[("email", "callum@example.org"), ("password", one_time.as_str()), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(form_sign_in.headers()["location"], "/account/password?next=/");
    let refused = callum.get(app.url("/checks")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FOUND);
    assert_eq!(refused.headers()["location"], "/account/password?next=/checks");
    let me: Value = callum.get(app.url("/api/v1/session")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["password_change_required"], true);
    let change = |current: &str, new: &str, confirm: &str| {
        callum
            .post(app.url("/fn/account/change_password"))
            .json(&fields(&[("current", current), ("new", new), ("confirm", confirm)]))
            .send()
    };
    let wrong = change("guess", "short", "other").await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problems = refusals(&wrong.json().await.unwrap());
    let fields_named: Vec<&str> = problems.iter().map(|(field, _)| field.as_str()).collect();
    assert_eq!(fields_named, ["current", "new", "confirm"]);
    assert_eq!(change(&one_time, "heron maple quarry", "heron maple quarry").await.unwrap().status(), StatusCode::OK);
    let allowed = callum.get(app.url("/checks")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(allowed.status(), StatusCode::OK);
    assert_eq!(
        app.sign_in_with(&TestApp::new_client(), "callum@example.org", &one_time).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // Guessing the current password is counted (the change that succeeded cleared the earlier
    // wrong one) and throttled, even when the right one follows.
    for _ in 0..recheck_app::domain::throttle::CONFIRMATION_LIMIT.0 {
        let guess = change("guess", "otter kettle lamp", "otter kettle lamp").await.unwrap();
        assert_eq!(guess.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let throttled = change("heron maple quarry", "otter kettle lamp", "otter kettle lamp").await.unwrap();
    assert_eq!(throttled.status(), StatusCode::BAD_REQUEST);
    assert!(throttled.text().await.unwrap().contains("Too many failed sign-ins"));
}

async fn a_one_time_password_stops_working_after_72_hours_and_says_so_only_to_its_owner(database: TestDatabase) {
    let clock = database.clock.clone();
    let app = TestApp::spawn(database).await;
    let home = app.add_service("Larch House").await;
    app.sign_in_as(&[Role::RegisteredManager], &[home.id]).await;
    let home_id = home.id.to_string();
    let form = fields(&[
        ("name", "Callum Reid"),
        ("email", "callum@example.org"),
        ("roles", "shift-leader"),
        ("services", &home_id),
        ("password_mode", "one-time"),
    ]);
    let (status, saved) = post(&app, "admin/save_user", form).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let one_time = saved["one_time_password"].as_str().unwrap().to_owned();
    let sign_in = |password: String| {
        let request = TestApp::new_client().post(app.url("/sign-in")).form(&[
            ("email", "callum@example.org".to_owned()),
            ("password", password),
            ("next", "/".to_owned()),
        ]);
        async move { request.send().await.unwrap().headers()["location"].to_str().unwrap().to_owned() }
    };
    clock.advance_ms(71 * 3_600_000);
    assert_eq!(sign_in(one_time.clone()).await, "/account/password?next=/", "still good after 71 hours");
    clock.advance_ms(3_600_000);
    assert_eq!(sign_in(one_time.clone()).await, "/sign-in?error=expired&next=/");
    let told = app.get("/sign-in?error=expired&next=/").await.text().await.unwrap();
    assert!(told.contains("That one-time password has expired. Ask your registered manager"), "{told}");
    // Only someone who knows the password learns that it expired; a guess is just wrong.
    assert_eq!(sign_in("not the password".into()).await, "/sign-in?error=wrong&next=/");
    let over_api = app.sign_in_with(&TestApp::new_client(), "callum@example.org", &one_time).await;
    assert_eq!(over_api.status(), StatusCode::UNAUTHORIZED);
    assert!(over_api.text().await.unwrap().contains("has expired"));
    // A reset, by a manager signed in afresh after the days that passed, makes a new one that works.
    app.sign_in_as(&[Role::RegisteredManager], &[home.id]).await;
    let callum = app.database.storage.accounts.users().await.unwrap().into_iter().find(|u| u.name == "Callum Reid");
    let (status, reset) =
        post(&app, "admin/reset_password", fields(&[("user_id", &callum.unwrap().id.to_string())])).await;
    assert_eq!(status, StatusCode::OK, "{reset}");
    assert_eq!(sign_in(reset["one_time_password"].as_str().unwrap().to_owned()).await, "/account/password?next=/");
}

async fn a_disabled_user_is_signed_out_and_cannot_sign_in_and_nobody_can_disable_themselves(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let home = app.add_service("Larch House").await;
    let admin = app.sign_in_as(&[Role::ProviderAdmin], &[]).await;
    let leader = app.add_user("leader@example.org", &[Role::ShiftLeader], &[home.id]).await;
    let leader_client = TestApp::new_client();
    assert_eq!(app.sign_in_with(&leader_client, "leader@example.org", PASSWORD).await.status(), StatusCode::OK);

    let home_id = home.id.to_string();
    let leader_id = leader.id.to_string();
    let disable = fields(&[
        ("id", &leader_id),
        ("name", "Lee Leader"),
        ("email", "leader@example.org"),
        ("roles", "shift-leader"),
        ("services", &home_id),
        ("disabled", "on"),
    ]);
    let (status, saved) = post(&app, "admin/save_user", disable).await;
    assert_eq!((status, saved["user"]["disabled"].clone()), (StatusCode::OK, json!(true)));
    let after = leader_client.get(app.url("/checks")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(after.status(), StatusCode::FOUND, "the open session ends");
    assert_eq!(after.headers()["location"], "/sign-in?next=/checks");
    let again = app.sign_in_with(&TestApp::new_client(), "leader@example.org", PASSWORD).await;
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);

    let admin_id = admin.id.to_string();
    let myself = fields(&[
        ("id", &admin_id),
        ("name", "Me"),
        ("email", admin.email.as_str()),
        ("roles", "quality-lead"),
        ("disabled", "on"),
    ]);
    let (status, body) = post(&app, "admin/save_user", myself).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields_named: Vec<String> = refusals(&body).into_iter().map(|(field, _)| field).collect();
    assert_eq!(fields_named, ["disabled", "roles"]);
}

async fn a_registered_manager_changes_their_own_service_and_staff_and_it_is_audited(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let home = app.add_service("Larch House").await;
    let manager = app.sign_in_as(&[Role::RegisteredManager], &[home.id]).await;
    let home_id = home.id.to_string();
    let (status, service) = post(&app, "admin/save_service", service_form(&home_id, "Larch House Nursing")).await;
    assert_eq!(status, StatusCode::OK, "{service}");
    assert_eq!(service["shift_pattern"]["shifts"][0]["kind"], "day");
    let (status, member) = post(
        &app,
        "admin/save_staff",
        fields(&[("name", "Amara Okafor"), ("job_title", "Senior carer"), ("team", "Days"), ("services", &home_id)]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{member}");
    let member_id = member["id"].as_str().unwrap().to_owned();
    let (_, left) = post(
        &app,
        "admin/save_staff",
        fields(&[
            ("id", &member_id),
            ("name", "Amara Okafor"),
            ("job_title", "Senior carer"),
            ("services", &home_id),
            ("has_left", "on"),
        ]),
    )
    .await;
    assert_eq!(left["has_left"], true);
    let events = app
        .database
        .storage
        .audit
        .audit_events(&AuditFilter { author_id: Some(manager.id), limit: 10, ..Default::default() })
        .await
        .unwrap();
    let actions: Vec<&str> = events.iter().map(|event| event.action.as_str()).collect();
    assert_eq!(actions, ["staff.left", "staff.created", "service.updated", "login.succeeded"]);
    assert_eq!(events[2].before.as_ref().unwrap()["name"], "Larch House");
}

on_both_backends!(
    every_endpoint_answers_each_role_as_the_policy_says,
    administration_pages_redirect_strangers_and_refuse_the_wrong_roles,
    bad_input_is_refused_field_by_field_and_nothing_is_half_saved,
    a_csv_import_with_bad_rows_imports_nothing_and_a_clean_one_imports_everyone,
    a_one_time_password_must_be_replaced_before_anything_else,
    a_one_time_password_stops_working_after_72_hours_and_says_so_only_to_its_owner,
    a_disabled_user_is_signed_out_and_cannot_sign_in_and_nobody_can_disable_themselves,
    a_registered_manager_changes_their_own_service_and_staff_and_it_is_audited,
);
