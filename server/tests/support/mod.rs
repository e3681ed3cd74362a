//! Test helpers: a fresh database on each backend, and the real HTTP application on a random
//! port, so each test reads as a few lines of story.
#![allow(dead_code)] // Each test binary uses its own subset of these helpers.

use recheck_app::auth::own_password;
use recheck_app::domain::access::Role;
use recheck_app::domain::account::{Email, NewUser, User};
use recheck_app::domain::audit::Author;
use recheck_app::domain::clock::{Clock, ManualClock, SharedClock, SystemClock};
use recheck_app::domain::organisation::{NewService, NewStaffMember, Service, StaffMember};
use recheck_app::domain::shift::ShiftPattern;
use recheck_app::domain::text::{Name, ShortText};
use recheck_app::storage::{SharedStorage, Storage};
use recheck_server::http::{AppState, router};
use recheck_server::sessions::SessionSettings;
use recheck_server::storage::{PostgresStorage, SqliteStorage, prepare};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tempfile::TempDir;

pub const POSTGRES_URL_VARIABLE: &str = "RECHECK_TEST_POSTGRES_URL";

/// A clock that starts at the real time and stands still until the test moves it.
pub fn test_clock() -> Arc<ManualClock> {
    ManualClock::at(SystemClock.now_ms())
}

/// A storage backend for one test; keeps its temporary folder alive as long as it lives. Its
/// clock stands still until the test moves it.
pub struct TestDatabase {
    pub storage: SharedStorage,
    pub clock: Arc<ManualClock>,
    pub url: String,
    schema: Option<String>,
    _folder: Option<TempDir>,
}

impl TestDatabase {
    /// A second connection pool on the same database, as a second server instance would have.
    pub async fn reopen(&self) -> SharedStorage {
        let clock: SharedClock = self.clock.clone();
        Arc::new(match &self.schema {
            Some(schema) => Storage::new(
                PostgresStorage::open_in_schema(&self.url, schema).await.expect("PostgreSQL reopens"),
                clock,
            ),
            None => Storage::new(SqliteStorage::open(&self.url).await.expect("SQLite reopens"), clock),
        })
    }

    pub fn is_postgres(&self) -> bool {
        self.schema.is_some()
    }

    /// Every session row's data as the database keeps it, to show what a session never holds.
    #[allow(dead_code, reason = "only some test binaries look inside the session rows")]
    pub async fn session_rows(&self) -> Vec<String> {
        match &self.schema {
            Some(schema) => {
                let pool = sqlx::PgPool::connect(&self.url).await.expect("PostgreSQL answers");
                let query = format!("SELECT data FROM {schema}.sessions");
                let rows = sqlx::query_scalar(&query).fetch_all(&pool).await.expect("the sessions are read");
                pool.close().await;
                rows
            }
            None => {
                let pool = sqlx::SqlitePool::connect(&self.url).await.expect("SQLite opens");
                let rows = sqlx::query_scalar("SELECT data FROM sessions").fetch_all(&pool).await.expect("read");
                pool.close().await;
                rows
            }
        }
    }
}

/// A new SQLite file in a temporary folder, and where it is.
pub fn sqlite_location() -> (TempDir, String) {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let url = format!("sqlite://{}", folder.path().join("recheck.db").display());
    (folder, url)
}

pub async fn sqlite() -> TestDatabase {
    let (folder, url) = sqlite_location();
    let clock = test_clock();
    let storage = Storage::new(SqliteStorage::open(&url).await.expect("SQLite opens"), clock.clone());
    let storage = prepare(Arc::new(storage), &url).await.expect("SQLite is prepared");
    TestDatabase { storage, clock, url, schema: None, _folder: Some(folder) }
}

