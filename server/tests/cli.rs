//! The `recheck` binary as an operator uses it: help, migrate, demo, and clear failures.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use tempfile::TempDir;

fn recheck(database_url: &str, args: &[&str]) -> Output {
    recheck_with_input(database_url, args, "")
}

fn recheck_with_input(database_url: &str, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_recheck"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "error")
        .env_remove("RECHECK_DEMO_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().expect("the binary finishes")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn sqlite_url(folder: &TempDir, file: &str) -> String {
    format!("sqlite://{}", folder.path().join(file).display())
}

/// One line, naming the problem, with no panic or backtrace.
fn assert_one_clear_sentence(output: &Output, expected_start: &str) {
    assert!(!output.status.success());
    let message = stderr(output);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.starts_with(expected_start), "{message}");
    assert!(!message.contains("panicked"), "{message}");
}

#[test]
fn help_lists_the_subcommands_and_where_settings_come_from() {
    let output = recheck("sqlite::memory:", &["--help"]);
    assert!(output.status.success());
    let help = stdout(&output);
    for expected in
        ["serve", "migrate", "demo", "--database-url", "DATABASE_URL", "LEPTOS_SITE_ADDR", "LEPTOS_SITE_ROOT"]
    {
        assert!(help.contains(expected), "help lacks {expected}:\n{help}");
    }
}

#[test]
fn migrate_creates_a_new_sqlite_database_and_its_folder() {
    let folder = tempfile::tempdir().unwrap();
    let url = sqlite_url(&folder, "nested/recheck.db");
    let output = recheck(&url, &["migrate"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("is up to date"));
    assert!(folder.path().join("nested/recheck.db").is_file());
    let again = recheck(&url, &["migrate"]);
    assert!(again.status.success(), "migrating twice is harmless: {}", stderr(&again));
}

#[test]
fn a_file_that_is_not_a_database_is_reported_and_left_untouched() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("notes.db");
    let contents = b"Shift handover notes, not a database.\n".repeat(200);
    std::fs::write(&path, &contents).unwrap();
    let output = recheck(&sqlite_url(&folder, "notes.db"), &["migrate"]);
    assert_one_clear_sentence(&output, "recheck: cannot open the SQLite database");
    assert!(stderr(&output).contains("not a database"), "{}", stderr(&output));
    assert_eq!(std::fs::read(&path).unwrap(), contents);
}

#[test]
fn a_backup_restores_into_a_new_database_with_every_record() {
    let folder = tempfile::tempdir().unwrap();
    let live = sqlite_url(&folder, "live.db");
    let loaded = recheck_with_input(&live, &["demo", "--history"], "");
    assert!(loaded.status.success(), "{}", stderr(&loaded));
    let backup = folder.path().join("backups/recheck-2026-12-08.db");
    std::fs::create_dir_all(backup.parent().unwrap()).unwrap();
    let backup_arg = backup.to_str().unwrap();
    let made = recheck(&live, &["backup", backup_arg]);
    assert!(made.status.success(), "{}", stderr(&made));
    assert!(stdout(&made).starts_with("Backed up "), "{}", stdout(&made));
    // Never over an earlier backup, and never into a database that holds records.
    assert_one_clear_sentence(&recheck(&live, &["backup", backup_arg]), "recheck: ");
    assert!(stderr(&recheck(&live, &["backup", backup_arg])).contains("already exists"));
    let refused = recheck(&live, &["restore", backup_arg]);
    assert_one_clear_sentence(&refused, "recheck: ");
    assert!(stderr(&refused).contains("restore only into a new, empty database"), "{}", stderr(&refused));

    let restored = sqlite_url(&folder, "restored/recheck.db");
    let done = recheck(&restored, &["restore", backup_arg]);
    assert!(done.status.success(), "{}", stderr(&done));
    assert!(stdout(&done).contains(" services, up to date."), "{}", stdout(&done));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let count = |url: &str, table: &str| -> i64 {
        runtime.block_on(async {
            let pool = sqlx::SqlitePool::connect(url).await.unwrap();
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&pool).await.unwrap()
        })
    };
    for table in ["services", "staff_members", "checks", "check_ratings", "cycles", "reviews", "audit_events"] {
        assert_eq!(count(&restored, table), count(&live, table), "{table}");
    }
    assert!(count(&restored, "checks") > 0);

    // Something that is not a backup, a backup that is not there, and PostgreSQL.
    let notes = folder.path().join("notes.db");
    std::fs::write(&notes, b"Shift handover notes.\n".repeat(100)).unwrap();
    let not_recheck = recheck(&sqlite_url(&folder, "other.db"), &["restore", notes.to_str().unwrap()]);
    assert_one_clear_sentence(&not_recheck, "recheck: ");
    let missing = recheck(&sqlite_url(&folder, "other.db"), &["restore", "/nowhere/recheck.db"]);
    assert_one_clear_sentence(&missing, "recheck: there is no backup at /nowhere/recheck.db");
    let postgres = recheck("postgres://recheck:hunter2@127.0.0.1:9/recheck", &["backup", "copy.db"]);
    assert_one_clear_sentence(&postgres, "recheck: recheck backup is for SQLite databases; for PostgreSQL use pg_dump");
}

