//! One storage suite, run against SQLite and PostgreSQL alike: whatever the backend, Recheck's
//! data behaves the same.

mod support;

use recheck_app::domain::cqc::QualityStatement;
use recheck_app::domain::organisation::{NewService, NewStaffMember};
use recheck_app::domain::seed_themes::default_themes;
use recheck_app::domain::shift::{ClockTime, Shift, ShiftKind, ShiftPattern, Weekday};
use recheck_app::domain::text::{LongText, Name, ShortText};
use recheck_app::domain::theme::{CheckKind, NewCriterion, NewTheme};
use recheck_app::storage::StorageError;
use support::TestDatabase;
use uuid::Uuid;

fn name(text: &str) -> Name {
    Name::parse("Name", text).unwrap()
}

fn short(text: &str) -> ShortText {
    ShortText::parse("Text", text).unwrap()
}

fn long(text: &str) -> LongText {
    LongText::parse("Text", text).unwrap()
}

fn staff(person: &str, team: Option<&str>, services: &[Uuid]) -> NewStaffMember {
    NewStaffMember::new(name(person), short("Care assistant"), team.map(short), services.to_vec())
}

fn mealtimes_theme(theme_name: &str) -> NewTheme {
    let criterion =
        |title: &str| NewCriterion::new(name(title), [long("one"), long("two"), long("three"), long("four")]);
    NewTheme::new(
        name(theme_name),
        long("People choose what, where and with whom they eat."),
        CheckKind::Observation,
        vec![criterion("Choice"), criterion("Support to eat")],
        vec![QualityStatement::PersonCentredCare],
    )
    .unwrap()
}

fn night_heavy_pattern() -> ShiftPattern {
    let at = |hour| ClockTime::new(hour, 0).unwrap();
    ShiftPattern::new(
        vec![
            Shift { kind: ShiftKind::Day, start: at(8), end: at(20) },
            Shift { kind: ShiftKind::Night, start: at(20), end: at(8) },
        ],
        vec![Weekday::Friday, Weekday::Saturday],
    )
    .unwrap()
}

async fn a_new_database_has_the_organisation_and_the_three_seed_themes(db: TestDatabase) {
    assert_eq!(db.storage.organisation().await.unwrap().name, "Your care organisation");
    let themes = db.storage.themes().await.unwrap();
    let seeds = default_themes();
    assert_eq!(themes.len(), 3);
    for (stored, seed) in themes.iter().zip(&seeds) {
        assert_eq!(stored.name, seed.name.as_str());
        assert_eq!(stored.kind, seed.kind);
        assert_eq!(stored.expected_standard, seed.expected_standard.as_str());
        assert_eq!(stored.quality_statements, seed.quality_statements);
        let titles: Vec<_> = stored.criteria.iter().map(|c| c.title.as_str()).collect();
        let seed_titles: Vec<_> = seed.criteria.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, seed_titles);
        assert_eq!(stored.criteria[0].descriptors[3], seed.criteria[0].descriptors[3].as_str());
    }
    db.storage.ping().await.unwrap();
}

async fn default_themes_are_installed_once_and_never_again(db: TestDatabase) {
    assert!(!db.storage.install_default_themes(default_themes()).await.unwrap());
    assert_eq!(db.storage.themes().await.unwrap().len(), 3);
}

async fn the_organisation_can_be_renamed(db: TestDatabase) {
    db.storage.rename_organisation(&name("Harbour View Care")).await.unwrap();
    assert_eq!(db.storage.organisation().await.unwrap().name, "Harbour View Care");
}

async fn a_service_keeps_its_time_zone_and_shift_pattern(db: TestDatabase) {
    let mut new = NewService::new(name("Seaview Lodge"), night_heavy_pattern());
    new.time_zone = "Europe/Belfast".into();
    let added = db.storage.add_service(new.clone()).await.unwrap();
    assert_eq!(added.id, new.id);
    let services = db.storage.services().await.unwrap();
    assert_eq!(services, vec![added]);
    assert_eq!(services[0].time_zone, "Europe/Belfast");
    assert_eq!(services[0].shift_pattern, night_heavy_pattern());
}

async fn services_are_listed_by_name(db: TestDatabase) {
    for service in ["Willow Court", "ash grove", "Beech House"] {
        db.storage.add_service(NewService::new(name(service), ShiftPattern::care_home_default())).await.unwrap();
    }
    let names: Vec<_> = db.storage.services().await.unwrap().into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["ash grove", "Beech House", "Willow Court"]);
}

