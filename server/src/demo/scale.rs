//! A large provider for benchmarks (`recheck demo --scale`): 40 services, 2,000 staff and
//! 1,000,000 checks over two years, made the way the demonstration history is and written in
//! large units of work, with a progress bar. The same seed gives the same provider every time.

use super::history::{Scene, service_history};
use super::story::{Cast, Observers, StaffTrait, Weakness};
use indicatif::{ProgressBar, ProgressStyle};
use recheck_app::auth::own_password;
use recheck_app::domain::access::Role;
use recheck_app::domain::account::{Email, NewUser};
use recheck_app::domain::audit::Author;
use recheck_app::domain::organisation::{NewService, NewStaffMember};
use recheck_app::domain::shift::ShiftPattern;
use recheck_app::domain::text::{Name, ShortText};
use recheck_app::domain::theme::CheckKind;
use recheck_app::storage::{Storage, StorageError};

pub const SERVICES: usize = 40;
pub const STAFF_PER_SERVICE: usize = 50;
pub const CHECKS: usize = 1_000_000;
pub const WEEKS: i64 = 104;
/// Checks written per unit of work.
const BATCH: usize = 5_000;
/// Every user of the large provider signs in with this password.
pub const PASSWORD: &str = "benchmark provider only";

const PLACES: &[&str] = &[
    "Ashdown",
    "Beechwood",
    "Birchfield",
    "Brackenhurst",
    "Castleton",
    "Cedar Lodge",
    "Chestnut House",
    "Dunmore",
    "Elmfield",
    "Fernhill",
    "Foxglove",
    "Glenside",
    "Hawthorn",
    "Heatherbank",
    "Hollybrook",
    "Ivydene",
    "Juniper Court",
    "Kingsmead",
    "Laurel Grove",
    "Linden House",
    "Maple Court",
    "Meadowside",
    "Millbrook",
    "Northgate",
    "Oakhurst",
    "Orchard House",
    "Parkview",
    "Primrose Lodge",
    "Queensway",
    "Riverside",
    "Rosewood",
    "Rowan House",
    "Southfields",
    "Sycamore",
    "Thornbury",
    "Tudor Lodge",
    "Valley View",
    "Westfield",
    "Willowbank",
    "Yewtree",
];
const FIRST: &[&str] = &[
    "Aisha", "Ben", "Chloe", "Daniel", "Ewa", "Femi", "Grace", "Harry", "Imran", "Jade", "Kofi", "Laura", "Marek",
    "Nadia", "Owen", "Poppy", "Rhys", "Sana", "Tariq", "Una", "Vikram", "Wen", "Yasmin", "Zoltan",
];
const LAST: &[&str] = &[
    "Adams", "Bashir", "Campbell", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal", "Jones", "Kaur", "Lewis",
    "Morris", "Nowak", "Okoro", "Patel", "Quinn", "Roberts", "Singh", "Taylor", "Usman", "Walsh", "Young", "Zając",
];

fn failed(error: StorageError) -> String {
    format!("building the large provider failed: {error}")
}

/// Builds the large provider in an empty database, and says what it made.
pub async fn load(storage: &Storage) -> Result<String, String> {
    load_sized(storage, SERVICES, CHECKS).await
}

/// The first `services` services of the large provider (at most 40), sharing `checks` checks
/// between them: for a benchmark that needs its size and not its spread.
pub async fn load_sized(storage: &Storage, services: usize, checks: usize) -> Result<String, String> {
    if !storage.organisation.services().await.map_err(failed)?.is_empty() {
        return Err("the database already has services; the large provider only goes into an empty database".into());
    }
    let name = |text: &str| Name::parse("Name", text).expect("generated names are valid");
    let short = |text: &str| ShortText::parse("Text", text).expect("generated text is valid");
    let by = Author::system("large provider for benchmarks");
    let mut rng = fastrand::Rng::with_seed(1_000_000);
    storage.rename_organisation(&name("Northwind Care (benchmark provider)"), &by).await.map_err(failed)?;
    let themes = storage.organisation.themes().await.map_err(failed)?;
    let password = own_password(PASSWORD);
    let bar = ProgressBar::new(checks as u64).with_style(
        ProgressStyle::with_template("{msg:28} {wide_bar} {human_pos}/{human_len} checks, {eta} left")
            .expect("a valid template"),
    );
    let per_service = checks / services;
    let per_week = u32::try_from(per_service.div_ceil(WEEKS as usize)).unwrap_or(u32::MAX);
    for (index, place) in PLACES.iter().take(services).enumerate() {
        bar.set_message(place.to_string());
        let service = storage
            .add_service(NewService::new(name(place), ShiftPattern::care_home_default()), &by)
            .await
            .map_err(failed)?;
        let staff: Vec<NewStaffMember> = (0..STAFF_PER_SERVICE)
            .map(|n| {
                let person = format!("{} {}", FIRST[(n + index) % FIRST.len()], LAST[(n * 7 + index) % LAST.len()]);
                NewStaffMember::new(name(&person), short("Care assistant"), None, vec![service.id])
            })
            .collect();
        let staff = storage.add_staff_members(staff, &by).await.map_err(failed)?;
        let mut observers = Vec::new();
        for (role, who) in [(Role::ShiftLeader, "shift.leader"), (Role::TeamLeader, "team.leader")] {
            let email = Email::parse(&format!("{who}.{}@northwind.example", index + 1)).expect("a valid email");
            let user =
                NewUser::new(email, name(&format!("{} {}", role.label(), index + 1)), vec![role], vec![service.id])
                    .expect("a valid user");
            observers.push((storage.add_user(user, &password, &by).await.map_err(failed)?.id, None));
        }
        let traits: Vec<_> = staff.iter().map(|member| (member.id, StaffTrait(0.72 + rng.f64() * 0.2))).collect();
        let observers = Observers(observers);
        let cast = Cast { weakness: Weakness { theme: CheckKind::Observation, nights_only: false }, stories: vec![] };
        let scene = Scene {
            service: &service,
            themes: &themes,
            theme_weights: &[5, 2, 3],
            staff: &traits,
            observers: &observers,
            per_week,
        };
        let mut history = service_history(&mut rng, &scene, &cast, storage.now_ms(), WEEKS);
        // Exactly the service's share: the few corrections come last and may be left out.
        history.truncate(per_service);
        for batch in history.chunks(BATCH) {
            storage.record_history(batch, "benchmark").await.map_err(failed)?;
            bar.inc(batch.len() as u64);
        }
    }
    bar.finish_with_message("done");
    Ok(format!(
        "Built the large provider: {services} service{}, {} staff, {} users (password “{PASSWORD}”, emails such as \
         shift.leader.1@northwind.example) and {} checks over {WEEKS} weeks.",
        if services == 1 { "" } else { "s" },
        services * STAFF_PER_SERVICE,
        services * 2,
        bar.position()
    ))
}
