//! How fast the records answer at a large provider's scale: on the 1,000,000-check provider
//! (`recheck demo --scale`), the checks list of one service (its first page, and a page deep in
//! it), one staff member's checks, and a weekly count of checks meeting the standard for one
//! service and theme over two years; then a service-theme chart and one service's warnings, as
//! their pages load them, and two whole pages over loopback HTTP (a staff member's trend, a
//! registered manager's home page). Each is timed through the storage contract (the server's
//! own time for it) and beside the same query typed into `sqlite3` or `psql`, the floor.
//!
//! `cargo bench -p recheck --bench queries` (or `scripts/bench`) builds the provider once, in
//! `target/bench/large.db` and, when `RECHECK_TEST_POSTGRES_URL` is set, in the schema
//! `bench_large` there, and reuses it after. It prints a Markdown table; it never fails on a
//! figure.

use recheck_app::auth::own_password;
use recheck_app::domain::access::Role;
use recheck_app::domain::account::{Email, NewUser};
use recheck_app::domain::audit::Author;
use recheck_app::domain::check::{CheckCursor, CheckFilter};
use recheck_app::domain::clock::system_clock;
use recheck_app::domain::text::Name;
use recheck_app::storage::{Period, SharedStorage, Storage, ThemeTrend, TrendQuery, current_warnings};
use recheck_server::demo::scale;
use recheck_server::http::{AppState, router};
use recheck_server::sessions::SessionSettings;
use recheck_server::storage::{PostgresStorage, SqliteStorage, prepare};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

const RUNS: usize = 40;
const PAGE: u32 = 100;
/// How deep in one service's list the "deep" page starts.
const DEEP: usize = 10_000;
const SCHEMA: &str = "bench_large";

struct Subjects {
    service: Uuid,
    theme: Uuid,
    staff: Uuid,
    deep: CheckCursor,
    from_ms: i64,
    to_ms: i64,
}

async fn ensure_built(storage: &SharedStorage) {
    if storage.organisation.services().await.unwrap().is_empty() {
        eprintln!("Building the large provider (once; later runs reuse it)…");
        eprintln!("{}", scale::load(storage.as_ref()).await.unwrap());
    }
}

async fn subjects(storage: &Storage) -> Subjects {
    let service = storage.organisation.services().await.unwrap().remove(0).id;
    let theme = storage.organisation.themes().await.unwrap().remove(0).id;
    let staff = storage.organisation.staff_members(Some(service)).await.unwrap().remove(0).id;
    let mut after = None;
    let mut seen = 0;
    while seen < DEEP {
        let page = CheckFilter { service_ids: Some(vec![service]), after, limit: 500, ..Default::default() };
        let checks = storage.checks.checks(&page).await.unwrap();
        seen += checks.len();
        after = checks.last().map(CheckCursor::of);
    }
    let to_ms = storage.now_ms();
    Subjects { service, theme, staff, deep: after.unwrap(), from_ms: to_ms - scale::WEEKS * 7 * 24 * 3_600_000, to_ms }
}

fn percentile(times: &mut [Duration], share: f64) -> Duration {
    times.sort();
    times[((times.len() - 1) as f64 * share).round() as usize]
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

async fn timed<F, Fut, T>(mut run: F) -> (Duration, Duration)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    run().await;
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        run().await;
        times.push(started.elapsed());
    }
    (percentile(&mut times, 0.5), percentile(&mut times, 0.95))
}

/// The four questions as SQL a person would type, for one backend.
struct Typed {
    list_first: String,
    list_deep: String,
    staff: String,
    weekly: String,
}

