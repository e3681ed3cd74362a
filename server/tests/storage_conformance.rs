//! One storage suite, run against SQLite and PostgreSQL alike: whatever the backend, Recheck's
//! data behaves the same.

mod support;

use recheck_app::domain::access::Role;
use recheck_app::domain::account::{Email, NewUser};
use recheck_app::domain::audit::{AuditEvent, AuditFilter, Author};
use recheck_app::domain::check::{
    AcceptedCheck, Assessment, CheckCursor, CheckDetails, CheckFilter, LocalCalendar, Rating, SubmittedCheck, assess,
    rated_criteria,
};
use recheck_app::domain::cqc::QualityStatement;
use recheck_app::domain::cycle::{Cycle, SourceEvidence, SourceKind, SustainmentRule};
use recheck_app::domain::observer::ObserverCount;
use recheck_app::domain::organisation::{NewService, NewStaffMember};
use recheck_app::domain::seed_themes::default_themes;
use recheck_app::domain::shift::{ClockTime, Shift, ShiftKind, ShiftPattern, Weekday};
use recheck_app::domain::text::{LongText, Name, ShortText};
use recheck_app::domain::theme::{CheckKind, NewCriterion, NewTheme};
use recheck_app::domain::wall_clock::CalendarDate;
use recheck_app::storage::{
    CheckRecording, CycleFilter, LastObserved, Period, PeriodCount, ScoreCounts, SessionRecord, ShiftCount,
    StorageError, StoredPassword, ThrottleRule, TrendQuery,
};
use support::TestDatabase;
use uuid::Uuid;

fn admin() -> Author {
    Author::user(Uuid::from_u128(42), "Test Admin")
}

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
    assert_eq!(db.storage.organisation.details().await.unwrap().name, "Your care organisation");
    let themes = db.storage.organisation.themes().await.unwrap();
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
    assert!(db.storage.is_ready().await.unwrap(), "a database just opened holds every migration");
}

async fn default_themes_are_installed_once_and_never_again(db: TestDatabase) {
    assert!(!db.storage.install_default_themes(default_themes()).await.unwrap());
    assert_eq!(db.storage.organisation.themes().await.unwrap().len(), 3);
}

async fn the_organisation_can_be_renamed(db: TestDatabase) {
    db.storage.rename_organisation(&name("Harbour View Care"), &admin()).await.unwrap();
    assert_eq!(db.storage.organisation.details().await.unwrap().name, "Harbour View Care");
}

async fn a_service_keeps_its_time_zone_and_shift_pattern(db: TestDatabase) {
    let mut new = NewService::new(name("Seaview Lodge"), night_heavy_pattern());
    new.time_zone = "Europe/Belfast".into();
    let added = db.storage.add_service(new.clone(), &admin()).await.unwrap();
    assert_eq!(added.id, new.id);
    let services = db.storage.organisation.services().await.unwrap();
    assert_eq!(services, vec![added]);
    assert_eq!(services[0].time_zone, "Europe/Belfast");
    assert_eq!(services[0].shift_pattern, night_heavy_pattern());
}

async fn services_are_listed_by_name(db: TestDatabase) {
    for service in ["Willow Court", "ash grove", "Beech House"] {
        db.storage
            .add_service(NewService::new(name(service), ShiftPattern::care_home_default()), &admin())
            .await
            .unwrap();
    }
    let names: Vec<_> = db.storage.organisation.services().await.unwrap().into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["ash grove", "Beech House", "Willow Court"]);
}

async fn two_services_cannot_share_a_name_in_any_case(db: TestDatabase) {
    db.storage
        .add_service(NewService::new(name("Larch House"), ShiftPattern::care_home_default()), &admin())
        .await
        .unwrap();
    let error = db
        .storage
        .add_service(NewService::new(name("LARCH HOUSE"), ShiftPattern::care_home_default()), &admin())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, StorageError::Conflict(message) if message == "A service called “LARCH HOUSE” already exists."),
        "{error:?}"
    );
    assert_eq!(db.storage.organisation.services().await.unwrap().len(), 1);
}

async fn staff_are_listed_by_name_with_their_services(db: TestDatabase) {
    let home = db
        .storage
        .add_service(NewService::new(name("Larch House"), ShiftPattern::care_home_default()), &admin())
        .await
        .unwrap();
    let living =
        db.storage.add_service(NewService::new(name("Brookside"), night_heavy_pattern()), &admin()).await.unwrap();
    let added = db
        .storage
        .add_staff_members(
            vec![
                staff("Zara Quinn", Some("Nights"), &[home.id]),
                staff("Adam Hale", None, &[home.id, living.id]),
                staff("Maya Rowe", Some("Days"), &[living.id]),
            ],
            &admin(),
        )
        .await
        .unwrap();
    assert_eq!(added.len(), 3);

    let everyone = db.storage.organisation.staff_members(None).await.unwrap();
    let names: Vec<_> = everyone.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Adam Hale", "Maya Rowe", "Zara Quinn"]);
    assert_eq!(everyone[0].service_ids, vec![living.id, home.id], "services in name order");
    assert_eq!(everyone[0].team, None);
    assert_eq!(everyone[2].team.as_deref(), Some("Nights"));
    assert_eq!(everyone[2].job_title, "Care assistant");
    assert!(everyone.iter().all(|s| !s.has_left));

    let at_home: Vec<_> =
        db.storage.organisation.staff_members(Some(home.id)).await.unwrap().into_iter().map(|s| s.name).collect();
    assert_eq!(at_home, ["Adam Hale", "Zara Quinn"]);

    let summaries = db.storage.organisation.service_summaries().await.unwrap();
    let counts: Vec<_> = summaries.iter().map(|s| (s.service.name.as_str(), s.active_staff)).collect();
    assert_eq!(counts, [("Brookside", 2), ("Larch House", 2)]);
}

async fn adding_staff_is_all_or_nothing(db: TestDatabase) {
    let home = db
        .storage
        .add_service(NewService::new(name("Larch House"), ShiftPattern::care_home_default()), &admin())
        .await
        .unwrap();
    let result = db
        .storage
        .add_staff_members(
            vec![staff("Adam Hale", None, &[home.id]), staff("Maya Rowe", None, &[Uuid::now_v7()])],
            &admin(),
        )
        .await;
    assert!(matches!(result, Err(StorageError::NotFound)), "{result:?}");
    assert!(db.storage.organisation.staff_members(None).await.unwrap().is_empty());
}

async fn a_theme_keeps_its_criteria_in_order(db: TestDatabase) {
    let theme = mealtimes_theme("Mealtime experience");
    let stored = db.storage.add_theme(theme.clone(), &admin()).await.unwrap();
    let themes = db.storage.organisation.themes().await.unwrap();
    assert_eq!(themes.len(), 4);
    assert_eq!(themes[3], stored);
    let titles: Vec<_> = themes[3].criteria.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["Choice", "Support to eat"]);
    assert_eq!(themes[3].criteria[1].id, theme.criteria[1].id);
    assert_eq!(themes[3].quality_statements, [QualityStatement::PersonCentredCare]);
}

async fn a_theme_name_is_unique_and_a_refused_theme_leaves_nothing_behind(db: TestDatabase) {
    let error = db.storage.add_theme(mealtimes_theme("accuracy of daily recording"), &admin()).await.unwrap_err();
    assert!(matches!(&error, StorageError::Conflict(message) if message.contains("already exists")), "{error:?}");
    let themes = db.storage.organisation.themes().await.unwrap();
    assert_eq!(themes.len(), 3);
    let criteria: usize = themes.iter().map(|theme| theme.criteria.len()).sum();
    assert_eq!(criteria, 11);
}

async fn audit(db: &TestDatabase, filter: AuditFilter) -> Vec<AuditEvent> {
    db.storage.audit.audit_events(&filter).await.unwrap()
}

fn hashed(hash: &str) -> StoredPassword {
    StoredPassword { hash: hash.to_owned(), change_required: false, expires_at_ms: None }
}

fn new_user(email: &str, person: &str, roles: Vec<Role>, services: Vec<Uuid>) -> NewUser {
    NewUser::new(Email::parse(email).unwrap(), name(person), roles, services).unwrap()
}

async fn users_keep_their_roles_and_services_and_sign_in_by_email(db: TestDatabase) {
    let home = db
        .storage
        .add_service(NewService::new(name("Larch House"), ShiftPattern::care_home_default()), &admin())
        .await
        .unwrap();
    let user = new_user("Bethan@Example.org", "Bethan Pryce", vec![Role::TeamLeader, Role::ShiftLeader], vec![home.id]);
    let added = db.storage.add_user(user.clone(), &hashed("$argon2id$hash"), &admin()).await.unwrap();
    assert_eq!(added.roles, vec![Role::ShiftLeader, Role::TeamLeader]);
    assert_eq!(db.storage.accounts.user(added.id).await.unwrap(), added);
    let (found, password) =
        db.storage.accounts.user_credentials(&Email::parse("bethan@example.org").unwrap()).await.unwrap().unwrap();
    assert_eq!((found, password), (added.clone(), hashed("$argon2id$hash")));
    assert!(
        db.storage.accounts.user_credentials(&Email::parse("nobody@example.org").unwrap()).await.unwrap().is_none()
    );
    assert!(matches!(db.storage.accounts.user(Uuid::now_v7()).await, Err(StorageError::NotFound)));

    let admin_user = new_user("admin@example.org", "Aaron Admin", vec![Role::ProviderAdmin], vec![]);
    db.storage.add_user(admin_user, &hashed("$argon2id$other"), &admin()).await.unwrap();
    let names: Vec<_> =
        db.storage.accounts.users().await.unwrap().into_iter().map(|u| (u.name, u.service_ids)).collect();
    assert_eq!(names, [("Aaron Admin".to_owned(), vec![]), ("Bethan Pryce".to_owned(), vec![home.id])]);
}

