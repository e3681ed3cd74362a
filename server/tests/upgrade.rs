//! Upgrading a database the previous release made, with realistic rows in it: checks, a
//! correction and a theme edited after it was used. Nothing a user saw may be lost, and an
//! upgrade that fails at any step leaves the database exactly as it was.

mod support;

use recheck_app::domain::check::{
    Amendment, Assessment, CheckDetails, CheckFilter, Rating, SubmittedCheck, rated_criteria,
};
use recheck_app::domain::shift::ShiftPattern;
use recheck_app::storage::{Period, SharedStorage, Storage, ThrottleRule, TrendQuery};
use recheck_server::sessions::SessionSettings;
use recheck_server::storage::{POSTGRES_MIGRATIONS, PostgresStorage, SQLITE_MIGRATIONS, SqliteStorage, prepare};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::types::Json;
use std::borrow::Cow;
use std::sync::Arc;
use support::{postgres_schema, postgres_url, sqlite_location, test_clock};
use uuid::Uuid;

/// The last migration of the release before evidence-grade records.
const PREVIOUS_RELEASE: i64 = 20261126000005;

fn migrations_up_to(migrator: &Migrator, last: i64) -> Migrator {
    let migrations: Vec<Migration> = migrator.iter().filter(|m| m.version <= last).cloned().collect();
    Migrator { migrations: Cow::Owned(migrations), ..Migrator::DEFAULT }
}

/// This release's migrations, then one that fails halfway through its SQL.
fn migrations_with_a_failing_step(migrator: &Migrator) -> Migrator {
    let mut migrations: Vec<Migration> = migrator.iter().cloned().collect();
    migrations.push(Migration::new(
        29991231000000,
        Cow::Borrowed("a step that fails"),
        MigrationType::Simple,
        Cow::Borrowed("CREATE TABLE half_done (id INTEGER); SELECT * FROM no_such_table;"),
        false,
    ));
    Migrator { migrations: Cow::Owned(migrations), ..Migrator::DEFAULT }
}

/// What the previous release kept, written with its own statements.
struct Previous {
    service: Uuid,
    theme: Uuid,
    /// The theme's criteria after its last edit; the first was removed by that edit.
    removed_criterion: Uuid,
    kept_criteria: [Uuid; 2],
    night_check: Uuid,
    summer_check: Uuid,
    corrected: Uuid,
    correction: Uuid,
}

fn check(previous: &Previous, id: Uuid, observed_at: &str, scores: &[(Uuid, Option<u8>)]) -> SubmittedCheck {
    SubmittedCheck {
        id,
        service_id: previous.service,
        staff_id: Uuid::from_u128(0x51),
        theme_id: previous.theme,
        observed_at: observed_at.to_owned(),
        announced: false,
        shift: None,
        weekend: None,
        ratings: scores
            .iter()
            .map(|(criterion_id, score)| Rating { criterion_id: *criterion_id, score: *score })
            .collect(),
        details: CheckDetails::Observation {
            examples: "Explained each step; offered a choice of clothes.".into(),
            person_response: "Relaxed and chatty.".into(),
            feedback_given: true,
            feedback: "Praised the pace.".into(),
        },
        amends: None,
        theme_version: None,
    }
}