fn sqlite_sql(s: &Subjects) -> Typed {
    let blob = |id: Uuid| format!("X'{}'", id.simple());
    let columns = "observer_id, observed_at_ms, shift_kind, weekend, content, received_at_ms, theme_version, \
                   local_date, iso_week, month, meets_standard, weak, superseded_by";
    Typed {
        list_first: format!(
            "SELECT {columns} FROM checks WHERE superseded_by IS NULL AND service_id IN ({}) \
             ORDER BY observed_at_ms DESC, id DESC LIMIT {};",
            blob(s.service),
            PAGE + 1
        ),
        list_deep: format!(
            "SELECT {columns} FROM checks WHERE superseded_by IS NULL AND service_id IN ({}) \
             AND (observed_at_ms, id) < ({}, {}) ORDER BY observed_at_ms DESC, id DESC LIMIT {};",
            blob(s.service),
            s.deep.observed_at_ms,
            blob(s.deep.id),
            PAGE + 1
        ),
        staff: format!(
            "SELECT {columns} FROM checks WHERE superseded_by IS NULL AND staff_id = {} \
             ORDER BY observed_at_ms DESC, id DESC LIMIT {};",
            blob(s.staff),
            PAGE + 1
        ),
        weekly: format!(
            "SELECT iso_week, COUNT(*), SUM(meets_standard), SUM(weak) FROM checks WHERE superseded_by IS NULL \
             AND service_id = {} AND theme_id = {} AND observed_at_ms >= {} AND observed_at_ms < {} \
             GROUP BY iso_week ORDER BY iso_week;",
            blob(s.service),
            blob(s.theme),
            s.from_ms,
            s.to_ms
        ),
    }
}

fn postgres_sql(s: &Subjects) -> Typed {
    let columns = "observer_id, observed_at_ms, shift_kind, weekend, content, received_at_ms, theme_version, \
                   local_date::TEXT, iso_week, month, meets_standard, weak, superseded_by";
    Typed {
        list_first: format!(
            "SELECT {columns} FROM checks WHERE superseded_by IS NULL AND service_id = ANY('{{{}}}') \
             ORDER BY observed_at_ms DESC, id DESC LIMIT {};",
            s.service,
            PAGE + 1
        ),
        list_deep: format!(
            "SELECT {columns} FROM checks WHERE superseded_by IS NULL AND service_id = ANY('{{{}}}') \
             AND (observed_at_ms, id) < ({}, '{}') ORDER BY observed_at_ms DESC, id DESC LIMIT {};",
            s.service,
            s.deep.observed_at_ms,
            s.deep.id,
            PAGE + 1
        ),
        staff: format!(
            "SELECT {columns} FROM checks WHERE superseded_by IS NULL AND staff_id = '{}' \
             ORDER BY observed_at_ms DESC, id DESC LIMIT {};",
            s.staff,
            PAGE + 1
        ),
        weekly: format!(
            "SELECT iso_week, COUNT(*), COUNT(*) FILTER (WHERE meets_standard), COUNT(*) FILTER (WHERE weak) \
             FROM checks WHERE superseded_by IS NULL AND service_id = '{}' AND theme_id = '{}' \
             AND observed_at_ms >= {} AND observed_at_ms < {} GROUP BY iso_week ORDER BY iso_week;",
            s.service, s.theme, s.from_ms, s.to_ms
        ),
    }
}

