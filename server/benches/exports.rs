//! Whether a large export holds a fixed amount of memory, whatever its size: on a provider of
//! 100,000 checks (one service of the large benchmark provider, made the same way), the checks of
//! its last ten weeks and then all of them are downloaded as CSV over loopback, and the process's
//! resident memory is sampled every few milliseconds throughout. If the export streams, the
//! second download's growth is about the first's; if it held the file, it would be ten times as
//! much. `cargo bench -p recheck --bench exports` (or `scripts/bench`) prints a Markdown table; it
//! never fails on a figure.

#[path = "../tests/support/mod.rs"]
mod support;

use recheck_server::demo::scale;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use support::TestApp;

const CHECKS: usize = 100_000;

/// The process's resident memory now, in kB.
fn resident_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kb| kb.parse().ok())
        .unwrap_or(0)
}

struct Download {
    rows: usize,
    bytes: usize,
    took: Duration,
    /// The most resident memory rose above where it stood before the download.
    growth_kb: u64,
}

/// Downloads `path` a chunk at a time, keeping none of it, while a thread samples memory.
async fn download(app: &TestApp, client: &reqwest::Client, path: &str) -> Download {
    let before = resident_kb();
    let peak = Arc::new(AtomicU64::new(before));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (peak.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(resident_kb(), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    let started = Instant::now();
    let mut response = client.get(app.url(path)).send().await.unwrap();
    assert!(response.status().is_success(), "{path}: {}", response.status());
    let (mut rows, mut bytes) = (0, 0);
    while let Some(chunk) = response.chunk().await.unwrap() {
        bytes += chunk.len();
        rows += chunk.iter().filter(|byte| **byte == b'\n').count();
    }
    let took = started.elapsed();
    done.store(true, Ordering::Relaxed);
    sampler.join().unwrap();
    // Rows end in a line break, and a cell may hold one; the header is a row too.
    Download { rows: rows.saturating_sub(1), bytes, took, growth_kb: peak.load(Ordering::Relaxed) - before }
}

fn mb(kb: f64) -> String {
    format!("{:.1} MB", kb / 1024.0)
}

#[tokio::main]
async fn main() {
    let app = TestApp::spawn(support::sqlite().await).await;
    eprintln!("Building a provider of {CHECKS} checks…");
    eprintln!("{}", scale::load_sized(app.database.storage.as_ref(), 1, CHECKS).await.unwrap());
    let client = TestApp::new_client();
    let signed_in = app.sign_in_with(&client, "team.leader.1@northwind.example", scale::PASSWORD).await;
    assert!(signed_in.status().is_success());
    let today = recheck_app::domain::check::date_in_zone("Europe/London", app.database.storage.now_ms());
    let recent = format!("/checks/export.csv?from={}", today.plus_days(-70));
    println!("| export of checks as CSV, SQLite, over loopback | rows | file | time | memory growth at its peak |");
    println!("| --- | --- | --- | --- | --- |");
    for (what, path) in [("the last ten weeks", recent.as_str()), ("all of them", "/checks/export.csv")] {
        let download = download(&app, &client, path).await;
        println!(
            "| {what} | {} | {} | {:.1} s | {} |",
            download.rows,
            mb(download.bytes as f64 / 1024.0),
            download.took.as_secs_f64(),
            mb(download.growth_kb as f64)
        );
    }
}