async fn an_email_belongs_to_one_user_only(db: TestDatabase) {
    db.storage
        .add_user(new_user("a@example.org", "Ann", vec![Role::QualityLead], vec![]), &hashed("h"), &admin())
        .await
        .unwrap();
    let error = db
        .storage
        .add_user(new_user("A@EXAMPLE.ORG", "Another Ann", vec![Role::QualityLead], vec![]), &hashed("h"), &admin())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, StorageError::Conflict(m) if m == "A user with the email a@example.org already exists."),
        "{error:?}"
    );
    assert_eq!(db.storage.accounts.users().await.unwrap().len(), 1);
}

async fn a_user_in_an_unknown_service_is_not_half_saved(db: TestDatabase) {
    let result = db
        .storage
        .add_user(
            new_user("a@example.org", "Ann", vec![Role::ShiftLeader], vec![Uuid::now_v7()]),
            &hashed("h"),
            &admin(),
        )
        .await;
    assert!(matches!(result, Err(StorageError::NotFound)), "{result:?}");
    assert!(db.storage.accounts.users().await.unwrap().is_empty());
}

async fn sessions_are_created_once_saved_loaded_until_they_lapse_and_deleted(db: TestDatabase) {
    let session =
        SessionRecord { id: "abc".into(), data: r#"{"user_id":"x"}"#.into(), expires_at_ms: 2_000, user_id: None };
    assert!(db.storage.accounts.create_session(&session).await.unwrap());
    assert!(!db.storage.accounts.create_session(&session).await.unwrap(), "an id is never reused");
    assert_eq!(db.storage.accounts.load_session("abc", 1_999).await.unwrap(), Some(session.clone()));
    assert_eq!(db.storage.accounts.load_session("abc", 2_000).await.unwrap(), None, "lapsed");
    let extended = SessionRecord { expires_at_ms: 5_000, ..session };
    db.storage.accounts.save_session(&extended).await.unwrap();
    assert_eq!(db.storage.accounts.load_session("abc", 2_000).await.unwrap(), Some(extended));
    db.storage.accounts.delete_session("abc").await.unwrap();
    assert_eq!(db.storage.accounts.load_session("abc", 0).await.unwrap(), None);
}

fn rule(key: &str, limit: u32, window_ms: i64) -> ThrottleRule {
    ThrottleRule { key: key.to_owned(), limit, window_ms }
}

async fn login_attempts_are_counted_before_they_are_judged_per_rule_within_its_window(db: TestDatabase) {
    // One key under two windows, as the growing delay has, and a key of its own.
    let rules = [rule("pair", 3, 1_000), rule("pair", 4, 10_000), rule("address", 10, 1_000)];
    for at in [100, 200, 300] {
        assert_eq!(db.storage.reserve_login_attempt(&rules, at).await.unwrap(), Vec::<usize>::new());
    }
    assert_eq!(db.storage.reserve_login_attempt(&rules, 400).await.unwrap(), [0], "the short window is full");
    assert_eq!(
        db.storage.reserve_login_attempt(&rules, 1_150).await.unwrap(),
        Vec::<usize>::new(),
        "the first fell out of the short window; the long one has room for one more"
    );
    assert_eq!(db.storage.reserve_login_attempt(&rules, 2_000).await.unwrap(), [1], "the long window is full");
    // Refused attempts counted nothing: four went ahead, each counted once under the address
    // although two rules name the pair's key.
    let address = [rule("address", 5, 10_000)];
    assert_eq!(db.storage.reserve_login_attempt(&address, 2_000).await.unwrap(), Vec::<usize>::new(), "the fifth");
    assert_eq!(db.storage.reserve_login_attempt(&address, 2_000).await.unwrap(), [0]);
    // A right password takes its attempt back under one key and clears another.
    db.storage.accounts.withdraw_login_attempt("address", 2_000).await.unwrap();
    assert_eq!(db.storage.reserve_login_attempt(&address, 2_001).await.unwrap(), Vec::<usize>::new());
    db.storage.accounts.clear_login_failures("pair").await.unwrap();
    assert_eq!(db.storage.reserve_login_attempt(&rules[..2], 2_002).await.unwrap(), Vec::<usize>::new());

    // Twenty at once under a limit of 5: exactly 5 go ahead, on every backend.
    let parallel: Vec<_> = (0..20)
        .map(|_| {
            let storage = db.storage.clone();
            tokio::spawn(async move {
                let rules = [rule("account:b@example.org", 5, 60_000), rule("address:b", 100, 60_000)];
                storage.reserve_login_attempt(&rules, 1_000).await.unwrap().is_empty()
            })
        })
        .collect();
    let mut reserved = 0;
    for attempt in parallel {
        reserved += usize::from(attempt.await.unwrap());
    }
    assert_eq!(reserved, 5);
}

async fn lapsed_sessions_and_old_failed_sign_ins_are_purged_and_nothing_else(db: TestDatabase) {
    use recheck_app::storage::Purged;
    for (id, expires_at_ms) in [("lapsed", 1_000), ("lapsing-now", 2_000), ("live", 3_000)] {
        let session = SessionRecord { id: id.into(), data: "{}".into(), expires_at_ms, user_id: None };
        assert!(db.storage.accounts.create_session(&session).await.unwrap());
    }
    let rules = [rule("account:a@example.org", 10, 10_000)];
    for at in [100, 500, 900] {
        assert!(db.storage.reserve_login_attempt(&rules, at).await.unwrap().is_empty());
    }
    let purged = db.storage.accounts.purge_lapsed(2_000, 500).await.unwrap();
    assert_eq!(purged, Purged { sessions: 2, login_failures: 1 });
    assert!(db.storage.accounts.load_session("live", 2_000).await.unwrap().is_some());
    let left = [rule("account:a@example.org", 3, 10_000)];
    assert!(db.storage.reserve_login_attempt(&left, 1_000).await.unwrap().is_empty(), "two left, under a limit of 3");
    assert_eq!(db.storage.accounts.purge_lapsed(2_000, 500).await.unwrap(), Purged::default());
}

async fn every_change_is_in_the_audit_trail_newest_first_and_filterable(db: TestDatabase) {
    let home = db
        .storage
        .add_service(NewService::new(name("Larch House"), ShiftPattern::care_home_default()), &admin())
        .await
        .unwrap();
    db.storage.add_staff_members(vec![staff("Adam Hale", None, &[home.id])], &admin()).await.unwrap();
    let user = db
        .storage
        .add_user(new_user("a@example.org", "Ann", vec![Role::ShiftLeader], vec![home.id]), &hashed("h"), &admin())
        .await
        .unwrap();
    let sign_in = AuditEvent::new(
        db.storage.now_ms(),
        &Author::user(user.id, "Ann"),
        "login.succeeded",
        Some(user.id),
        "Ann signed in",
    );
    db.storage.record_audit_event(&sign_in).await.unwrap();

    let everything = db.storage.audit.audit_events(&AuditFilter { limit: 100, ..Default::default() }).await.unwrap();
    let actions: Vec<_> = everything.iter().map(|event| event.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "login.succeeded",
            "user.created",
            "staff.created",
            "service.created",
            "theme.created",
            "theme.created",
            "theme.created"
        ]
    );
    let created = &everything[1];
    assert_eq!(created.author, admin());
    assert_eq!(created.subject_id, Some(user.id));
    assert_eq!(created.after.as_ref().unwrap()["email"], "a@example.org");
    assert!(created.before.is_none());
    assert_eq!(everything[4].author.name, "Recheck (default practice themes)");

    let by_prefix =
        audit(&db, AuditFilter { action_prefix: Some("user".into()), limit: 100, ..Default::default() }).await;
    assert_eq!(by_prefix.len(), 1);
    let by_author = audit(&db, AuditFilter { author_id: Some(user.id), limit: 100, ..Default::default() }).await;
    assert_eq!(by_author, vec![sign_in.clone()]);
    let by_time =
        audit(&db, AuditFilter { from_ms: Some(sign_in.occurred_at_ms), limit: 100, ..Default::default() }).await;
    assert!(by_time.iter().all(|event| event.occurred_at_ms >= sign_in.occurred_at_ms));
    let limited = db.storage.audit.audit_events(&AuditFilter { limit: 2, ..Default::default() }).await.unwrap();
    assert_eq!(limited.len(), 2);
}

async fn renaming_the_organisation_records_before_and_after(db: TestDatabase) {
    db.storage.rename_organisation(&name("Harbour View Care"), &admin()).await.unwrap();
    let mut events =
        audit(&db, AuditFilter { action_prefix: Some("organisation".into()), limit: 10, ..Default::default() }).await;
    let event = events.pop().unwrap();
    assert_eq!(event.before.unwrap()["name"], "Your care organisation");
    assert_eq!(event.after.unwrap()["name"], "Harbour View Care");
}