/// The time `sql` takes typed into the database's own command-line client. psql reports each
/// statement's time to the microsecond, and the median of `RUNS` is taken; sqlite3's shell
/// reports only whole milliseconds, so its floor is the mean over a long batch in one process,
/// less the time of the same process with nothing to run.
fn floor(client: &Floor, sql: &str) -> Duration {
    match client {
        Floor::Sqlite(path) => {
            const BATCH: usize = RUNS * 10;
            let run = |statements: usize| {
                let script = std::iter::repeat_n(sql, statements).collect::<Vec<_>>().join("\n");
                let started = Instant::now();
                let mut child = Command::new("sqlite3")
                    .arg(path)
                    .stdin(std::process::Stdio::piped())
                    .stdout(std::process::Stdio::null())
                    .spawn()
                    .expect("sqlite3 runs");
                {
                    use std::io::Write;
                    let mut input = child.stdin.take().expect("sqlite3's input is piped");
                    input.write_all(format!(".output /dev/null\n{script}\n").as_bytes()).expect("sqlite3 reads");
                }
                assert!(child.wait().expect("sqlite3 finishes").success(), "sqlite3 ran {sql}");
                started.elapsed()
            };
            let mut empty: Vec<Duration> = (0..5).map(|_| run(0)).collect();
            let startup = percentile(&mut empty, 0.5);
            run(BATCH).saturating_sub(startup) / BATCH as u32
        }
        Floor::Postgres { url, schema } => {
            let output = Command::new("psql")
                .arg(url)
                .arg("-qAt")
                .arg("-o")
                .arg("/dev/null")
                .arg("-c")
                .arg(format!("SET search_path TO {schema}"))
                .arg("-c")
                .arg("\\timing on")
                .args(std::iter::repeat_n(["-c".to_owned(), sql.to_owned()], RUNS).flatten())
                .output()
                .expect("psql runs");
            let text = String::from_utf8_lossy(&output.stdout);
            let mut times: Vec<Duration> = text
                .lines()
                .filter_map(|line| line.strip_prefix("Time: "))
                .filter_map(|rest| rest.split_whitespace().next()?.parse::<f64>().ok())
                .map(|ms| Duration::from_secs_f64(ms / 1000.0))
                .collect();
            assert!(
                !times.is_empty(),
                "no timings in psql's output: {text}{}",
                String::from_utf8_lossy(&output.stderr)
            );
            percentile(&mut times, 0.5)
        }
    }
}

enum Floor {
    Sqlite(String),
    Postgres { url: String, schema: String },
}

async fn measure(backend: &str, storage: SharedStorage, client: Floor, typed: fn(&Subjects) -> Typed) {
    ensure_built(&storage).await;
    let s = subjects(&storage).await;
    let sql = typed(&s);
    let service = Some(vec![s.service]);
    let first = CheckFilter { service_ids: service.clone(), limit: PAGE + 1, ..Default::default() };
    let deep = CheckFilter { service_ids: service, after: Some(s.deep), limit: PAGE + 1, ..Default::default() };
    let staff = CheckFilter { staff_id: Some(s.staff), limit: PAGE + 1, ..Default::default() };
    let weekly = TrendQuery {
        service_ids: vec![s.service],
        theme_id: s.theme,
        period: Period::Week,
        from_ms: s.from_ms,
        to_ms: s.to_ms,
    };
    let rows = [
        ("checks list of one service, first page", timed(|| storage.checks.checks(&first)).await, &sql.list_first),
        (
            "checks list of one service, a page 10,000 checks deep",
            timed(|| storage.checks.checks(&deep)).await,
            &sql.list_deep,
        ),
        ("one staff member's checks, first page", timed(|| storage.checks.checks(&staff)).await, &sql.staff),
        (
            "weekly count meeting the standard, one service and theme, two years",
            timed(|| storage.trends.standard_by_period(&weekly)).await,
            &sql.weekly,
        ),
    ];
    for (what, (median, p95), typed_sql) in rows {
        let floor = floor(&client, typed_sql);
        println!(
            "| {backend}: {what} | {} | {} | {} | {:.1}× |",
            ms(median),
            ms(p95),
            ms(floor),
            median.as_secs_f64() / floor.as_secs_f64().max(1e-6)
        );
    }
    // Pages' composites of several queries, judged against issue 11's targets rather than one
    // typed query.
    let one: Vec<_> =
        storage.organisation.services().await.unwrap().into_iter().filter(|x| x.id == s.service).collect();
    let chart = TrendQuery { period: Period::Month, ..weekly.clone() };
    let composites = [
        (
            "a service-theme chart over two years, with its shifts and actions (target: p95 under 100 ms)",
            timed(|| ThemeTrend::load(&storage, &chart)).await,
        ),
        ("the warnings of one service (target: p95 under 200 ms)", timed(|| current_warnings(&storage, &one)).await),
    ];
    for (what, (median, p95)) in composites {
        println!("| {backend}: {what} | {} | {} | — | — |", ms(median), ms(p95));
    }
    // Whole pages over loopback HTTP, as a browser asks for them: the server's time for the page,
    // from its request to the last byte of its HTML.
    let server = serve(storage.clone()).await;
    let team_leader = storage
        .accounts
        .users()
        .await
        .unwrap()
        .into_iter()
        .find(|user| user.roles.contains(&Role::TeamLeader) && user.service_ids.contains(&s.service))
        .expect("every service of the large provider has a team leader");
    let manager = registered_manager(&storage, s.service).await;
    let staff_page = format!("/trends/staff?staff={}", s.staff);
    let pages = [
        (
            "a staff member's trend page, as their team leader opens it (target: p95 under 100 ms)",
            page_times(server, team_leader.email.as_str(), &staff_page).await,
        ),
        (
            "a registered manager's home page (target: p95 under 200 ms)",
            page_times(server, manager.as_str(), "/").await,
        ),
    ];
    for (what, (median, p95)) in pages {
        println!("| {backend}: {what} | {} | {} | — | — |", ms(median), ms(p95));
    }
}