/// The URL of the PostgreSQL database tests may make schemas in, or `None` when none is set.
/// On CI (`CI` set) a missing URL fails the test, so the PostgreSQL half is never skipped there.
pub fn postgres_url() -> Option<String> {
    let url = std::env::var(POSTGRES_URL_VARIABLE).ok().filter(|url| !url.is_empty());
    if url.is_none() && std::env::var("CI").is_ok_and(|ci| !ci.is_empty() && ci != "false") {
        panic!("CI is set but {POSTGRES_URL_VARIABLE} is not: the PostgreSQL half of the tests must run on CI");
    }
    url
}

/// A new empty schema in the test PostgreSQL database, named for one test. A URL that is set but
/// does not answer fails the test.
pub async fn postgres_schema(url: &str) -> String {
    let schema = format!("test_{}", uuid::Uuid::now_v7().simple());
    let admin = sqlx::PgPool::connect(url)
        .await
        .unwrap_or_else(|error| panic!("{POSTGRES_URL_VARIABLE} is set but PostgreSQL does not answer: {error}"));
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&admin).await.expect("a test schema");
    admin.close().await;
    schema
}

/// A fresh schema in the PostgreSQL database named by `RECHECK_TEST_POSTGRES_URL`, or `None`
/// when that is unset.
pub async fn postgres() -> Option<TestDatabase> {
    let url = postgres_url()?;
    let schema = postgres_schema(&url).await;
    let clock = test_clock();
    let backend = PostgresStorage::open_in_schema(&url, &schema).await.expect("PostgreSQL opens");
    let storage = prepare(Arc::new(Storage::new(backend, clock.clone())), &url).await.expect("PostgreSQL is prepared");
    Some(TestDatabase { storage, clock, url, schema: Some(schema), _folder: None })
}

/// Long enough for a loaded machine, short enough that a hung test fails rather than stalls CI.
pub const TEST_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

/// Runs a test body against SQLite, and against PostgreSQL when it is configured.
#[macro_export]
macro_rules! on_both_backends {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $test() {
                    let database = $crate::support::sqlite().await;
                    tokio::time::timeout($crate::support::TEST_TIME_LIMIT, super::$test(database))
                        .await
                        .expect("the test finishes in time");
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $test() {
                    match $crate::support::postgres().await {
                        Some(database) => {
                            tokio::time::timeout($crate::support::TEST_TIME_LIMIT, super::$test(database))
                                .await
                                .expect("the test finishes in time")
                        }
                        None => eprintln!(
                            "not run on PostgreSQL: {} is unset",
                            $crate::support::POSTGRES_URL_VARIABLE
                        ),
                    }
                }
            )*
        }
    };
}

/// Serves the real application on a random local port, as one server instance.
pub async fn serve(storage: SharedStorage, session_settings: SessionSettings) -> SocketAddr {
    let site_root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../public");
    let leptos_options = leptos::config::LeptosOptions::builder()
        .output_name("recheck")
        .site_root(site_root.to_string_lossy().into_owned())
        .build();
    let app = router(AppState { leptos_options, storage }, session_settings)
        .into_make_service_with_connect_info::<SocketAddr>();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let address = listener.local_addr().expect("a local address");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("the test server runs") });
    address
}

/// A care assistant called `person`, working at `services`.
pub fn staff_member(person: &str, services: &[uuid::Uuid]) -> NewStaffMember {
    NewStaffMember::new(
        Name::parse("Name", person).unwrap(),
        ShortText::parse("Job title", "Care assistant").unwrap(),
        None,
        services.to_vec(),
    )
}

/// The real application serving HTTP on a random local port.
pub struct TestApp {
    pub address: SocketAddr,
    pub client: reqwest::Client,
    pub database: TestDatabase,
}

pub const PASSWORD: &str = "kettle otter lamp";

impl TestApp {
    pub async fn spawn(database: TestDatabase) -> TestApp {
        TestApp::spawn_with(database, SessionSettings::default()).await
    }

    pub async fn spawn_with(database: TestDatabase, session_settings: SessionSettings) -> TestApp {
        let address = serve(database.storage.clone(), session_settings).await;
        TestApp { address, client: TestApp::new_client(), database }
    }