async fn a_service_can_be_renamed_and_given_a_new_pattern_with_before_and_after_recorded(db: TestDatabase) {
    let home = db
        .storage
        .add_service(NewService::new(name("Larch House"), ShiftPattern::care_home_default()), &admin())
        .await
        .unwrap();
    db.storage
        .add_service(NewService::new(name("Brookside"), ShiftPattern::care_home_default()), &admin())
        .await
        .unwrap();
    let changed = NewService {
        id: home.id,
        name: name("Larch House Nursing"),
        time_zone: "Europe/Dublin".into(),
        shift_pattern: night_heavy_pattern(),
    };
    let stored = db.storage.update_service(changed, &admin()).await.unwrap();
    assert_eq!((stored.name.as_str(), stored.time_zone.as_str()), ("Larch House Nursing", "Europe/Dublin"));
    assert_eq!(db.storage.organisation.services().await.unwrap()[1], stored);
    let taken =
        NewService { id: home.id, name: name("BROOKSIDE"), ..NewService::new(name("x"), night_heavy_pattern()) };
    let error = db.storage.update_service(taken, &admin()).await.unwrap_err();
    assert!(matches!(&error, StorageError::Conflict(m) if m.contains("already exists")), "{error:?}");
    let unknown = NewService::new(name("Nowhere"), night_heavy_pattern());
    assert!(matches!(db.storage.update_service(unknown, &admin()).await, Err(StorageError::NotFound)));
    let events =
        audit(&db, AuditFilter { action_prefix: Some("service.updated".into()), limit: 10, ..Default::default() })
            .await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].before.as_ref().unwrap()["name"], "Larch House");
    assert_eq!(events[0].after.as_ref().unwrap()["name"], "Larch House Nursing");
}

async fn a_leaver_keeps_their_record_and_staff_can_move_services(db: TestDatabase) {
    let pattern = ShiftPattern::care_home_default;
    let home = db.storage.add_service(NewService::new(name("Larch House"), pattern()), &admin()).await.unwrap();
    let other = db.storage.add_service(NewService::new(name("Brookside"), pattern()), &admin()).await.unwrap();
    let added = db.storage.add_staff_members(vec![staff("Adam Hale", None, &[home.id])], &admin()).await.unwrap();
    let moved = NewStaffMember { id: added[0].id, ..staff("Adam Hale-Jones", Some("Nights"), &[other.id]) };
    let stored = db.storage.update_staff_member(moved.clone(), false, &admin()).await.unwrap();
    assert_eq!((stored.name.as_str(), stored.team.as_deref()), ("Adam Hale-Jones", Some("Nights")));
    assert!(db.storage.organisation.staff_members(Some(home.id)).await.unwrap().is_empty());
    assert_eq!(db.storage.organisation.staff_members(Some(other.id)).await.unwrap(), vec![stored.clone()]);

    let left = db.storage.update_staff_member(moved, true, &admin()).await.unwrap();
    assert!(left.has_left);
    assert_eq!(db.storage.organisation.staff_members(None).await.unwrap(), vec![left]);
    let summaries = db.storage.organisation.service_summaries().await.unwrap();
    assert!(summaries.iter().all(|summary| summary.active_staff == 0), "a leaver is not counted as active");
    let events = audit(&db, AuditFilter { subject_id: Some(added[0].id), limit: 10, ..Default::default() }).await;
    let actions: Vec<_> = events.iter().map(|event| event.action.as_str()).collect();
    assert_eq!(actions, ["staff.left", "staff.updated", "staff.created"]);

    let nobody = staff("Nobody", None, &[home.id]);
    assert!(matches!(db.storage.update_staff_member(nobody, false, &admin()).await, Err(StorageError::NotFound)));
    let lost = NewStaffMember { id: added[0].id, ..staff("Adam Hale", None, &[Uuid::now_v7()]) };
    assert!(matches!(db.storage.update_staff_member(lost, false, &admin()).await, Err(StorageError::NotFound)));
    assert_eq!(
        db.storage.organisation.staff_members(Some(other.id)).await.unwrap().len(),
        1,
        "a refused change leaves nothing half done"
    );
}

async fn an_edited_theme_keeps_its_criteria_ids_and_order(db: TestDatabase) {
    let theme = db.storage.add_theme(mealtimes_theme("Mealtimes"), &admin()).await.unwrap();
    let criterion = |id: Uuid, title: &str| NewCriterion {
        id,
        title: name(title),
        descriptors: [long("a"), long("b"), long("c"), long("d")],
    };
    let new_criterion = Uuid::now_v7();
    let mut edited = NewTheme::new(
        name("Mealtimes and drinks"),
        long("People choose, and are helped to drink enough."),
        CheckKind::Observation,
        vec![criterion(theme.criteria[1].id, "Support to eat and drink"), criterion(new_criterion, "Fluids offered")],
        vec![QualityStatement::PersonCentredCare, QualityStatement::SafeEnvironments],
    )
    .unwrap();
    edited.id = theme.id;
    let stored = db.storage.update_theme(edited, &admin()).await.unwrap();
    let ids: Vec<_> = stored.criteria.iter().map(|c| c.id).collect();
    assert_eq!(ids, [theme.criteria[1].id, new_criterion]);
    let reloaded = db.storage.organisation.themes().await.unwrap().into_iter().find(|t| t.id == theme.id).unwrap();
    assert_eq!(reloaded, stored);
    assert_eq!(reloaded.criteria[0].title, "Support to eat and drink");

    let mut clash = mealtimes_theme("Accuracy of daily recording");
    clash.id = theme.id;
    let error = db.storage.update_theme(clash, &admin()).await.unwrap_err();
    assert!(matches!(&error, StorageError::Conflict(_)), "{error:?}");
    let unchanged = db.storage.organisation.themes().await.unwrap().into_iter().find(|t| t.id == theme.id).unwrap();
    assert_eq!(unchanged, stored, "a refused edit changes nothing");
    assert!(matches!(db.storage.update_theme(mealtimes_theme("New"), &admin()).await, Err(StorageError::NotFound)));
}

async fn users_can_be_changed_disabled_and_given_passwords(db: TestDatabase) {
    let home = db
        .storage
        .add_service(NewService::new(name("Larch House"), ShiftPattern::care_home_default()), &admin())
        .await
        .unwrap();
    let ann = db
        .storage
        .add_user(new_user("ann@example.org", "Ann", vec![Role::ShiftLeader], vec![home.id]), &hashed("h1"), &admin())
        .await
        .unwrap();
    db.storage
        .add_user(new_user("bob@example.org", "Bob", vec![Role::QualityLead], vec![]), &hashed("h2"), &admin())
        .await
        .unwrap();
    let promoted = NewUser {
        id: ann.id,
        ..new_user("ann.lee@example.org", "Ann Lee", vec![Role::QualityLead, Role::ProviderAdmin], vec![])
    };
    let stored = db.storage.update_user(promoted.clone(), false, &admin()).await.unwrap();
    assert_eq!(stored.service_ids, Vec::<Uuid>::new());
    assert_eq!(db.storage.accounts.user(ann.id).await.unwrap(), stored);
    let disabled = db.storage.update_user(promoted, true, &admin()).await.unwrap();
    assert!(disabled.disabled);

    let taken = NewUser { id: ann.id, ..new_user("BOB@example.org", "Ann", vec![Role::QualityLead], vec![]) };
    let error = db.storage.update_user(taken, true, &admin()).await.unwrap_err();
    assert!(matches!(&error, StorageError::Conflict(m) if m.contains("bob@example.org")), "{error:?}");

    let one_time = StoredPassword { hash: "$argon2id$once".into(), change_required: true, expires_at_ms: Some(9_000) };
    db.storage.set_password(ann.id, &one_time, &admin(), None).await.unwrap();
    let email = Email::parse("ann.lee@example.org").unwrap();
    let (user, password) = db.storage.accounts.user_credentials(&email).await.unwrap().unwrap();
    assert_eq!((password, user.password_change_required), (one_time.clone(), true));
    assert!(matches!(
        db.storage.set_password(Uuid::now_v7(), &one_time, &admin(), None).await,
        Err(StorageError::NotFound)
    ));

    let events = audit(&db, AuditFilter { subject_id: Some(ann.id), limit: 10, ..Default::default() }).await;
    let actions: Vec<_> = events.iter().map(|event| event.action.as_str()).collect();
    assert_eq!(actions, ["user.password_set", "user.disabled", "user.updated", "user.created"]);
    assert!(events[0].after.is_none() && events[0].before.is_none(), "no hash in the trail");
}