#[test]
fn an_unknown_kind_of_database_url_is_explained() {
    let output = recheck("mysql://localhost/recheck", &["migrate"]);
    assert_one_clear_sentence(
        &output,
        "recheck: “mysql://localhost/recheck” is not a database URL Recheck understands",
    );
}

#[test]
fn an_unreachable_postgres_server_is_reported_without_its_password() {
    let output = recheck("postgres://recheck:hunter2@127.0.0.1:9/recheck", &["migrate"]);
    assert_one_clear_sentence(
        &output,
        "recheck: cannot connect to the PostgreSQL database postgres://recheck:***@127.0.0.1:9/recheck",
    );
    assert!(!stderr(&output).contains("hunter2"));
}

#[test]
fn demo_loads_a_provider_once_and_refuses_a_database_with_services() {
    let folder = tempfile::tempdir().unwrap();
    let url = sqlite_url(&folder, "recheck.db");
    let first = recheck(&url, &["demo"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let summary = stdout(&first);
    assert!(
        summary.starts_with(
            "Loaded the demonstration provider “Meadowbank Care Group (demonstration)”: 2 services (Larch House, \
             Brookside Supported Living), 25 staff, 3 practice themes, 10 users.\n"
        ),
        "{summary}"
    );
    for login in
        ["Shift leader        callum.reid@meadowbank.example", "Provider admin      sam.whitfield@meadowbank.example"]
    {
        assert!(summary.contains(login), "{summary}");
    }
    let second = recheck(&url, &["demo"]);
    assert_one_clear_sentence(&second, "recheck: the database already has services");
}

#[test]
fn user_add_creates_a_user_with_the_password_from_standard_input() {
    let folder = tempfile::tempdir().unwrap();
    let url = sqlite_url(&folder, "recheck.db");
    assert!(recheck(&url, &["demo"]).status.success());
    let args = [
        "user",
        "add",
        "--email",
        "New.Leader@Example.org",
        "--name",
        "Nia Lewis",
        "--role",
        "shift-leader",
        "--role",
        "team-leader",
        "--service",
        "larch house",
    ];
    let added = recheck_with_input(&url, &args, "kettle otter lamp\n");
    assert!(added.status.success(), "{}", stderr(&added));
    assert_eq!(stdout(&added).trim(), "Added Nia Lewis <new.leader@example.org> as Shift leader, Team leader.");
    let again = recheck_with_input(&url, &args, "kettle otter lamp\n");
    assert_one_clear_sentence(&again, "recheck: A user with the email new.leader@example.org already exists.");
}

#[test]
fn user_add_explains_each_kind_of_bad_input() {
    let folder = tempfile::tempdir().unwrap();
    let url = sqlite_url(&folder, "recheck.db");
    assert!(recheck(&url, &["demo"]).status.success());
    let cases: [(&[&str], &str, &str); 5] = [
        (
            &["--email", "a@example.org", "--name", "A", "--role", "manager"],
            "kettle otter lamp",
            "recheck: “manager” is not a role; use one of shift-leader",
        ),
        (
            &["--email", "not-an-email", "--name", "A", "--role", "quality-lead"],
            "kettle otter lamp",
            "recheck: “not-an-email” is not an email address",
        ),
        (
            &["--email", "a@example.org", "--name", "A", "--role", "shift-leader"],
            "kettle otter lamp",
            "recheck: a Shift leader must be assigned to at least one service",
        ),
        (
            &["--email", "a@example.org", "--name", "A", "--role", "shift-leader", "--service", "Nowhere"],
            "kettle otter lamp",
            "recheck: there is no service called “Nowhere”",
        ),
        (
            &["--email", "a@example.org", "--name", "A", "--role", "quality-lead"],
            "short",
            "recheck: the password must be at least 12 characters",
        ),
    ];
    for (args, password, expected) in cases {
        let full: Vec<&str> = ["user", "add"].into_iter().chain(args.iter().copied()).collect();
        let output = recheck_with_input(&url, &full, password);
        assert_one_clear_sentence(&output, expected);
    }
}