/// The large provider has shift and team leaders only; the home page benchmark adds one
/// registered manager (once) for the service measured. Their email.
async fn registered_manager(storage: &Storage, service: Uuid) -> String {
    const EMAIL: &str = "registered.manager.bench@northwind.example";
    if !storage.accounts.users().await.unwrap().iter().any(|user| user.email.as_str() == EMAIL) {
        let user = NewUser::new(
            Email::parse(EMAIL).unwrap(),
            Name::parse("Name", "Registered Manager (benchmark)").unwrap(),
            vec![Role::RegisteredManager],
            vec![service],
        )
        .unwrap();
        storage.add_user(user, &own_password(scale::PASSWORD), &Author::system("benchmark")).await.unwrap();
    }
    EMAIL.to_owned()
}

async fn serve(storage: SharedStorage) -> std::net::SocketAddr {
    let leptos_options =
        leptos::config::LeptosOptions::builder().output_name("recheck").site_root("target/site").build();
    let app = router(AppState { leptos_options, storage }, SessionSettings::default())
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    address
}

/// Median and p95 of `path` as `email` (signed in with the large provider's password) asks for it.
async fn page_times(server: std::net::SocketAddr, email: &str, path: &str) -> (Duration, Duration) {
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let signed_in = client
        .post(format!("http://{server}/api/v1/session"))
        .json(&serde_json::json!({ "email": email, "password": scale::PASSWORD }))
        .send()
        .await
        .unwrap();
    assert!(signed_in.status().is_success(), "{email} signs in");
    let url = format!("http://{server}{path}");
    timed(|| async {
        let response = client.get(&url).header("accept", "text/html").send().await.unwrap();
        assert!(response.status().is_success(), "{path}: {}", response.status());
        response.bytes().await.unwrap()
    })
    .await
}

#[tokio::main]
async fn main() {
    println!("| query (1,000,000 checks, {RUNS} runs) | median | p95 | typed by hand | median ÷ floor |");
    println!("| --- | --- | --- | --- | --- |");
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join("large.db");
    let url = format!("sqlite://{}", path.display());
    let sqlite = Storage::new(SqliteStorage::open(&url).await.unwrap(), system_clock());
    let sqlite = prepare(Arc::new(sqlite), &url).await.unwrap();
    measure("SQLite", sqlite, Floor::Sqlite(path.display().to_string()), sqlite_sql).await;
    if let Some(url) = std::env::var("RECHECK_TEST_POSTGRES_URL").ok().filter(|url| !url.is_empty()) {
        let admin = sqlx::PgPool::connect(&url).await.expect("PostgreSQL answers");
        sqlx::query(&format!("CREATE SCHEMA IF NOT EXISTS {SCHEMA}")).execute(&admin).await.unwrap();
        admin.close().await;
        let postgres = Storage::new(PostgresStorage::open_in_schema(&url, SCHEMA).await.unwrap(), system_clock());
        let postgres = prepare(Arc::new(postgres), &url).await.unwrap();
        measure("PostgreSQL", postgres, Floor::Postgres { url, schema: SCHEMA.to_owned() }, postgres_sql).await;
    }
}