async fn accepted_check(db: &TestDatabase) -> AcceptedCheck {
    let home = db
        .storage
        .add_service(NewService::new(name("Larch House"), ShiftPattern::care_home_default()), &admin())
        .await
        .unwrap();
    let adam = db.storage.add_staff_members(vec![staff("Adam Hale", None, &[home.id])], &admin()).await.unwrap();
    let observer = db
        .storage
        .add_user(
            new_user("callum@example.org", "Callum", vec![Role::ShiftLeader], vec![home.id]),
            &hashed("h"),
            &admin(),
        )
        .await
        .unwrap();
    let theme = db.storage.organisation.themes().await.unwrap().remove(0);
    let ratings: Vec<Rating> = theme.criteria.iter().map(|c| Rating { criterion_id: c.id, score: Some(3) }).collect();
    AcceptedCheck {
        check: SubmittedCheck {
            id: Uuid::now_v7(),
            service_id: home.id,
            staff_id: adam[0].id,
            theme_id: theme.id,
            observed_at: "2026-11-26T14:05:00+00:00".into(),
            announced: false,
            shift: None,
            weekend: None,
            ratings: ratings.clone(),
            details: CheckDetails::Observation {
                examples: "Knocked and waited.".into(),
                person_response: String::new(),
                feedback_given: false,
                feedback: String::new(),
            },
            amends: None,
            theme_version: None,
        },
        observer_id: observer.id,
        observed_at_ms: 1_795_701_900_000,
        shift: ShiftKind::Late,
        weekend: false,
        theme_version: theme.version,
        calendar: LocalCalendar {
            local_date: "2026-11-26".into(),
            iso_week: "2026-W48".into(),
            month: "2026-11".into(),
        },
        assessment: assess(&ratings, None),
    }
}

fn callum() -> Author {
    Author::user(Uuid::from_u128(7), "Callum")
}

/// A later check of the same observation, or a correction of `original` when `reason` is given,
/// with `scores` for the theme's criteria in order.
fn another(original: &AcceptedCheck, minutes_later: i64, scores: &[Option<u8>], reason: Option<&str>) -> AcceptedCheck {
    let mut check = original.clone();
    check.check.id = Uuid::now_v7();
    check.observed_at_ms += minutes_later * 60_000;
    for (rating, score) in check.check.ratings.iter_mut().zip(scores) {
        rating.score = *score;
    }
    check.assessment = assess(&check.check.ratings, None);
    check.check.amends = reason
        .map(|reason| recheck_app::domain::check::Amendment { check_id: original.check.id, reason: reason.to_owned() });
    check
}

async fn a_check_is_kept_once_however_often_it_is_sent(db: TestDatabase) {
    let accepted = accepted_check(&db).await;
    let record = |check: AcceptedCheck| {
        let storage = db.storage.clone();
        async move { storage.record_check(&check, "tablet-1", &callum()).await.unwrap() }
    };
    assert_eq!(record(accepted.clone()).await, CheckRecording::Stored);
    assert_eq!(record(accepted.clone()).await, CheckRecording::AlreadyStored);
    let mut different = accepted.clone();
    different.check.announced = true;
    assert_eq!(record(different).await, CheckRecording::IdTakenByDifferentCheck);
    let kept = db.storage.checks.check(accepted.check.id).await.unwrap().unwrap();
    assert_eq!(kept.check, accepted.check, "the first version stays");
    assert_eq!(
        (kept.shift_kind, kept.weekend_practice, kept.observer_id),
        (ShiftKind::Late, false, accepted.observer_id)
    );
    assert_eq!(db.storage.checks.checks(&CheckFilter { limit: 10, ..Default::default() }).await.unwrap().len(), 1);
    assert_eq!(db.storage.checks.check(Uuid::now_v7()).await.unwrap(), None);
}

