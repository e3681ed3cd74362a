//! A fictional provider for demonstrations and first runs: two services with different rotas and
//! about 25 staff, and (with `--history`) six months of their checks. Every name here is invented.
//! `scale` builds a large provider for benchmarks.

mod cycles;
mod history;
mod reviews;
pub mod scale;
mod story;

use recheck_app::auth::{generate_password, own_password};
use recheck_app::domain::access::Role;
use recheck_app::domain::account::{Email, NewUser};
use recheck_app::domain::audit::Author;
use recheck_app::domain::organisation::{NewService, NewStaffMember};
use recheck_app::domain::outbox::{DeviceReport, HeldChecks};
use recheck_app::domain::review::ReviewKind;
use recheck_app::domain::shift::{ClockTime, Shift, ShiftKind, ShiftPattern, Weekday};
use recheck_app::domain::text::{Name, ShortText};
use recheck_app::domain::theme::CheckKind;
use recheck_app::storage::Storage;
use uuid::Uuid;

pub const ORGANISATION: &str = "Meadowbank Care Group (demonstration)";
const CARE_HOME: &str = "Larch House";
const SUPPORTED_LIVING: &str = "Brookside Supported Living";

/// Name, job title, team, and which services they work in.
const STAFF: &[(&str, &str, &str, &[&str])] = &[
    ("Amara Okafor", "Deputy manager", "Management", &[CARE_HOME]),
    ("Bethan Pryce", "Team leader", "Days", &[CARE_HOME]),
    ("Callum Reid", "Senior care assistant", "Days", &[CARE_HOME]),
    ("Dorota Nowak", "Care assistant", "Days", &[CARE_HOME]),
    ("Ellis Whitlow", "Care assistant", "Days", &[CARE_HOME]),
    ("Farah Siddiqui", "Care assistant", "Days", &[CARE_HOME]),
    ("Gareth Llewellyn", "Senior care assistant", "Nights", &[CARE_HOME]),
    ("Hana Kimura", "Care assistant", "Nights", &[CARE_HOME]),
    ("Isaac Mensah", "Care assistant", "Nights", &[CARE_HOME]),
    ("Jodie Marsh", "Team leader", "Nights", &[CARE_HOME]),
    ("Kwame Asante", "Care assistant", "Days", &[CARE_HOME]),
    ("Lorna McBride", "Activities coordinator", "Days", &[CARE_HOME]),
    ("Mehmet Aydin", "Care assistant", "Bank", &[CARE_HOME, SUPPORTED_LIVING]),
    ("Niamh Gallagher", "Care assistant", "Days", &[CARE_HOME]),
    ("Olu Adeyemi", "Service manager", "Management", &[SUPPORTED_LIVING]),
    ("Priya Raman", "Senior support worker", "Days", &[SUPPORTED_LIVING]),
    ("Quentin Ashby", "Support worker", "Days", &[SUPPORTED_LIVING]),
    ("Rosa Delgado", "Support worker", "Days", &[SUPPORTED_LIVING]),
    ("Sian Morgan", "Support worker", "Days", &[SUPPORTED_LIVING]),
    ("Tomasz Zielinski", "Senior support worker", "Nights", &[SUPPORTED_LIVING]),
    ("Uma Chaudhry", "Support worker", "Nights", &[SUPPORTED_LIVING]),
    ("Victor Achebe", "Support worker", "Nights", &[SUPPORTED_LIVING]),
    ("Wendy Fairbairn", "Support worker", "Days", &[SUPPORTED_LIVING]),
    ("Yusuf Haddad", "Positive behaviour support lead", "Days", &[SUPPORTED_LIVING]),
    ("Zoe Carrington", "Support worker", "Days", &[SUPPORTED_LIVING]),
];

/// One sign-in for each role: name, role, and the service they act in (none for roles that act
/// in every service).
const USERS: &[(&str, Role, Option<&str>)] = &[
    ("Callum Reid", Role::ShiftLeader, Some(CARE_HOME)),
    ("Jodie Marsh", Role::ShiftLeader, Some(CARE_HOME)),
    ("Priya Raman", Role::ShiftLeader, Some(SUPPORTED_LIVING)),
    ("Tomasz Zielinski", Role::ShiftLeader, Some(SUPPORTED_LIVING)),
    ("Bethan Pryce", Role::TeamLeader, Some(CARE_HOME)),
    ("Amara Okafor", Role::DeputyManager, Some(CARE_HOME)),
    ("Helen Okoro", Role::RegisteredManager, Some(CARE_HOME)),
    ("Olu Adeyemi", Role::RegisteredManager, Some(SUPPORTED_LIVING)),
    ("Rachel Ingram", Role::QualityLead, None),
    ("Sam Whitfield", Role::ProviderAdmin, None),
];

