//! Test helpers: a fresh database on each backend, and the real HTTP application on a random
//! port, so each test reads as a few lines of story.
#![allow(dead_code)] // Each test binary uses its own subset of these helpers.

use recheck_app::storage::SharedStorage;
use recheck_server::http::{AppState, router};
use recheck_server::storage::{PostgresStorage, SqliteStorage, prepare};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tempfile::TempDir;

pub const POSTGRES_URL_VARIABLE: &str = "RECHECK_TEST_POSTGRES_URL";

/// A storage backend for one test; keeps its temporary folder alive as long as it lives.
pub struct TestDatabase {
    pub storage: SharedStorage,
    pub url: String,
    _folder: Option<TempDir>,
}

pub async fn sqlite() -> TestDatabase {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let url = format!("sqlite://{}", folder.path().join("recheck.db").display());
    let storage = SqliteStorage::open(&url).await.expect("SQLite opens");
    let storage = prepare(Arc::new(storage), &url).await.expect("SQLite is prepared");
    TestDatabase { storage, url, _folder: Some(folder) }
}

/// A fresh schema in the PostgreSQL database named by `RECHECK_TEST_POSTGRES_URL`, or `None`
/// when that is unset. A URL that is set but does not answer fails the test.
pub async fn postgres() -> Option<TestDatabase> {
    let url = std::env::var(POSTGRES_URL_VARIABLE).ok().filter(|url| !url.is_empty())?;
    let schema = format!("test_{}", uuid::Uuid::now_v7().simple());
    let admin = sqlx::PgPool::connect(&url)
        .await
        .unwrap_or_else(|error| panic!("{POSTGRES_URL_VARIABLE} is set but PostgreSQL does not answer: {error}"));
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&admin).await.expect("a test schema");
    admin.close().await;
    let storage = PostgresStorage::open_in_schema(&url, &schema).await.expect("PostgreSQL opens");
    let storage = prepare(Arc::new(storage), &url).await.expect("PostgreSQL is prepared");
    Some(TestDatabase { storage, url, _folder: None })
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

/// The real application serving HTTP on a random local port.
pub struct TestApp {
    pub address: SocketAddr,
    pub client: reqwest::Client,
    pub database: TestDatabase,
}

impl TestApp {
    pub async fn spawn(database: TestDatabase) -> TestApp {
        let site_root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../public");
        let leptos_options = leptos::config::LeptosOptions::builder()
            .output_name("recheck")
            .site_root(site_root.to_string_lossy().into_owned())
            .build();
        let app = router(AppState { leptos_options, storage: database.storage.clone() });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let address = listener.local_addr().expect("a local address");
        tokio::spawn(async move { axum::serve(listener, app).await.expect("the test server runs") });
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        TestApp { address, client, database }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("the request is answered")
    }
}