async fn checks_are_listed_newest_first_and_filtered(db: TestDatabase) {
    let first = accepted_check(&db).await;
    let mut second = first.clone();
    second.check.id = Uuid::now_v7();
    second.observed_at_ms += 60_000;
    second.check.observed_at = "2026-11-26T14:06:00+00:00".into();
    // The second counts towards a weekend night, and its observer was expected.
    (second.shift, second.weekend, second.check.announced) = (ShiftKind::Night, true, true);
    for check in [&first, &second] {
        db.storage.record_check(check, "tablet-1", &callum()).await.unwrap();
    }
    let all = |filter: CheckFilter| {
        let storage = db.storage.clone();
        async move { storage.checks.checks(&filter).await.unwrap().into_iter().map(|c| c.check.id).collect::<Vec<_>>() }
    };
    assert_eq!(all(CheckFilter { limit: 10, ..Default::default() }).await, [second.check.id, first.check.id]);
    assert_eq!(all(CheckFilter { limit: 1, ..Default::default() }).await, [second.check.id]);
    let later = CheckFilter { from_ms: Some(second.observed_at_ms), limit: 10, ..Default::default() };
    assert_eq!(all(later).await, [second.check.id]);
    let earlier = CheckFilter { to_ms: Some(second.observed_at_ms), limit: 10, ..Default::default() };
    assert_eq!(all(earlier).await, [first.check.id]);
    let nobody = CheckFilter { staff_id: Some(Uuid::now_v7()), limit: 10, ..Default::default() };
    assert!(all(nobody).await.is_empty());
    let by_theme = CheckFilter {
        theme_id: Some(first.check.theme_id),
        service_ids: Some(vec![first.check.service_id]),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(all(by_theme).await.len(), 2);
    let elsewhere = CheckFilter { service_ids: Some(vec![Uuid::now_v7()]), limit: 10, ..Default::default() };
    assert!(all(elsewhere).await.is_empty());
    let no_services = CheckFilter { service_ids: Some(vec![]), limit: 10, ..Default::default() };
    assert!(all(no_services).await.is_empty(), "someone with no services sees nothing");
    let both = CheckFilter {
        service_ids: Some(vec![Uuid::now_v7(), first.check.service_id]),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(all(both).await.len(), 2);
    let on = |shift, weekend, announced| CheckFilter { shift, weekend, announced, limit: 10, ..Default::default() };
    assert_eq!(all(on(Some(ShiftKind::Night), None, None)).await, [second.check.id]);
    assert_eq!(all(on(Some(first.shift), None, None)).await, [first.check.id]);
    assert!(all(on(Some(ShiftKind::Early), None, None)).await.is_empty());
    assert_eq!(all(on(None, Some(true), None)).await, [second.check.id], "weekends");
    assert_eq!(all(on(None, Some(false), None)).await, [first.check.id], "weekdays");
    assert_eq!(all(on(None, None, Some(false))).await, [first.check.id], "unannounced");
    assert_eq!(all(on(Some(ShiftKind::Night), Some(true), Some(true))).await, [second.check.id]);
    assert!(all(on(Some(ShiftKind::Night), Some(false), None)).await.is_empty(), "every field narrows");
}

async fn pages_of_checks_follow_on_from_the_last_check_and_end_empty(db: TestDatabase) {
    let first = accepted_check(&db).await;
    let mut checks = vec![first.clone()];
    // Two checks observed at the same moment are ordered by id, so none is skipped or repeated.
    for minutes in [1, 1, 2, 3, 4] {
        checks.push(another(&first, minutes, &[Some(3); 4], None));
    }
    for check in &checks {
        db.storage.record_check(check, "tablet-1", &callum()).await.unwrap();
    }
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = db.storage.checks.checks(&CheckFilter { after, limit: 2, ..Default::default() }).await.unwrap();
        if page.is_empty() {
            break;
        }
        after = page.last().map(CheckCursor::of);
        seen.extend(page.into_iter().map(|kept| kept.check.id));
    }
    let mut expected: Vec<(i64, Uuid)> = checks.iter().map(|c| (c.observed_at_ms, c.check.id)).collect();
    expected.sort();
    expected.reverse();
    assert_eq!(seen, expected.into_iter().map(|(_, id)| id).collect::<Vec<_>>());
    let past_the_end = CheckFilter { after, limit: 2, ..Default::default() };
    assert!(db.storage.checks.checks(&past_the_end).await.unwrap().is_empty());
}

async fn a_check_keeps_its_ratings_as_rows_its_calendar_and_what_they_say(db: TestDatabase) {
    let mut first = accepted_check(&db).await;
    first.check.announced = false;
    let mut weak = another(&first, 10, &[Some(2), Some(3), None, Some(4)], None);
    weak.check.announced = true;
    let unrated = another(&first, 20, &[None, None, None, None], None);
    for check in [&first, &weak, &unrated] {
        db.storage.record_check(check, "tablet-1", &callum()).await.unwrap();
    }
    let kept = db.storage.checks.check(weak.check.id).await.unwrap().unwrap();
    assert_eq!(kept.assessment, Assessment { meets_standard: false, weak: true });
    assert_eq!(kept.calendar, weak.calendar);
    assert_eq!(kept.rated_against_version, 1);
    let count = |services: Vec<Uuid>, theme_id: Uuid, period: Period| {
        let query = TrendQuery { service_ids: services, theme_id, period, from_ms: 0, to_ms: i64::MAX };
        let storage = db.storage.clone();
        async move { storage.trends.standard_by_period(&query).await.unwrap() }
    };
    let (service, theme) = (first.check.service_id, first.check.theme_id);
    let in_the_week = PeriodCount { period: "2026-W48".into(), checks: 3, met: 1, weak: 1 };
    assert_eq!(count(vec![service], theme, Period::Week).await, [in_the_week]);
    let in_the_month = PeriodCount { period: "2026-11".into(), checks: 3, met: 1, weak: 1 };
    assert_eq!(count(vec![service, Uuid::now_v7()], theme, Period::Month).await, [in_the_month]);
    assert!(count(vec![service], Uuid::now_v7(), Period::Week).await.is_empty(), "another theme");
    assert!(count(Vec::new(), theme, Period::Week).await.is_empty(), "no services: nothing");
    let by_shift = |services: Vec<Uuid>| {
        let query =
            TrendQuery { service_ids: services, theme_id: theme, period: Period::Week, from_ms: 0, to_ms: i64::MAX };
        let storage = db.storage.clone();
        async move { storage.trends.standard_by_shift(&query).await.unwrap() }
    };
    let shifts = by_shift(vec![service]).await;
    assert_eq!(
        shifts,
        [ShiftCount { shift: first.shift, weekend: first.weekend, checks: 3, met: 1 }],
        "three checks minutes apart, on one shift"
    );
    assert!(by_shift(Vec::new()).await.is_empty());
    let query =
        TrendQuery { service_ids: vec![service], theme_id: theme, period: Period::Week, from_ms: 0, to_ms: i64::MAX };
    let mut observed = db.storage.trends.standard_by_observer(&query).await.unwrap();
    observed.sort_by_key(|count| count.announced);
    let observer = |announced, checks, met| ObserverCount {
        observer_id: first.observer_id,
        staff_id: first.check.staff_id,
        announced,
        checks,
        met,
    };
    assert_eq!(observed, [observer(false, 2, 1), observer(true, 1, 0)], "the weak check was the announced one");
    let criteria: Vec<Uuid> = first.check.ratings.iter().map(|rating| rating.criterion_id).collect();
    let mut expected = vec![
        ScoreCounts { criterion_id: criteria[0], by_score: [0, 1, 1, 0], not_applicable: 1 },
        ScoreCounts { criterion_id: criteria[1], by_score: [0, 0, 2, 0], not_applicable: 1 },
        ScoreCounts { criterion_id: criteria[2], by_score: [0, 0, 1, 0], not_applicable: 2 },
        ScoreCounts { criterion_id: criteria[3], by_score: [0, 0, 1, 1], not_applicable: 1 },
    ];
    expected.sort_by_key(|counts| counts.criterion_id);
    assert_eq!(db.storage.trends.ratings_by_criterion(&query).await.unwrap(), expected, "counted from the rating rows");
    let nobody = TrendQuery { service_ids: Vec::new(), ..query };
    assert!(db.storage.trends.standard_by_observer(&nobody).await.unwrap().is_empty());
    assert!(db.storage.trends.ratings_by_criterion(&nobody).await.unwrap().is_empty());

    let staff = first.check.staff_id;
    let last = db.storage.trends.last_observed(&[staff, Uuid::now_v7()], 0, i64::MAX).await.unwrap();
    let latest = LastObserved { staff_id: staff, theme_id: theme, observed_at_ms: unrated.observed_at_ms };
    assert_eq!(last, [latest], "the latest of three, and nothing for someone never observed");
    let before = db.storage.trends.last_observed(&[staff], 0, unrated.observed_at_ms).await.unwrap();
    assert_eq!(before[0].observed_at_ms, weak.observed_at_ms, "the range ends before its end");
    assert!(db.storage.trends.last_observed(&[staff], unrated.observed_at_ms + 1, i64::MAX).await.unwrap().is_empty());
    assert!(db.storage.trends.last_observed(&[], 0, i64::MAX).await.unwrap().is_empty());
}

async fn a_correction_takes_the_place_of_the_check_it_corrects_everywhere_it_counts(db: TestDatabase) {
    let original = accepted_check(&db).await;
    db.storage.record_check(&original, "tablet-1", &callum()).await.unwrap();
    let first_fix = another(&original, 0, &[Some(2), Some(3), Some(3), Some(3)], Some("Pace was rushed, not good."));
    db.storage.record_check(&first_fix, "tablet-1", &callum()).await.unwrap();
    let listed = |storage: recheck_app::storage::SharedStorage| async move {
        let checks = storage.checks.checks(&CheckFilter { limit: 10, ..Default::default() }).await.unwrap();
        checks.into_iter().map(|kept| kept.check.id).collect::<Vec<_>>()
    };
    assert_eq!(listed(db.storage.clone()).await, [first_fix.check.id], "never both");
    let kept_original = db.storage.checks.check(original.check.id).await.unwrap().unwrap();
    assert_eq!(kept_original.superseded_by, Some(first_fix.check.id), "the original stays readable");
    assert_eq!(kept_original.check, original.check);

    // A second correction of the original stands in place of both.
    let second_fix =
        another(&original, 0, &[Some(2), Some(2), Some(3), Some(3)], Some("Choice was not offered either."));
    db.storage.record_check(&second_fix, "tablet-1", &callum()).await.unwrap();
    assert_eq!(listed(db.storage.clone()).await, [second_fix.check.id]);
    let history: Vec<Uuid> =
        db.storage.checks.amendments(original.check.id).await.unwrap().into_iter().map(|c| c.check.id).collect();
    assert_eq!(history, [first_fix.check.id, second_fix.check.id]);
    let superseded = db.storage.checks.check(first_fix.check.id).await.unwrap().unwrap();
    assert_eq!(superseded.superseded_by, Some(second_fix.check.id));
    let query = TrendQuery {
        service_ids: vec![original.check.service_id],
        theme_id: original.check.theme_id,
        period: Period::Week,
        from_ms: 0,
        to_ms: i64::MAX,
    };
    let weeks = db.storage.trends.standard_by_period(&query).await.unwrap();
    assert_eq!((weeks[0].checks, weeks[0].met, weeks[0].weak), (1, 0, 1), "counted once, as corrected");
    let first_criterion = original.check.ratings[0].criterion_id;
    let ratings = db.storage.trends.ratings_by_criterion(&query).await.unwrap();
    let counted = ratings.iter().find(|counts| counts.criterion_id == first_criterion).unwrap();
    assert_eq!((counted.by_score, counted.not_applicable), ([0, 1, 0, 0], 0), "the corrected ratings, once");
    let corrections =
        audit(&db, AuditFilter { action_prefix: Some("check.corrected".into()), limit: 10, ..Default::default() })
            .await;
    assert_eq!(corrections.len(), 2);
    assert_eq!(corrections[0].summary, "Corrected a check: Choice was not offered either.");
    assert_eq!(corrections[0].author, callum());
}

async fn changing_what_scores_mean_makes_a_new_theme_version_and_checks_keep_theirs(db: TestDatabase) {
    let first = accepted_check(&db).await;
    db.storage.record_check(&first, "tablet-1", &callum()).await.unwrap();
    let theme = db.storage.organisation.themes().await.unwrap().remove(0);
    assert_eq!(theme.version, 1);
    let as_new = |theme: &recheck_app::domain::theme::PracticeTheme, name_text: &str| NewTheme {
        id: theme.id,
        name: name(name_text),
        expected_standard: long(&theme.expected_standard),
        kind: theme.kind,
        criteria: theme
            .criteria
            .iter()
            .map(|c| NewCriterion {
                id: c.id,
                title: name(&c.title),
                descriptors: c.descriptors.each_ref().map(|d| long(d)),
            })
            .collect(),
        quality_statements: theme.quality_statements.clone(),
    };
    let renamed = db.storage.update_theme(as_new(&theme, "Respectful care"), &admin()).await.unwrap();
    assert_eq!(renamed.version, 1, "a new name is not a new version");

    let mut reworded = as_new(&theme, "Respectful care");
    reworded.criteria[0].descriptors[2] = long("Unhurried, and waits for an answer.");
    reworded.criteria.remove(3);
    let removed = theme.criteria[3].id;
    let second = db.storage.update_theme(reworded, &admin()).await.unwrap();
    assert_eq!(second.version, 2);
    let versions = db.storage.organisation.theme_versions(Some(theme.id)).await.unwrap();
    assert_eq!(versions.iter().map(|v| v.version).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(versions[1].made_by, admin().name);
    assert_eq!(versions[0].criteria, theme.criteria, "version 1 reads as it did");
    assert_eq!(db.storage.organisation.themes().await.unwrap()[0], second);

    let kept = db.storage.checks.check(first.check.id).await.unwrap().unwrap();
    assert_eq!(kept.rated_against_version, 1);
    let criteria = rated_criteria(&kept, &versions).unwrap();
    assert!(criteria.iter().any(|c| c.id == removed), "a removed criterion stays on the checks that rated it");
    assert_eq!(criteria[0].descriptors[2], theme.criteria[0].descriptors[2]);

    let events = audit(&db, AuditFilter { subject_id: Some(theme.id), limit: 10, ..Default::default() }).await;
    assert_eq!(events[0].summary, "Changed the practice theme “Respectful care” (version 2)");
}

async fn a_criterion_cannot_move_to_another_theme(db: TestDatabase) {
    let themes = db.storage.organisation.themes().await.unwrap();
    let mut borrowing = mealtimes_theme("Mealtimes");
    borrowing.criteria[0].id = themes[1].criteria[0].id;
    let error = db.storage.add_theme(borrowing, &admin()).await.unwrap_err();
    assert!(matches!(&error, StorageError::Conflict(m) if m == "A criterion belongs to another theme."), "{error:?}");
    assert_eq!(db.storage.organisation.themes().await.unwrap().len(), 3, "nothing half saved");
}

/// Each change reads its "before" inside its own transaction: changes made at once, from two
/// server instances, leave a trail in which every "before" is the "after" of the change it
/// followed.
async fn concurrent_changes_each_record_the_state_they_replaced(db: TestDatabase) {
    let home = db
        .storage
        .add_service(NewService::new(name("Larch House"), ShiftPattern::care_home_default()), &admin())
        .await
        .unwrap();
    let second_instance = db.reopen().await;
    let renames = (0..8).map(|n| {
        let storage = if n % 2 == 0 { db.storage.clone() } else { second_instance.clone() };
        let service = NewService {
            id: home.id,
            name: name(&format!("Larch House {n}")),
            ..NewService::new(name("x"), ShiftPattern::care_home_default())
        };
        tokio::spawn(async move { storage.update_service(service, &admin()).await.unwrap() })
    });
    for rename in renames.collect::<Vec<_>>() {
        rename.await.unwrap();
    }
    let events =
        audit(&db, AuditFilter { action_prefix: Some("service.updated".into()), limit: 20, ..Default::default() })
            .await;
    let mut befores: Vec<String> =
        events.iter().map(|e| e.before.as_ref().unwrap()["name"].as_str().unwrap().to_owned()).collect();
    let mut afters: Vec<String> =
        events.iter().map(|e| e.after.as_ref().unwrap()["name"].as_str().unwrap().to_owned()).collect();
    let last = db.storage.organisation.services().await.unwrap().remove(0).name;
    befores.sort();
    afters.retain(|after| *after != last);
    afters.push("Larch House".to_owned());
    afters.sort();
    assert_eq!(befores, afters, "each before is the after of another change, or the first name, once");
}

async fn a_check_naming_an_unknown_staff_member_is_not_kept(db: TestDatabase) {
    let mut accepted = accepted_check(&db).await;
    accepted.check.staff_id = Uuid::now_v7();
    let result = db.storage.record_check(&accepted, "tablet-1", &callum()).await;
    assert!(matches!(result, Err(StorageError::NotFound)), "{result:?}");
    assert!(db.storage.checks.checks(&CheckFilter { limit: 10, ..Default::default() }).await.unwrap().is_empty());
}

/// A cycle about `staff` at `service` on `theme`, opened today by the admin.
fn new_cycle(service: Uuid, theme: Uuid, staff: Vec<Uuid>) -> Cycle {
    Cycle {
        id: Uuid::now_v7(),
        service_id: service,
        theme_id: theme,
        theme_version: 1,
        staff_ids: staff,
        group_name: None,
        opened_by: admin(),
        opened_at_ms: 1_795_701_900_000,
        opened_on: CalendarDate::parse("2026-11-26").unwrap(),
        concern: "Hurried prompts".into(),
        examples: "No choice of clothes offered".into(),
        sources: vec![],
        standard: None,
        rule: SustainmentRule::default(),
        actions: vec![],
        reviews: vec![],
        amendments: vec![],
        closed_on: None,
    }
}

async fn a_cycle_is_kept_whole_and_listed_by_what_it_is_about(db: TestDatabase) {
    let check = accepted_check(&db).await;
    let (service, theme, adam) = (check.check.service_id, check.check.theme_id, check.check.staff_id);
    let other_theme = db.storage.organisation.themes().await.unwrap().remove(1).id;
    let bea = db.storage.add_staff_members(vec![staff("Bea Cole", None, &[service])], &admin()).await.unwrap()[0].id;
    let mut about_adam = new_cycle(service, theme, vec![adam]);
    about_adam.sources.push(SourceEvidence {
        kind: SourceKind::Feedback,
        check_id: None,
        date: CalendarDate::parse("2026-11-20").unwrap(),
        description: "A relative said mornings felt rushed".into(),
    });
    db.storage.open_cycle(&about_adam, &admin()).await.unwrap();
    let group = Cycle { group_name: Some("Day staff".into()), ..new_cycle(service, other_theme, vec![adam, bea]) };
    db.storage.open_cycle(&group, &admin()).await.unwrap();
    assert_eq!(db.storage.cycles.cycle(about_adam.id).await.unwrap(), Some(about_adam.clone()));
    let ids = |cycles: Vec<Cycle>| cycles.into_iter().map(|cycle| cycle.id).collect::<Vec<_>>();
    let all = CycleFilter::default();
    assert_eq!(ids(db.storage.cycles.cycles(&all).await.unwrap()), [group.id, about_adam.id], "newest first");
    let of_bea = CycleFilter { staff_id: Some(bea), ..Default::default() };
    assert_eq!(ids(db.storage.cycles.cycles(&of_bea).await.unwrap()), [group.id]);
    let on_theme = CycleFilter { theme_id: Some(theme), ..Default::default() };
    assert_eq!(ids(db.storage.cycles.cycles(&on_theme).await.unwrap()), [about_adam.id]);
    let elsewhere = CycleFilter { service_ids: Some(vec![Uuid::now_v7()]), ..Default::default() };
    assert!(db.storage.cycles.cycles(&elsewhere).await.unwrap().is_empty());
    let none = CycleFilter { service_ids: Some(vec![]), ..Default::default() };
    assert!(db.storage.cycles.cycles(&none).await.unwrap().is_empty());
    let opened = audit(&db, AuditFilter { subject_id: Some(about_adam.id), limit: 5, ..Default::default() }).await;
    assert_eq!(opened[0].action, "cycle.opened");
}

async fn a_second_open_cycle_for_the_same_staff_and_theme_is_refused_even_at_once(db: TestDatabase) {
    let check = accepted_check(&db).await;
    let (service, theme, adam) = (check.check.service_id, check.check.theme_id, check.check.staff_id);
    let second_instance = db.reopen().await;
    let attempts = (0..6).map(|n| {
        let storage = if n % 2 == 0 { db.storage.clone() } else { second_instance.clone() };
        let cycle = new_cycle(service, theme, vec![adam]);
        tokio::spawn(async move { storage.open_cycle(&cycle, &admin()).await })
    });
    let mut opened = 0;
    for attempt in attempts.collect::<Vec<_>>() {
        match attempt.await.unwrap() {
            Ok(()) => opened += 1,
            Err(StorageError::Conflict(message)) => assert!(message.contains("already has an open cycle"), "{message}"),
            Err(other) => panic!("{other:?}"),
        }
    }
    assert_eq!(opened, 1);
    let open = CycleFilter { open: Some(true), ..Default::default() };
    let cycles = db.storage.cycles.cycles(&open).await.unwrap();
    assert_eq!(cycles.len(), 1);
    // Once it is closed, a new cycle may begin.
    db.storage
        .change_cycle(cycles[0].id, &admin(), "cycle.reviewed", "Closed", |cycle: &mut Cycle| {
            cycle.closed_on = Some(CalendarDate::parse("2026-12-01").unwrap());
            Ok::<_, StorageError>(())
        })
        .await
        .unwrap();
    db.storage.open_cycle(&new_cycle(service, theme, vec![adam]), &admin()).await.unwrap();
    let closed = CycleFilter { open: Some(false), ..Default::default() };
    assert_eq!(db.storage.cycles.cycles(&closed).await.unwrap().len(), 1);
    // Reopening the first now would make two open cycles: refused, and nothing changes.
    let reopened = db
        .storage
        .change_cycle(cycles[0].id, &admin(), "cycle.reopened", "Reopened", |cycle: &mut Cycle| {
            cycle.closed_on = None;
            Ok::<_, StorageError>(())
        })
        .await;
    assert!(
        matches!(&reopened, Err(StorageError::Conflict(why)) if why.contains("already has an open cycle")),
        "{reopened:?}"
    );
    assert_eq!(
        db.storage.cycles.cycle(cycles[0].id).await.unwrap().unwrap().closed_on.map(|d| d.to_string()).as_deref(),
        Some("2026-12-01")
    );
}

async fn a_cycle_change_is_kept_with_its_before_and_after_or_not_at_all(db: TestDatabase) {
    let check = accepted_check(&db).await;
    let cycle = new_cycle(check.check.service_id, check.check.theme_id, vec![check.check.staff_id]);
    db.storage.open_cycle(&cycle, &admin()).await.unwrap();
    let refused = db
        .storage
        .change_cycle(cycle.id, &admin(), "cycle.standard_set", "Set", |cycle: &mut Cycle| {
            cycle.concern = "changed".into();
            Err(StorageError::Conflict("refused".into()))
        })
        .await;
    assert!(refused.is_err());
    assert_eq!(db.storage.cycles.cycle(cycle.id).await.unwrap().unwrap().concern, "Hurried prompts");
    let changed = db
        .storage
        .change_cycle(cycle.id, &admin(), "cycle.action_recorded", "Recorded an action", |cycle: &mut Cycle| {
            cycle.examples = "More examples".into();
            Ok::<_, StorageError>(())
        })
        .await
        .unwrap();
    assert_eq!(db.storage.cycles.cycle(cycle.id).await.unwrap(), Some(changed));
    let events = audit(&db, AuditFilter { subject_id: Some(cycle.id), limit: 5, ..Default::default() }).await;
    assert_eq!(events.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["cycle.action_recorded", "cycle.opened"]);
    assert_eq!(events[0].before.as_ref().unwrap()["examples"], "No choice of clothes offered");
    assert_eq!(events[0].after.as_ref().unwrap()["examples"], "More examples");
    let missing =
        db.storage.change_cycle(Uuid::now_v7(), &admin(), "x", "x", |_: &mut Cycle| Ok::<_, StorageError>(())).await;
    assert!(matches!(missing, Err(StorageError::NotFound)));
}

async fn a_services_sustainment_rule_defaults_until_it_is_set(db: TestDatabase) {
    let check = accepted_check(&db).await;
    let service = check.check.service_id;
    assert_eq!(db.storage.cycles.sustainment_rule(service).await.unwrap(), SustainmentRule::default());
    let stricter = SustainmentRule { min_rechecks: 4, min_days: 42, ..Default::default() };
    db.storage.set_sustainment_rule(service, &stricter, &admin()).await.unwrap();
    assert_eq!(db.storage.cycles.sustainment_rule(service).await.unwrap(), stricter);
    let strictest = SustainmentRule { min_unannounced: 2, ..stricter.clone() };
    db.storage.set_sustainment_rule(service, &strictest, &admin()).await.unwrap();
    assert_eq!(db.storage.cycles.sustainment_rule(service).await.unwrap(), strictest);
    let events =
        audit(&db, AuditFilter { action_prefix: Some("service.rule_changed".into()), limit: 5, ..Default::default() })
            .await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].before.as_ref().unwrap()["min_unannounced"], 1);
    assert_eq!(events[0].after.as_ref().unwrap()["min_unannounced"], 2);
    let unknown = db.storage.set_sustainment_rule(Uuid::now_v7(), &stricter, &admin()).await;
    assert!(unknown.is_err(), "no rule for a service that does not exist");
}