/// Set to give every demonstration user the same password (browser tests do); otherwise each
/// gets a fresh random one, printed once.
pub const PASSWORD_VARIABLE: &str = "RECHECK_DEMO_PASSWORD";

fn email_for(person: &str) -> Email {
    Email::parse(&format!("{}@meadowbank.example", person.to_lowercase().replace(' ', ".")))
        .expect("demo emails are valid")
}

/// Twelve-hour days and nights, as many supported living services run.
fn long_day_pattern() -> ShiftPattern {
    let at = |hour| ClockTime::new(hour, 0).expect("valid literal time");
    ShiftPattern::new(
        vec![
            Shift { kind: ShiftKind::Day, start: at(8), end: at(20) },
            Shift { kind: ShiftKind::Night, start: at(20), end: at(8) },
        ],
        vec![Weekday::Saturday, Weekday::Sunday],
    )
    .expect("the long-day pattern covers the day")
}

/// Loads the demonstration provider, only into a database with no services, and says what it
/// loaded; with `with_history`, six months of its checks too. The reason it did not load is the
/// error.
pub async fn load(storage: &Storage, with_history: bool) -> Result<String, String> {
    let failed = |error: recheck_app::storage::StorageError| format!("loading the demonstration data failed: {error}");
    if !storage.organisation.services().await.map_err(failed)?.is_empty() {
        return Err("the database already has services; demonstration data only goes into an empty database".into());
    }
    let name = |text: &str| Name::parse("Name", text).expect("demo names are valid");
    let short = |text: &str| ShortText::parse("Text", text).expect("demo text is valid");
    let by = Author::system("demonstration data");
    storage.rename_organisation(&name(ORGANISATION), &by).await.map_err(failed)?;
    let care_home = storage
        .add_service(NewService::new(name(CARE_HOME), ShiftPattern::care_home_default()), &by)
        .await
        .map_err(failed)?;
    let supported_living =
        storage.add_service(NewService::new(name(SUPPORTED_LIVING), long_day_pattern()), &by).await.map_err(failed)?;
    let staff = STAFF
        .iter()
        .map(|(person, job_title, team, services)| {
            let service_ids = services
                .iter()
                .map(|service| if *service == CARE_HOME { care_home.id } else { supported_living.id })
                .collect();
            NewStaffMember::new(name(person), short(job_title), Some(short(team)), service_ids)
        })
        .collect();
    let staff = storage.add_staff_members(staff, &by).await.map_err(failed)?;
    let themes = storage.organisation.themes().await.map_err(failed)?;
    let shared_password = std::env::var(PASSWORD_VARIABLE).ok().filter(|password| !password.is_empty());
    let mut logins = String::new();
    let mut observers: Vec<(Uuid, Option<Uuid>, Option<&str>)> = Vec::new();
    let mut users = Vec::new();
    for (person, role, service) in USERS {
        let service_ids = service
            .map(|service| if service == CARE_HOME { care_home.id } else { supported_living.id })
            .into_iter()
            .collect();
        let user =
            NewUser::new(email_for(person), name(person), vec![*role], service_ids).expect("demo users are valid");
        let password = shared_password.clone().unwrap_or_else(generate_password);
        let added = storage.add_user(user, &own_password(&password), &by).await.map_err(failed)?;
        users.push((added.name.clone(), added.id));
        if *role != Role::ProviderAdmin {
            let as_staff = staff.iter().find(|member| member.name == *person).map(|member| member.id);
            observers.push((added.id, as_staff, *service));
        }
        let place = service.unwrap_or("all services");
        logins.push_str(&format!("\n  {:<19} {:<38} {password}   ({place})", role.label(), added.email.as_str()));
    }
    let checks = if with_history {
        let services = [(&care_home, CARE_HOME), (&supported_living, SUPPORTED_LIVING)];
        let mut rng = fastrand::Rng::with_seed(20261202);
        let mut count = 0;
        for (service, name) in services {
            let scene_staff: Vec<(Uuid, story::StaffTrait)> = staff
                .iter()
                .filter(|member| member.service_ids.contains(&service.id))
                .map(|member| (member.id, story::StaffTrait(0.8 + rng.f64() * 0.12)))
                .collect();
            let here = story::Observers(
                observers
                    .iter()
                    .filter(|(_, _, at)| at.is_none_or(|at| at == name))
                    .map(|(user, as_staff, _)| (*user, *as_staff))
                    .collect(),
            );
            let staff_named = |person: &str| staff.iter().find(|member| member.name == person).map(|member| member.id);
            let cast = if name == CARE_HOME {
                story::Cast {
                    weakness: story::Weakness { theme: CheckKind::Observation, nights_only: false },
                    stories: [
                        (
                            "Dorota Nowak",
                            story::Story::Improves { theme: CheckKind::Observation, coached_weeks_ago: 12 },
                        ),
                        (
                            "Isaac Mensah",
                            story::Story::Reverts {
                                theme: CheckKind::Observation,
                                coached_weeks_ago: 14,
                                reverted_weeks_ago: 3,
                            },
                        ),
                        ("Hana Kimura", story::Story::RepeatedlyWeak { theme: CheckKind::DistressEpisode }),
                    ]
                    .into_iter()
                    .filter_map(|(person, story)| staff_named(person).map(|id| (id, story)))
                    .collect(),
                }
            } else {
                story::Cast {
                    weakness: story::Weakness { theme: CheckKind::DistressEpisode, nights_only: true },
                    stories: staff_named("Quentin Ashby")
                        .map(|id| {
                            (id, story::Story::Improves { theme: CheckKind::DistressEpisode, coached_weeks_ago: 4 })
                        })
                        .into_iter()
                        .collect(),
                }
            };
            let (theme_weights, per_week): (&[u32], u32) =
                if name == CARE_HOME { (&[6, 2, 2], 14) } else { (&[3, 2, 4], 10) };
            let scene = history::Scene {
                service,
                themes: &themes,
                theme_weights,
                staff: &scene_staff,
                observers: &here,
                per_week,
            };
            let made = history::service_history(&mut rng, &scene, &cast, storage.now_ms(), history::WEEKS);
            count += made.len();
            storage.record_history(&made, "demonstration-tablet").await.map_err(failed)?;
        }
        // A night's checks still on a tablet that has not been back online since.
        if let Some((_, jodie)) = users.iter().find(|(person, _)| person == "Jodie Marsh") {
            const HOUR_MS: i64 = 3_600_000;
            let now = storage.now_ms();
            let held = HeldChecks { unsent: 2, waiting: 0, refused: 1, oldest_saved_at_ms: Some(now - 16 * HOUR_MS) };
            let report = DeviceReport::received("night-tablet".into(), *jodie, held, now - 15 * HOUR_MS);
            storage.devices.save_device_report(&report).await.map_err(failed)?;
        }
        let cast = cycles::Cast {
            services: &[care_home.clone(), supported_living.clone()],
            themes: &themes,
            staff: staff.iter().map(|member| (member.name.clone(), member.id)).collect(),
            users,
        };
        let opened = cycles::load(storage, &cast).await.map_err(failed)?;
        let author = |person: &str| {
            let (name, id) = cast.users.iter().find(|(name, _)| name == person).expect("a demonstration user");
            Author::user(*id, name.clone())
        };
        let plans = [
            reviews::Plan {
                service: &care_home,
                reviewers: vec![
                    (ReviewKind::ShiftRecords, vec![author("Callum Reid"), author("Jodie Marsh")]),
                    (ReviewKind::WeeklyPractice, vec![author("Bethan Pryce")]),
                    (ReviewKind::AuditFindings, vec![author("Amara Okafor"), author("Helen Okoro")]),
                    (ReviewKind::SupervisionImpact, vec![author("Helen Okoro")]),
                    (ReviewKind::ThemeGovernance, vec![author("Rachel Ingram")]),
                ],
                missed: vec![
                    (ReviewKind::ShiftRecords, &[1, 4]),
                    (ReviewKind::WeeklyPractice, &[0, 9]),
                    (ReviewKind::ThemeGovernance, &[0]),
                ],
                not_held: vec![],
            },
            reviews::Plan {
                service: &supported_living,
                reviewers: vec![
                    (ReviewKind::ShiftRecords, vec![author("Priya Raman"), author("Tomasz Zielinski")]),
                    (ReviewKind::AuditFindings, vec![author("Olu Adeyemi")]),
                    (ReviewKind::SupervisionImpact, vec![author("Olu Adeyemi")]),
                    (ReviewKind::ThemeGovernance, vec![author("Rachel Ingram")]),
                ],
                missed: vec![(ReviewKind::ShiftRecords, &[0]), (ReviewKind::SupervisionImpact, &[0])],
                not_held: vec![(ReviewKind::WeeklyPractice, author("Olu Adeyemi"))],
            },
        ];
        let reviewed = reviews::load(storage, &plans, &themes, history::WEEKS).await.map_err(failed)?;
        format!(
            ", {count} checks over the last {} weeks, {opened} improvement cycles and {reviewed} reviews",
            history::WEEKS
        )
    } else {
        String::new()
    };
    Ok(format!(
        "Loaded the demonstration provider “{ORGANISATION}”: 2 services ({CARE_HOME}, {SUPPORTED_LIVING}), {} staff, \
         {} practice themes, {} users{checks}.\nSign in as any of these (the passwords are shown only now):{logins}",
        staff.len(),
        themes.len(),
        USERS.len()
    ))
}