/// A check as the previous release kept it: the check, when it was observed, its shift, whether at
/// a weekend, and when it was received.
type PreviousCheck = (SubmittedCheck, i64, &'static str, bool, i64);

fn previous_release_rows() -> (Previous, Vec<PreviousCheck>) {
    let previous = Previous {
        service: Uuid::from_u128(0x10),
        theme: Uuid::from_u128(0x20),
        removed_criterion: Uuid::from_u128(0x21),
        kept_criteria: [Uuid::from_u128(0x22), Uuid::from_u128(0x23)],
        night_check: Uuid::from_u128(0x31),
        summer_check: Uuid::from_u128(0x32),
        corrected: Uuid::from_u128(0x33),
        correction: Uuid::from_u128(0x34),
    };
    let [pace, choice] = previous.kept_criteria;
    // Friday 27 November 2026, 22:30 GMT: a weak night check.
    let mut night =
        check(&previous, previous.night_check, "2026-11-27T22:30:00+00:00", &[(pace, Some(2)), (choice, Some(3))]);
    night.announced = true;
    // 23:30 UTC on 30 June 2026 is 00:30 on 1 July in London: the service's day is the 1st.
    // Rated before the theme was edited, against a criterion since removed.
    let summer = check(
        &previous,
        previous.summer_check,
        "2026-06-30T23:30:00+00:00",
        &[(previous.removed_criterion, Some(4)), (pace, Some(3))],
    );
    let corrected =
        check(&previous, previous.corrected, "2026-11-25T10:00:00+00:00", &[(pace, Some(4)), (choice, None)]);
    let mut correction =
        check(&previous, previous.correction, "2026-11-25T10:00:00+00:00", &[(pace, Some(1)), (choice, None)]);
    correction.amends = Some(Amendment { check_id: previous.corrected, reason: "Entered 4 for 1 by mistake.".into() });
    let rows = vec![
        (night, 1_795_818_600_000, "night", false, 1_795_819_200_000),
        (summer, 1_782_862_200_000, "night", false, 1_782_900_000_000),
        (corrected, 1_795_600_800_000, "early", false, 1_795_601_000_000),
        (correction, 1_795_600_800_000, "early", false, 1_795_602_000_000),
    ];
    (previous, rows)
}

/// Writes the rows with the previous release's statements (`$1` parameters, which both
/// backends then accepted), whatever the pool type.
macro_rules! write_previous_release {
    ($pool:expr) => {{
        let pool = $pool;
        let (previous, checks) = previous_release_rows();
        let exec = |sql: &'static str| sqlx::query(sql);
        exec("UPDATE organisation SET name = $1, default_themes_installed = TRUE WHERE id = 1")
            .bind("Meadowbank Care Group")
            .execute(pool)
            .await
            .unwrap();
        exec("INSERT INTO services (id, name, time_zone, shift_pattern) VALUES ($1, $2, $3, $4)")
            .bind(previous.service)
            .bind("Larch House")
            .bind("Europe/London")
            .bind(Json(ShiftPattern::care_home_default()))
            .execute(pool)
            .await
            .unwrap();
        exec("INSERT INTO staff_members (id, name, job_title, team) VALUES ($1, $2, $3, $4)")
            .bind(Uuid::from_u128(0x51))
            .bind("Dorota Nowak")
            .bind("Care assistant")
            .bind("Days")
            .execute(pool)
            .await
            .unwrap();
        exec("INSERT INTO staff_services (staff_id, service_id) VALUES ($1, $2)")
            .bind(Uuid::from_u128(0x51))
            .bind(previous.service)
            .execute(pool)
            .await
            .unwrap();
        exec("INSERT INTO users (id, email, name, password_hash, password_change_required, roles) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(Uuid::from_u128(0x61))
            .bind("callum.reid@meadowbank.example")
            .bind("Callum Reid")
            .bind("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")
            .bind(false)
            .bind(Json(vec!["shift-leader"]))
            .execute(pool)
            .await
            .unwrap();
        exec("INSERT INTO user_services (user_id, service_id) VALUES ($1, $2)")
            .bind(Uuid::from_u128(0x61))
            .bind(previous.service)
            .execute(pool)
            .await
            .unwrap();
        exec("INSERT INTO practice_themes (id, name, expected_standard, check_kind, quality_statements) VALUES ($1, $2, $3, $4, $5)")
            .bind(previous.theme)
            .bind("Respectful communication")
            .bind("Staff offer real choices at a pace the person sets.")
            .bind("observation")
            .bind(Json(vec!["caring.kindness_dignity"]))
            .execute(pool)
            .await
            .unwrap();
        // After the edit that removed the first criterion, the previous release kept only these.
        for (position, (id, title)) in
            [(previous.kept_criteria[0], "Pace"), (previous.kept_criteria[1], "Choice offered")].into_iter().enumerate()
        {
            exec("INSERT INTO theme_criteria (id, theme_id, position, title, descriptor_1, descriptor_2, descriptor_3, descriptor_4) \
                  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(id)
                .bind(previous.theme)
                .bind(position as i32)
                .bind(title)
                .bind("Rushed throughout")
                .bind("Rushed at times")
                .bind("Unhurried")
                .bind("Unhurried, and checks in")
                .execute(pool)
                .await
                .unwrap();
        }
        for (check, observed_at_ms, shift, weekend, received_at_ms) in &checks {
            exec("INSERT INTO checks (id, service_id, staff_id, theme_id, observer_id, observed_at_ms, shift_kind, weekend, \
                    content, device_id, received_at_ms, amends_id) \
                  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
                .bind(check.id)
                .bind(check.service_id)
                .bind(check.staff_id)
                .bind(check.theme_id)
                .bind(Uuid::from_u128(0x61))
                .bind(*observed_at_ms)
                .bind(*shift)
                .bind(*weekend)
                .bind(Json(check))
                .bind("tablet-1")
                .bind(*received_at_ms)
                .bind(check.amends.as_ref().map(|amendment| amendment.check_id))
                .execute(pool)
                .await
                .unwrap();
        }
        // Callum signed in on his tablet, and a mistyped password the hour before.
        exec("INSERT INTO sessions (id, data, expires_at_ms) VALUES ($1, $2, $3)")
            .bind("previous-release-session")
            .bind(r#"{"user_id":"00000000-0000-0000-0000-000000000061"}"#)
            .bind(4_000_000_000_000_i64)
            .execute(pool)
            .await
            .unwrap();
        exec("INSERT INTO login_failures (throttle_key, occurred_at_ms) VALUES ($1, $2)")
            .bind("account:callum.reid@meadowbank.example")
            .bind(1_795_000_000_000_i64)
            .execute(pool)
            .await
            .unwrap();
        exec("INSERT INTO audit_events (id, occurred_at_ms, author_id, author_name, action, subject_id, summary) \
              VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(Uuid::from_u128(0x71))
            .bind(1_795_000_000_000_i64)
            .bind(Option::<Uuid>::None)
            .bind("Sam Whitfield")
            .bind("theme.updated")
            .bind(previous.theme)
            .bind("Changed the practice theme “Respectful communication”")
            .execute(pool)
            .await
            .unwrap();
        previous
    }};
}

async fn nothing_was_lost(storage: SharedStorage, previous: &Previous) {
    assert_eq!(storage.organisation.details().await.unwrap().name, "Meadowbank Care Group");
    let themes = storage.organisation.themes().await.unwrap();
    assert_eq!(themes.len(), 1, "the default themes were installed before, and are not again");
    let theme = &themes[0];
    assert_eq!(
        (theme.version, theme.expected_standard.as_str()),
        (1, "Staff offer real choices at a pace the person sets.")
    );
    assert_eq!(theme.criteria.iter().map(|c| c.title.as_str()).collect::<Vec<_>>(), ["Pace", "Choice offered"]);
    assert_eq!(theme.criteria[0].descriptors[3], "Unhurried, and checks in");
    let versions = storage.organisation.theme_versions(None).await.unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].made_by, "Recheck (upgrade)");

    let night = storage.checks.check(previous.night_check).await.unwrap().unwrap();
    assert_eq!(night.calendar.local_date, "2026-11-27");
    assert_eq!(night.calendar.iso_week, "2026-W48");
    assert_eq!(night.assessment, Assessment { meets_standard: false, weak: true });
    assert_eq!(night.rated_against_version, 1);
    assert_eq!(night.received_at_ms, 1_795_819_200_000);

    let summer = storage.checks.check(previous.summer_check).await.unwrap().unwrap();
    assert_eq!((summer.calendar.local_date.as_str(), summer.calendar.month.as_str()), ("2026-07-01", "2026-07"));
    assert_eq!(summer.assessment, Assessment { meets_standard: true, weak: false });
    assert_eq!(summer.check.ratings.len(), 2, "the rating of the removed criterion stays on the check");
    let criteria = rated_criteria(&summer, &versions).unwrap();
    assert!(!criteria.iter().any(|c| c.id == previous.removed_criterion), "its wording was never kept");

    let listed: Vec<Uuid> = storage
        .checks
        .checks(&CheckFilter { limit: 10, ..Default::default() })
        .await
        .unwrap()
        .into_iter()
        .map(|kept| kept.check.id)
        .collect();
    assert_eq!(listed, [previous.night_check, previous.correction, previous.summer_check], "the correction stands");
    let corrected = storage.checks.check(previous.corrected).await.unwrap().unwrap();
    assert_eq!(corrected.superseded_by, Some(previous.correction));
    let history = storage.checks.amendments(previous.corrected).await.unwrap();
    assert_eq!(history.iter().map(|c| c.check.id).collect::<Vec<_>>(), [previous.correction]);
    let query = TrendQuery {
        service_ids: vec![previous.service],
        theme_id: previous.theme,
        period: Period::Week,
        from_ms: 0,
        to_ms: i64::MAX,
    };
    let weeks = storage.trends.standard_by_period(&query).await.unwrap();
    let counts: Vec<(&str, u32, u32, u32)> =
        weeks.iter().map(|week| (week.period.as_str(), week.checks, week.met, week.weak)).collect();
    assert_eq!(counts, [("2026-W27", 1, 1, 0), ("2026-W48", 2, 0, 2)]);
    // Counted by month too, through the index the trend migration rebuilt.
    let months =
        storage.trends.standard_by_period(&TrendQuery { period: Period::Month, ..query.clone() }).await.unwrap();
    let counts: Vec<(&str, u32, u32, u32)> =
        months.iter().map(|month| (month.period.as_str(), month.checks, month.met, month.weak)).collect();
    assert_eq!(counts, [("2026-07", 1, 1, 0), ("2026-11", 2, 0, 2)]);
    assert!(storage.warnings.warning_decisions(&[previous.service]).await.unwrap().is_empty());
    // The service starts the usual review cadence from the upgrade: nothing before it is overdue.
    let mut cadences = storage.reviews.review_cadences(&[previous.service]).await.unwrap();
    cadences.sort_by_key(|cadence| cadence.kind);
    let upgraded_on = recheck_app::domain::check::date_in_zone("UTC", storage.now_ms());
    assert_eq!(cadences, recheck_app::domain::review::Cadence::from_day(previous.service, upgraded_on));
    // Announced or not is counted from what each check said: only the night check was announced.
    let mut observed: Vec<(bool, u32, u32)> = storage
        .trends
        .standard_by_observer(&query)
        .await
        .unwrap()
        .into_iter()
        .map(|count| (count.announced, count.checks, count.met))
        .collect();
    observed.sort();
    assert_eq!(observed, [(false, 2, 1), (true, 1, 0)]);
    let trail = storage
        .audit
        .audit_events(&recheck_app::domain::audit::AuditFilter { limit: 10, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(storage.accounts.users().await.unwrap()[0].name, "Callum Reid");
    // The session is kept, not yet knowing whom it is for (it ends at its next request, being
    // undated), and the failed sign-in still counts until the housekeeping purges it.
    let session = storage.accounts.load_session("previous-release-session", 0).await.unwrap().unwrap();
    assert_eq!((session.expires_at_ms, session.user_id), (4_000_000_000_000, None));
    let callum =
        [ThrottleRule { key: "account:callum.reid@meadowbank.example".into(), limit: 1, window_ms: i64::MAX / 2 }];
    assert_eq!(storage.reserve_login_attempt(&callum, storage.now_ms()).await.unwrap(), [0]);
    let purged = storage.accounts.purge_lapsed(0, 1_795_000_000_001).await.unwrap();
    assert_eq!((purged.sessions, purged.login_failures), (0, 1));
}

/// What the readiness check of a server on `storage` answers.
async fn readiness(storage: SharedStorage) -> (reqwest::StatusCode, serde_json::Value) {
    let address = support::serve(storage, SessionSettings::default()).await;
    let answer = reqwest::get(format!("http://{address}/readyz")).await.unwrap();
    (answer.status(), answer.json().await.unwrap())
}

/// A server on a database still at the previous release's schema tells the load balancer so.
async fn not_ready_before_migrating(backend: impl recheck_app::storage::Backend + 'static) {
    let (status, body) = readiness(Arc::new(Storage::new(backend, test_clock()))).await;
    assert_eq!(status, reqwest::StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["reason"], "The database holds an earlier release's schema: run `recheck migrate`.");
}

async fn ready_once_migrated(storage: &SharedStorage) {
    assert_eq!(readiness(storage.clone()).await, (reqwest::StatusCode::OK, serde_json::json!({ "status": "ready" })));
}

#[tokio::test]
async fn an_sqlite_database_from_the_previous_release_upgrades_with_nothing_lost() {
    let (_folder, url) = sqlite_location();
    let previous_release = migrations_up_to(&SQLITE_MIGRATIONS, PREVIOUS_RELEASE);
    not_ready_before_migrating(SqliteStorage::open_with_migrations(&url, &previous_release).await.unwrap()).await;
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let previous = write_previous_release!(&pool);
    pool.close().await;

    let storage = Arc::new(Storage::new(SqliteStorage::open(&url).await.expect("the upgrade succeeds"), test_clock()));
    let storage = prepare(storage, &url).await.unwrap();
    ready_once_migrated(&storage).await;
    nothing_was_lost(storage, &previous).await;
}

#[tokio::test]
async fn a_postgres_database_from_the_previous_release_upgrades_with_nothing_lost() {
    let Some(url) = postgres_url() else {
        return eprintln!("not run on PostgreSQL: {} is unset", support::POSTGRES_URL_VARIABLE);
    };
    let schema = postgres_schema(&url).await;
    let previous_release = migrations_up_to(&POSTGRES_MIGRATIONS, PREVIOUS_RELEASE);
    not_ready_before_migrating(
        PostgresStorage::open_in_schema_with_migrations(&url, &schema, &previous_release).await.unwrap(),
    )
    .await;
    let options = <sqlx::postgres::PgConnectOptions as std::str::FromStr>::from_str(&url)
        .unwrap()
        .options([("search_path", schema.as_str())]);
    let pool = sqlx::PgPool::connect_with(options).await.unwrap();
    let previous = write_previous_release!(&pool);
    pool.close().await;

    let backend = PostgresStorage::open_in_schema(&url, &schema).await.expect("the upgrade succeeds");
    let storage = prepare(Arc::new(Storage::new(backend, test_clock())), &url).await.unwrap();
    ready_once_migrated(&storage).await;
    nothing_was_lost(storage, &previous).await;
}

#[tokio::test]
async fn an_upgrade_that_fails_leaves_an_sqlite_database_as_it_was_and_names_the_step() {
    let (_folder, url) = sqlite_location();
    drop(
        SqliteStorage::open_with_migrations(&url, &migrations_up_to(&SQLITE_MIGRATIONS, PREVIOUS_RELEASE))
            .await
            .unwrap(),
    );
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    write_previous_release!(&pool);

    let failing = migrations_with_a_failing_step(&SQLITE_MIGRATIONS);
    let error = SqliteStorage::open_with_migrations(&url, &failing).await.err().expect("the upgrade fails").to_string();
    assert!(error.contains("step 29991231000000 (a step that fails) failed"), "{error}");
    assert!(error.contains("nothing was changed"), "{error}");
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(&pool).await.unwrap();
    assert_eq!(applied, 5, "not even the steps before the failing one were kept");
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE name IN ('check_ratings', 'half_done', 'theme_criteria')",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(tables, ["theme_criteria"]);
}

#[tokio::test]
async fn an_upgrade_that_fails_leaves_a_postgres_database_as_it_was_and_names_the_step() {
    let Some(url) = postgres_url() else {
        return eprintln!("not run on PostgreSQL: {} is unset", support::POSTGRES_URL_VARIABLE);
    };
    let schema = postgres_schema(&url).await;
    let previous_release = migrations_up_to(&POSTGRES_MIGRATIONS, PREVIOUS_RELEASE);
    drop(PostgresStorage::open_in_schema_with_migrations(&url, &schema, &previous_release).await.unwrap());
    let failing = migrations_with_a_failing_step(&POSTGRES_MIGRATIONS);
    let error = PostgresStorage::open_in_schema_with_migrations(&url, &schema, &failing)
        .await
        .err()
        .expect("the upgrade fails")
        .to_string();
    assert!(error.contains("step 29991231000000 (a step that fails) failed"), "{error}");
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let applied: i64 =
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {schema}._sqlx_migrations")).fetch_one(&pool).await.unwrap();
    assert_eq!(applied, 5);
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::TEXT FROM information_schema.tables WHERE table_schema = $1 \
         AND table_name IN ('check_ratings', 'half_done', 'theme_criteria')",
    )
    .bind(&schema)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(tables, ["theme_criteria"]);
}