async fn a_warning_decision_is_kept_by_key_replaced_whole_and_audited(db: TestDatabase) {
    use recheck_app::domain::warning::{Decision, WarningDecision, WarningKind};
    let service = db
        .storage
        .add_service(NewService::new(name("Larch House"), ShiftPattern::care_home_default()), &admin())
        .await
        .unwrap()
        .id;
    let decision = |decision, note: &str| WarningDecision {
        key: "repeated_weak:a:b:c".into(),
        service_id: service,
        kind: WarningKind::RepeatedWeak,
        decision,
        note: note.into(),
        decided_by: admin(),
        decided_at_ms: 1_000,
    };
    let seen = decision(Decision::Acknowledged, "Supervision booked for Friday.");
    db.storage.decide_warning(&seen, "Acknowledged a warning").await.unwrap();
    assert_eq!(db.storage.warnings.warning_decisions(&[service]).await.unwrap(), std::slice::from_ref(&seen));
    let dismissed = decision(Decision::Dismissed, "Both checks were of one shadowing shift.");
    db.storage.decide_warning(&dismissed, "Dismissed a warning").await.unwrap();
    assert_eq!(
        db.storage.warnings.warning_decisions(&[service]).await.unwrap(),
        std::slice::from_ref(&dismissed),
        "one per key"
    );
    assert!(db.storage.warnings.warning_decisions(&[Uuid::now_v7()]).await.unwrap().is_empty());
    assert!(db.storage.warnings.warning_decisions(&[]).await.unwrap().is_empty());
    let events =
        audit(&db, AuditFilter { action_prefix: Some("warning".into()), limit: 10, ..Default::default() }).await;
    assert_eq!(
        events.iter().map(|event| event.action.as_str()).collect::<Vec<_>>(),
        ["warning.dismissed", "warning.acknowledged"]
    );
    assert!(events[0].before.as_ref().is_some_and(|before| before.to_string().contains("Supervision booked")));
}