    /// A browser-like client: keeps cookies, does not follow redirects.
    pub fn new_client() -> reqwest::Client {
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap()
    }

    pub async fn add_service(&self, name: &str) -> Service {
        let service = NewService::new(Name::parse("Name", name).unwrap(), ShiftPattern::care_home_default());
        self.database.storage.add_service(service, &Author::system("test")).await.unwrap()
    }

    pub async fn add_staff(&self, person: &str, services: &[uuid::Uuid]) -> StaffMember {
        let by = Author::system("test");
        self.database.storage.add_staff_members(vec![staff_member(person, services)], &by).await.unwrap().remove(0)
    }

    /// A user who signs in with [`PASSWORD`].
    pub async fn add_user(&self, email: &str, roles: &[Role], services: &[uuid::Uuid]) -> User {
        let user = NewUser::new(
            Email::parse(email).unwrap(),
            Name::parse("Name", "Test User").unwrap(),
            roles.to_vec(),
            services.to_vec(),
        )
        .unwrap();
        self.database.storage.add_user(user, &own_password(PASSWORD), &Author::system("test")).await.unwrap()
    }

    pub async fn sign_in_with(&self, client: &reqwest::Client, email: &str, password: &str) -> reqwest::Response {
        let body = serde_json::json!({ "email": email, "password": password });
        client.post(self.url("/api/v1/session")).json(&body).send().await.expect("the request is answered")
    }

    /// Signs this app's own client in as a new user with `roles`.
    pub async fn sign_in_as(&self, roles: &[Role], services: &[uuid::Uuid]) -> User {
        let email = format!("{}@example.org", uuid::Uuid::now_v7().simple());
        let user = self.add_user(&email, roles, services).await;
        let response = self.sign_in_with(&self.client, &email, PASSWORD).await;
        assert_eq!(response.status(), reqwest::StatusCode::OK, "{}", response.text().await.unwrap());
        user
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// Sends an observation of `staff` on `theme` (a theme as `/api/v1/reference` lists it), as
    /// a tablet would, with `score(i)` for its i-th criterion, observed `minutes_ago` by the
    /// server's clock; it must be accepted. Its id.
    pub async fn send_observation(
        &self,
        client: &reqwest::Client,
        (service, staff, theme): (uuid::Uuid, uuid::Uuid, &serde_json::Value),
        score: impl Fn(usize) -> u8,
        announced: bool,
        minutes_ago: i64,
    ) -> uuid::Uuid {
        let ratings: Vec<serde_json::Value> = theme["criteria"]
            .as_array()
            .expect("a theme lists its criteria")
            .iter()
            .enumerate()
            .map(|(index, criterion)| serde_json::json!({ "criterion_id": criterion["id"], "score": score(index) }))
            .collect();
        let observed_at =
            jiff::Timestamp::from_millisecond(self.database.storage.now_ms() - minutes_ago * 60_000).unwrap();
        let id = uuid::Uuid::now_v7();
        let check = serde_json::json!({
            "id": id,
            "service_id": service,
            "staff_id": staff,
            "theme_id": theme["id"],
            "observed_at": observed_at.to_string(),
            "announced": announced,
            "ratings": ratings,
            "details": { "kind": "observation", "feedback_given": true }
        });
        self.sync_accepted(client, vec![check]).await;
        id
    }

    /// Sends `checks` from a tablet as `client`, and expects every one kept.
    pub async fn sync_accepted(&self, client: &reqwest::Client, checks: Vec<serde_json::Value>) {
        let answer: serde_json::Value = client
            .post(self.url("/api/v1/sync"))
            .json(&serde_json::json!({ "device_id": "tablet", "checks": checks }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let results = answer["results"].as_array().expect("a result for each check");
        assert!(results.iter().all(|result| result["status"] == "accepted"), "{answer}");
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("the request is answered")
    }
}