async fn two_services_cannot_share_a_name_in_any_case(db: TestDatabase) {
    db.storage.add_service(NewService::new(name("Larch House"), ShiftPattern::care_home_default())).await.unwrap();
    let error = db
        .storage
        .add_service(NewService::new(name("LARCH HOUSE"), ShiftPattern::care_home_default()))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, StorageError::Conflict(message) if message == "A service called “LARCH HOUSE” already exists."),
        "{error:?}"
    );
    assert_eq!(db.storage.services().await.unwrap().len(), 1);
}

async fn staff_are_listed_by_name_with_their_services(db: TestDatabase) {
    let home =
        db.storage.add_service(NewService::new(name("Larch House"), ShiftPattern::care_home_default())).await.unwrap();
    let living = db.storage.add_service(NewService::new(name("Brookside"), night_heavy_pattern())).await.unwrap();
    let added = db
        .storage
        .add_staff_members(vec![
            staff("Zara Quinn", Some("Nights"), &[home.id]),
            staff("Adam Hale", None, &[home.id, living.id]),
            staff("Maya Rowe", Some("Days"), &[living.id]),
        ])
        .await
        .unwrap();
    assert_eq!(added.len(), 3);

    let everyone = db.storage.staff_members(None).await.unwrap();
    let names: Vec<_> = everyone.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Adam Hale", "Maya Rowe", "Zara Quinn"]);
    assert_eq!(everyone[0].service_ids, vec![living.id, home.id], "services in name order");
    assert_eq!(everyone[0].team, None);
    assert_eq!(everyone[2].team.as_deref(), Some("Nights"));
    assert_eq!(everyone[2].job_title, "Care assistant");
    assert!(everyone.iter().all(|s| !s.has_left));

    let at_home: Vec<_> = db.storage.staff_members(Some(home.id)).await.unwrap().into_iter().map(|s| s.name).collect();
    assert_eq!(at_home, ["Adam Hale", "Zara Quinn"]);

    let summaries = db.storage.service_summaries().await.unwrap();
    let counts: Vec<_> = summaries.iter().map(|s| (s.service.name.as_str(), s.active_staff)).collect();
    assert_eq!(counts, [("Brookside", 2), ("Larch House", 2)]);
}

async fn adding_staff_is_all_or_nothing(db: TestDatabase) {
    let home =
        db.storage.add_service(NewService::new(name("Larch House"), ShiftPattern::care_home_default())).await.unwrap();
    let result = db
        .storage
        .add_staff_members(vec![staff("Adam Hale", None, &[home.id]), staff("Maya Rowe", None, &[Uuid::now_v7()])])
        .await;
    assert!(matches!(result, Err(StorageError::NotFound)), "{result:?}");
    assert!(db.storage.staff_members(None).await.unwrap().is_empty());
}

async fn a_theme_keeps_its_criteria_in_order(db: TestDatabase) {
    let theme = mealtimes_theme("Mealtime experience");
    let stored = db.storage.add_theme(theme.clone()).await.unwrap();
    let themes = db.storage.themes().await.unwrap();
    assert_eq!(themes.len(), 4);
    assert_eq!(themes[3], stored);
    let titles: Vec<_> = themes[3].criteria.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["Choice", "Support to eat"]);
    assert_eq!(themes[3].criteria[1].id, theme.criteria[1].id);
    assert_eq!(themes[3].quality_statements, [QualityStatement::PersonCentredCare]);
}

async fn a_theme_name_is_unique_and_a_refused_theme_leaves_nothing_behind(db: TestDatabase) {
    let error = db.storage.add_theme(mealtimes_theme("accuracy of daily recording")).await.unwrap_err();
    assert!(matches!(&error, StorageError::Conflict(message) if message.contains("already exists")), "{error:?}");
    let themes = db.storage.themes().await.unwrap();
    assert_eq!(themes.len(), 3);
    let criteria: usize = themes.iter().map(|theme| theme.criteria.len()).sum();
    assert_eq!(criteria, 11);
}

on_both_backends!(
    a_new_database_has_the_organisation_and_the_three_seed_themes,
    default_themes_are_installed_once_and_never_again,
    the_organisation_can_be_renamed,
    a_service_keeps_its_time_zone_and_shift_pattern,
    services_are_listed_by_name,
    two_services_cannot_share_a_name_in_any_case,
    staff_are_listed_by_name_with_their_services,
    adding_staff_is_all_or_nothing,
    a_theme_keeps_its_criteria_in_order,
    a_theme_name_is_unique_and_a_refused_theme_leaves_nothing_behind,
);