async fn a_device_report_is_kept_per_device_and_person_replaced_and_listed_while_it_holds_checks(db: TestDatabase) {
    use recheck_app::domain::outbox::{DeviceReport, HeldChecks};
    let callum = db
        .storage
        .add_user(
            new_user("callum@example.org", "Callum Reid", vec![Role::QualityLead], vec![]),
            &hashed("x"),
            &admin(),
        )
        .await
        .unwrap()
        .id;
    let bethan = db
        .storage
        .add_user(
            new_user("bethan@example.org", "Bethan Pryce", vec![Role::ProviderAdmin], vec![]),
            &hashed("x"),
            &admin(),
        )
        .await
        .unwrap()
        .id;
    let holding =
        |unsent, refused, oldest| HeldChecks { unsent, waiting: 1, refused, oldest_saved_at_ms: Some(oldest) };
    let report = |device: &str, user, held, at| DeviceReport {
        device_id: device.into(),
        user_id: user,
        reported_at_ms: at,
        held,
    };
    let tablet = report("tablet", callum, holding(2, 1, 500), 1_000);
    let phone = report("phone", callum, holding(0, 0, 300), 1_100);
    let shared = report("tablet", bethan, HeldChecks::default(), 1_200);
    for kept in [&tablet, &phone, &shared] {
        db.storage.devices.save_device_report(kept).await.unwrap();
    }
    assert_eq!(
        db.storage.devices.holding_devices(&[callum, bethan]).await.unwrap(),
        [phone.clone(), tablet.clone()],
        "oldest held first; nothing held is not listed"
    );
    assert!(db.storage.devices.holding_devices(&[bethan]).await.unwrap().is_empty());
    assert!(db.storage.devices.holding_devices(&[]).await.unwrap().is_empty());
    // The tablet reaches the server again with everything sent: its report takes the old one's place.
    let emptied = report("tablet", callum, HeldChecks::default(), 2_000);
    db.storage.devices.save_device_report(&emptied).await.unwrap();
    assert_eq!(db.storage.devices.holding_devices(&[callum]).await.unwrap(), [phone]);
    let unknown = report("tablet", Uuid::now_v7(), holding(1, 0, 1), 1);
    assert!(
        matches!(db.storage.devices.save_device_report(&unknown).await, Err(StorageError::NotFound)),
        "only a user's device"
    );
}

async fn a_services_review_cadence_follows_the_article_until_its_manager_changes_it(db: TestDatabase) {
    use recheck_app::domain::review::{Cadence, Frequency, ReviewKind};
    let larch = db
        .storage
        .add_service(NewService::new(name("Larch House"), ShiftPattern::care_home_default()), &admin())
        .await
        .unwrap()
        .id;
    // A new service starts on the article's cadence from the day it is added.
    let today = recheck_app::domain::check::date_in_zone("Europe/London", db.storage.now_ms());
    let mut started = db.storage.reviews.review_cadences(&[larch]).await.unwrap();
    started.sort_by_key(|cadence| cadence.kind);
    assert_eq!(started, Cadence::from_day(larch, today));
    let daily = Cadence {
        service_id: larch,
        kind: ReviewKind::ShiftRecords,
        frequency: Frequency::Daily,
        since: CalendarDate::parse("2026-12-03"),
    };
    db.storage.set_review_cadences(std::slice::from_ref(&daily), &admin()).await.unwrap();
    let not_held = Cadence { frequency: Frequency::NotHeld, ..daily.clone() };
    let monthly_audit = Cadence { kind: ReviewKind::AuditFindings, frequency: Frequency::Monthly, ..daily.clone() };
    db.storage.set_review_cadences(&[not_held.clone(), monthly_audit.clone()], &admin()).await.unwrap();
    let mut kept = db.storage.reviews.review_cadences(&[larch]).await.unwrap();
    kept.sort_by_key(|cadence| cadence.kind);
    let mut expected = started.clone();
    expected[0] = not_held.clone();
    expected[2] = monthly_audit;
    assert_eq!(kept, expected, "one per kind, the others as the service started");
    assert!(db.storage.reviews.review_cadences(&[]).await.unwrap().is_empty());
    let events = audit(
        &db,
        AuditFilter { action_prefix: Some("review.cadence_changed".into()), limit: 5, ..Default::default() },
    )
    .await;
    assert_eq!(events.len(), 3);
    let replaced = |kind: &str, frequency: &str| {
        events.iter().any(|event| {
            let (before, after) = (event.before.as_ref().unwrap(), event.after.as_ref().unwrap());
            after["kind"] == kind && before["frequency"] == frequency
        })
    };
    assert!(replaced("shift-records", "each-shift"), "the article's was replaced first");
    assert!(replaced("shift-records", "daily"));
    assert!(replaced("audit-findings", "weekly"));
    // A change that cannot be kept leaves the others unkept too.
    let unknown = Cadence { service_id: Uuid::now_v7(), ..daily.clone() };
    let weekly = Cadence { frequency: Frequency::Weekly, ..daily };
    assert!(db.storage.set_review_cadences(&[weekly, unknown], &admin()).await.is_err(), "only a service's cadence");
    let events = audit(&db, AuditFilter { action_prefix: Some("review".into()), limit: 9, ..Default::default() }).await;
    assert_eq!(events.len(), 3);
    let kept = db.storage.reviews.review_cadences(&[larch]).await.unwrap();
    let records = kept.iter().find(|cadence| cadence.kind == ReviewKind::ShiftRecords).unwrap();
    assert_eq!(records.frequency, Frequency::NotHeld, "the refused change left nothing behind");
}

