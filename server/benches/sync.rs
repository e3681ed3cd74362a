//! How fast checks get in: one device sending 500 waiting checks over loopback, sending them all
//! again (every one a duplicate), and the server's ingest rate over many full batches. Runs the
//! real application on a fresh database, as the API tests do; on SQLite always, and on PostgreSQL
//! too when `RECHECK_TEST_POSTGRES_URL` is set. `cargo bench -p recheck --bench sync` (or
//! `scripts/bench`) prints a Markdown table; it reports figures and never fails on them.

#[path = "../tests/support/mod.rs"]
mod support;

use recheck_app::domain::access::Role;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use support::{TestApp, TestDatabase};
use uuid::Uuid;

const BATCH: usize = 500;
const INGEST_BATCHES: usize = 10;
const RUNS: usize = 5;

struct Bench {
    app: TestApp,
    service: Uuid,
    staff: Vec<Uuid>,
    theme: Value,
}

async fn bench(database: TestDatabase) -> Bench {
    let app = TestApp::spawn(database).await;
    let service = app.add_service("Larch House").await;
    let mut staff = Vec::new();
    for n in 0..20 {
        staff.push(app.add_staff(&format!("Care Assistant {n}"), &[service.id]).await.id);
    }
    app.sign_in_as(&[Role::ShiftLeader], &[service.id]).await;
    let reference: Value = app.get("/api/v1/reference").await.json().await.unwrap();
    Bench { app, service: service.id, staff, theme: reference["themes"][0].clone() }
}

/// `count` new checks, as a tablet would have them waiting: every criterion rated, some text.
fn waiting_checks(bench: &Bench, count: usize) -> Vec<Value> {
    let observed_at = (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(2)).to_string();
    (0..count)
        .map(|n| {
            let ratings: Vec<Value> = bench.theme["criteria"]
                .as_array()
                .unwrap()
                .iter()
                .map(|criterion| json!({ "criterion_id": criterion["id"], "score": 1 + n % 4 }))
                .collect();
            json!({
                "id": Uuid::now_v7(),
                "service_id": bench.service,
                "staff_id": bench.staff[n % bench.staff.len()],
                "theme_id": bench.theme["id"],
                "observed_at": observed_at,
                "announced": n % 3 == 0,
                "ratings": ratings,
                "details": {
                    "kind": "observation",
                    "examples": "Knocked, waited to be asked in, and explained each step before starting.",
                    "person_response": "Relaxed and chatting by the end.",
                    "feedback_given": true,
                    "feedback": "Praised the pace; suggested offering a choice of clothes."
                }
            })
        })
        .collect()
}

async fn send(bench: &Bench, checks: &[Value]) -> Duration {
    let started = Instant::now();
    let response = bench
        .app
        .client
        .post(bench.app.url("/api/v1/sync"))
        .json(&json!({ "device_id": "bench-tablet", "checks": checks }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    let answer: Value = response.json().await.unwrap();
    let elapsed = started.elapsed();
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results.len(), checks.len());
    assert!(results.iter().all(|result| result["status"] != "rejected"), "{}", results[0]);
    elapsed
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(duration: Duration) -> String {
    format!("{:.0} ms", duration.as_secs_f64() * 1000.0)
}

async fn measure(backend: &str, database: TestDatabase) {
    let bench = bench(database).await;
    let mut first = Vec::new();
    let mut again = Vec::new();
    for _ in 0..RUNS {
        let checks = waiting_checks(&bench, BATCH);
        first.push(send(&bench, &checks).await);
        again.push(send(&bench, &checks).await);
    }
    let started = Instant::now();
    for _ in 0..INGEST_BATCHES {
        send(&bench, &waiting_checks(&bench, BATCH)).await;
    }
    let rate = (INGEST_BATCHES * BATCH) as f64 / started.elapsed().as_secs_f64();
    let target = if backend == "SQLite" { "under 1 s" } else { "" };
    println!(
        "| {backend}: sync {BATCH} waiting checks over loopback (median of {RUNS}) | {} | {target} |",
        ms(median(first))
    );
    println!("| {backend}: send the same {BATCH} again, all duplicates (median of {RUNS}) | {} | |", ms(median(again)));
    println!(
        "| {backend}: ingest rate, {INGEST_BATCHES} batches of {BATCH} into a growing table | {rate:.0} checks a second | |"
    );
}

#[tokio::main]
async fn main() {
    println!("| figure | measured | target |\n| --- | --- | --- |");
    measure("SQLite", support::sqlite().await).await;
    if let Some(postgres) = support::postgres().await {
        measure("PostgreSQL", postgres).await;
    }
}