async fn a_review_is_kept_whole_listed_newest_first_and_marks_its_period_done(db: TestDatabase) {
    use recheck_app::domain::check::wall_time_in_zone;
    use recheck_app::domain::review::{Cadence, Review, ReviewKind, ReviewPeriod};
    use recheck_app::storage::{ReviewCursor, ReviewFilter, review_statuses};
    let service = db
        .storage
        .add_service(NewService::new(name("Larch House"), ShiftPattern::care_home_default()), &admin())
        .await
        .unwrap();
    let now = db.storage.now_ms();
    let wall = wall_time_in_zone(&service.time_zone, now);
    let this_week =
        ReviewPeriod::at(ReviewKind::WeeklyPractice.default_frequency(), &service.shift_pattern, wall).unwrap();
    let last_week = this_week.previous(&service.shift_pattern);
    let review = |kind, period: ReviewPeriod, minutes: i64| Review {
        id: Uuid::now_v7(),
        service_id: service.id,
        kind,
        period: period.code(),
        recorded_by: admin(),
        recorded_at_ms: now + minutes * 60_000,
        looked_at: "The week's 14 checks.".into(),
        findings: "Two weak checks on mealtimes, both late shift.".into(),
        actions_taken: "Briefing at Monday's handover.".into(),
        check_ids: vec![Uuid::now_v7()],
        theme_ids: vec![Uuid::now_v7()],
    };
    // Weekly reviews have been due here for two months.
    let since = recheck_app::domain::check::date_in_zone(&service.time_zone, now - 60 * 86_400_000);
    let long_since = Cadence { since: Some(since), ..Cadence::default_for(service.id, ReviewKind::WeeklyPractice) };
    db.storage.set_review_cadences(&[long_since], &admin()).await.unwrap();
    let weekly = review(ReviewKind::WeeklyPractice, last_week, 0);
    let audit_review = review(ReviewKind::AuditFindings, this_week, 1);
    for kept in [&weekly, &audit_review] {
        db.storage.record_review(kept, "Recorded a review").await.unwrap();
    }
    assert_eq!(db.storage.reviews.review(weekly.id).await.unwrap().as_ref(), Some(&weekly));
    assert_eq!(db.storage.reviews.review(Uuid::now_v7()).await.unwrap(), None);
    let all = ReviewFilter { service_ids: Some(vec![service.id]), limit: 10, ..Default::default() };
    assert_eq!(db.storage.reviews.reviews(&all).await.unwrap(), [audit_review.clone(), weekly.clone()]);
    let practice = ReviewFilter { kinds: Some(vec![ReviewKind::WeeklyPractice]), ..all.clone() };
    assert_eq!(db.storage.reviews.reviews(&practice).await.unwrap(), std::slice::from_ref(&weekly));
    let both = ReviewFilter { kinds: Some(vec![ReviewKind::WeeklyPractice, ReviewKind::AuditFindings]), ..all.clone() };
    assert_eq!(db.storage.reviews.reviews(&both).await.unwrap().len(), 2);
    let none = ReviewFilter { kinds: Some(vec![]), ..all.clone() };
    assert!(db.storage.reviews.reviews(&none).await.unwrap().is_empty());
    let later = ReviewFilter { recorded_from_ms: Some(now + 30_000), ..all.clone() };
    assert_eq!(db.storage.reviews.reviews(&later).await.unwrap(), std::slice::from_ref(&audit_review));
    let elsewhere = ReviewFilter { service_ids: Some(vec![Uuid::now_v7()]), ..all.clone() };
    assert!(db.storage.reviews.reviews(&elsewhere).await.unwrap().is_empty());
    assert_eq!(db.storage.reviews.reviews(&ReviewFilter { limit: 1, ..Default::default() }).await.unwrap().len(), 1);
    let next = ReviewFilter { after: Some(ReviewCursor::of(&audit_review)), ..all.clone() };
    assert_eq!(
        db.storage.reviews.reviews(&next).await.unwrap(),
        std::slice::from_ref(&weekly),
        "the page after the newest"
    );
    let past_the_end = ReviewFilter { after: Some(ReviewCursor::of(&weekly)), ..all.clone() };
    assert!(db.storage.reviews.reviews(&past_the_end).await.unwrap().is_empty());

    let statuses = review_statuses(&db.storage, std::slice::from_ref(&service)).await.unwrap();
    let status = |kind| statuses[0].statuses.iter().find(|status| status.cadence.kind == kind).unwrap().clone();
    let practice = status(ReviewKind::WeeklyPractice);
    assert_eq!(practice.current, Some(this_week));
    assert!(!practice.current_done);
    assert!(!practice.overdue.contains(&last_week), "last week's was recorded late, and counts");
    assert!(practice.overdue.contains(&last_week.previous(&service.shift_pattern)), "the week before was missed");
    assert!(status(ReviewKind::AuditFindings).current_done);
    let events =
        audit(&db, AuditFilter { action_prefix: Some("review.recorded".into()), limit: 5, ..Default::default() }).await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].after.as_ref().unwrap()["findings"], audit_review.findings.as_str());
    let orphan = Review { id: Uuid::now_v7(), service_id: Uuid::now_v7(), ..weekly };
    assert!(db.storage.record_review(&orphan, "x").await.is_err(), "only a service's review");
}

async fn the_daily_email_keeps_each_persons_last_and_one_instance_holds_the_lease(db: TestDatabase) {
    use recheck_app::domain::digest::DigestRecord;
    let rachel = db
        .storage
        .add_user(
            new_user("rachel@example.org", "Rachel Ingram", vec![Role::QualityLead], vec![]),
            &hashed("x"),
            &admin(),
        )
        .await
        .unwrap()
        .id;
    assert_eq!(db.storage.digests.last_digest(rachel).await.unwrap(), None);
    let sent = |on: &str, keys: &[&str]| DigestRecord {
        user_id: rachel,
        sent_on: CalendarDate::parse(on).unwrap(),
        warning_keys: keys.iter().map(|key| key.to_string()).collect(),
    };
    db.storage.digests.save_digest(&sent("2026-12-02", &["a", "b"])).await.unwrap();
    db.storage.digests.save_digest(&sent("2026-12-03", &["b"])).await.unwrap();
    assert_eq!(db.storage.digests.last_digest(rachel).await.unwrap(), Some(sent("2026-12-03", &["b"])));
    let nobody = DigestRecord { user_id: Uuid::now_v7(), ..sent("2026-12-03", &[]) };
    assert!(db.storage.digests.save_digest(&nobody).await.is_err(), "only a user's");

    let leases = &db.storage.digests;
    assert!(leases.take_lease("daily-email", "instance a", 1_000, 2_000).await.unwrap());
    assert!(!leases.take_lease("daily-email", "instance b", 1_500, 2_500).await.unwrap(), "held by a");
    assert!(leases.take_lease("daily-email", "instance a", 1_900, 2_900).await.unwrap(), "a renews its own");
    assert!(leases.take_lease("purge", "instance b", 1_900, 2_900).await.unwrap(), "another lease is free");
    assert!(!leases.take_lease("daily-email", "instance b", 2_899, 3_899).await.unwrap());
    assert!(leases.take_lease("daily-email", "instance b", 2_900, 3_900).await.unwrap(), "once a's has lapsed");
    assert!(!leases.take_lease("daily-email", "instance a", 3_000, 4_000).await.unwrap());
    // Taken at once by two instances, one of them has it.
    let (first, second) = tokio::join!(
        leases.take_lease("race", "instance a", 5_000, 6_000),
        leases.take_lease("race", "instance b", 5_000, 6_000)
    );
    assert!(first.unwrap() ^ second.unwrap());
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
    users_keep_their_roles_and_services_and_sign_in_by_email,
    an_email_belongs_to_one_user_only,
    a_user_in_an_unknown_service_is_not_half_saved,
    sessions_are_created_once_saved_loaded_until_they_lapse_and_deleted,
    login_attempts_are_counted_before_they_are_judged_per_rule_within_its_window,
    lapsed_sessions_and_old_failed_sign_ins_are_purged_and_nothing_else,
    every_change_is_in_the_audit_trail_newest_first_and_filterable,
    renaming_the_organisation_records_before_and_after,
    a_service_can_be_renamed_and_given_a_new_pattern_with_before_and_after_recorded,
    a_leaver_keeps_their_record_and_staff_can_move_services,
    an_edited_theme_keeps_its_criteria_ids_and_order,
    users_can_be_changed_disabled_and_given_passwords,
    a_check_is_kept_once_however_often_it_is_sent,
    checks_are_listed_newest_first_and_filtered,
    a_check_naming_an_unknown_staff_member_is_not_kept,
    pages_of_checks_follow_on_from_the_last_check_and_end_empty,
    a_check_keeps_its_ratings_as_rows_its_calendar_and_what_they_say,
    a_correction_takes_the_place_of_the_check_it_corrects_everywhere_it_counts,
    changing_what_scores_mean_makes_a_new_theme_version_and_checks_keep_theirs,
    a_criterion_cannot_move_to_another_theme,
    concurrent_changes_each_record_the_state_they_replaced,
    a_cycle_is_kept_whole_and_listed_by_what_it_is_about,
    a_second_open_cycle_for_the_same_staff_and_theme_is_refused_even_at_once,
    a_cycle_change_is_kept_with_its_before_and_after_or_not_at_all,
    a_services_sustainment_rule_defaults_until_it_is_set,
    a_warning_decision_is_kept_by_key_replaced_whole_and_audited,
    a_device_report_is_kept_per_device_and_person_replaced_and_listed_while_it_holds_checks,
    a_services_review_cadence_follows_the_article_until_its_manager_changes_it,
    a_review_is_kept_whole_listed_newest_first_and_marks_its_period_done,
    the_daily_email_keeps_each_persons_last_and_one_instance_holds_the_lease,
);
