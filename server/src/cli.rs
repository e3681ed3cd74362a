//! The `recheck` command: serve (the default), migrate, demo.

use crate::client_address::TrustedProxies;
use crate::http::{AppState, router};
use crate::sessions::SessionSettings;
use crate::storage::{self, redact};
use clap::{Args, Parser, Subcommand};
use leptos::config::LeptosOptions;
use recheck_app::auth::own_password;
use recheck_app::domain::access::Role;
use recheck_app::domain::account::{AccountError, Email, NewUser, check_password};
use recheck_app::domain::audit::Author;
use recheck_app::domain::clock::{SharedClock, ShiftedClock, system_clock};
use recheck_app::domain::text::Name;
use recheck_app::storage::Storage;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[derive(Debug, Parser)]
#[command(
    name = "recheck",
    version,
    about = "Recheck: spot checks of staff practice, improvement cycles and evidence that change lasts",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Where the data lives: sqlite://path/to/file.db (created if missing) or
    /// postgres://user:password@host/database.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/recheck.db", global = true)]
    pub database_url: String,

    /// For browser tests and demonstrations only, never on a provider's server: the server's
    /// clock starts at this moment (2026-11-02T09:00:00Z) and runs on from it. Everything the
    /// server dates or judges by the day (checks, cycles, reviews, sessions) follows it.
    #[arg(long, env = "RECHECK_CLOCK_STARTS_AT", global = true)]
    pub clock_starts_at: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (what `recheck` does with no subcommand).
    Serve(ServeArgs),
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Load a fictional demonstration provider into an empty database.
    Demo(DemoArgs),
    /// Manage the people who sign in.
    #[command(subcommand)]
    User(UserCommand),
    /// Copy a live SQLite database, consistently, to a new FILE (PostgreSQL: use pg_dump, as the
    /// README's operations section shows).
    Backup { file: std::path::PathBuf },
    /// Restore a backup FILE into a new, empty SQLite database at --database-url, brought up to
    /// this release's schema.
    Restore { file: std::path::PathBuf },
}

#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Also load six months of the provider's checks: weaker nights and weekends on some themes,
    /// announced checks scoring better than unannounced ones, staff improving and one reverting.
    #[arg(long, conflicts_with = "scale")]
    pub history: bool,
    /// Instead, build a large provider for benchmarks: 40 services, 2,000 staff and 1,000,000
    /// checks over two years (a few minutes, with a progress bar).
    #[arg(long)]
    pub scale: bool,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; the password is read from the first line of standard input.
    Add(AddUser),
}

#[derive(Debug, Clone, Args)]
pub struct AddUser {
    /// The email address they sign in with.
    #[arg(long)]
    pub email: String,
    /// Their full name.
    #[arg(long)]
    pub name: String,
    /// shift-leader, team-leader, deputy-manager, registered-manager, quality-lead or
    /// provider-admin; repeat for several.
    #[arg(long = "role", required = true)]
    pub roles: Vec<String>,
    /// A service they act in, by name or id; repeat for several. Not needed for provider admins
    /// and quality leads, who act in every service.
    #[arg(long = "service")]
    pub services: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// The address and port to listen on.
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// The folder holding the built site (pkg/recheck.js, .wasm, .css and the public files).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Load the demonstration provider, with its history, first if the database has no services yet.
    #[arg(long, env = "RECHECK_DEMO_IF_EMPTY", value_parser = clap::builder::BoolishValueParser::new())]
    pub demo_if_empty: bool,

    /// With --demo-if-empty: whether to load the provider's six months of checks too.
    #[arg(
        long,
        env = "RECHECK_DEMO_HISTORY",
        default_value_t = true,
        action = clap::ArgAction::Set,
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub demo_history: bool,

    /// Hours without a request after which a session ends.
    #[arg(long, env = "RECHECK_SESSION_IDLE_HOURS", default_value_t = 12.0)]
    pub session_idle_hours: f64,

    /// Recheck is served over HTTPS: the session cookie is Secure and `__Host-` prefixed, and
    /// browsers are told to keep to HTTPS (HSTS). Implied by an https:// --public-url.
    #[arg(long, env = "RECHECK_SECURE_COOKIES", value_parser = clap::builder::BoolishValueParser::new())]
    pub secure_cookies: bool,

    /// The reverse proxies in front of Recheck, by address or network (10.0.0.5, 10.0.0.0/8),
    /// comma-separated or repeated: their X-Forwarded-For names the client whose failed sign-ins
    /// are counted. Without it the header is ignored.
    #[arg(long = "trusted-proxy", env = "RECHECK_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<String>,

    /// The SMTP server for the daily email, which is off without it: smtps://user:password@host:465,
    /// or smtp://user:password@host:587?tls=required for STARTTLS.
    #[arg(long, env = "RECHECK_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// Who the daily email comes from: "Recheck <recheck@provider.example>".
    #[arg(long, env = "RECHECK_MAIL_FROM")]
    pub mail_from: Option<String>,

    /// The address people open Recheck at, for the links in the daily email.
    #[arg(long, env = "RECHECK_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// When the daily email is sent, on UK time (24-hour clock).
    #[arg(long, env = "RECHECK_DAILY_EMAIL_AT", default_value = "07:00")]
    pub daily_email_at: String,
}

impl ServeArgs {
    fn session_settings(&self) -> Result<SessionSettings, String> {
        let idle_timeout = std::time::Duration::try_from_secs_f64(self.session_idle_hours * 3600.0)
            .ok()
            .filter(|idle| !idle.is_zero())
            .ok_or_else(|| {
                format!("the session idle time must be a positive number of hours, not {}", self.session_idle_hours)
            })?;
        let trusted_proxies = TrustedProxies::parse(&self.trusted_proxies.join(","))
            .map_err(|error| format!("--trusted-proxy: {error}"))?;
        Ok(SessionSettings { idle_timeout, over_https: self.over_https(), trusted_proxies })
    }

    fn over_https(&self) -> bool {
        self.secure_cookies
            || self.public_url.as_deref().is_some_and(|url| url.trim().to_ascii_lowercase().starts_with("https://"))
    }
}

pub fn main() -> ExitCode {
    keep_large_allocations_returnable();
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => return fail(format!("cannot start: {error}")),
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(message),
    }
}

/// Each password hash briefly needs 19 MiB. glibc raises its mmap threshold once a large block is
/// freed, after which such blocks stay in the heap of whichever thread hashed, and an idle server
/// holds tens of megabytes it does not use. A fixed threshold hands them back every time.
fn keep_large_allocations_returnable() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; it is called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

fn fail(message: String) -> ExitCode {
    eprintln!("recheck: {message}");
    ExitCode::FAILURE
}

/// The machine's clock, unless `--clock-starts-at` moves it.
fn clock(starts_at: Option<&str>) -> Result<SharedClock, String> {
    let Some(text) = starts_at else { return Ok(system_clock()) };
    let moment: jiff::Timestamp = text
        .trim()
        .parse()
        .map_err(|_| format!("the clock's start must be a moment such as 2026-11-02T09:00:00Z, not “{text}”"))?;
    tracing::warn!(%moment, "the server's clock is moved: it started at {moment} (RECHECK_CLOCK_STARTS_AT)");
    Ok(ShiftedClock::starting_at(moment.as_millisecond()))
}

async fn run(cli: Cli) -> Result<(), String> {
    let clock = clock(cli.clock_starts_at.as_deref())?;
    let url = cli.database_url;
    let open = || async { storage::open_with_clock(&url, clock.clone()).await.map_err(|error| error.to_string()) };
    match cli.command {
        Some(Command::Migrate) => {
            open().await?;
            println!("The database {} is up to date.", redact(&url));
            Ok(())
        }
        Some(Command::Demo(DemoArgs { scale: true, .. })) => {
            crate::demo::scale::load(open().await?.as_ref()).await.map(|summary| println!("{summary}"))
        }
        Some(Command::Demo(DemoArgs { history, .. })) => {
            crate::demo::load(open().await?.as_ref(), history).await.map(|summary| println!("{summary}"))
        }
        Some(Command::User(UserCommand::Add(args))) => add_user(open().await?.as_ref(), args).await,
        Some(Command::Backup { file }) => {
            let database = storage::SqliteStorage::open(sqlite_only(&url, "recheck backup", "use pg_dump")?)
                .await
                .map_err(|error| error.to_string())?;
            database.back_up_to(&file).await?;
            println!("Backed up {} to {}.", redact(&url), file.display());
            Ok(())
        }
        Some(Command::Restore { file }) => {
            storage::SqliteStorage::restore(
                &file,
                sqlite_only(&url, "recheck restore", "use pg_restore, then recheck migrate")?,
            )
            .await?;
            // Opening brings an older backup up to this release's schema.
            let services = open().await?.organisation.services().await.map_err(|error| error.to_string())?.len();
            let plural = if services == 1 { "" } else { "s" };
            println!("Restored {} into {}: {services} service{plural}, up to date.", file.display(), redact(&url));
            Ok(())
        }
        Some(Command::Serve(args)) => serve(args, open().await?).await,
        None => serve(cli.serve, open().await?).await,
    }
}

/// `url`, if it names a SQLite database; otherwise why `verb` does not apply, and what to do.
fn sqlite_only<'a>(url: &'a str, verb: &str, instead: &str) -> Result<&'a str, String> {
    match url.starts_with("sqlite:") {
        true => Ok(url),
        false => Err(format!(
            "{verb} is for SQLite databases; for PostgreSQL {instead}, as the README's operations section shows"
        )),
    }
}

async fn serve(args: ServeArgs, storage: recheck_app::storage::SharedStorage) -> Result<(), String> {
    if args.demo_if_empty {
        match crate::demo::load(storage.as_ref(), args.demo_history).await {
            Ok(summary) => println!("{summary}"),
            Err(reason) => tracing::info!("demonstration data not loaded: {reason}"),
        }
    }
    let site_root = args.site_root.to_string_lossy().into_owned();
    if !args.site_root.join("pkg").join("recheck.wasm").is_file() {
        tracing::warn!(
            "{site_root}/pkg has no recheck.wasm: pages will render but not respond to taps; \
             build the site with `cargo leptos build --release` or set LEPTOS_SITE_ROOT"
        );
    }
    let leptos_options = LeptosOptions::builder()
        .output_name("recheck")
        .site_root(site_root)
        .site_pkg_dir("pkg")
        .site_addr(args.addr)
        .env(leptos::config::Env::PROD)
        .build();
    let session_settings = args.session_settings()?;
    let mail = crate::daily_email::MailSettings::from_parts(
        args.smtp_url.as_deref(),
        args.mail_from.as_deref(),
        args.public_url.as_deref(),
        &args.daily_email_at,
    )?;
    match mail {
        Some(mail) => {
            tracing::info!(at = %mail.send_at, "the daily email is on");
            tokio::spawn(crate::daily_email::run(storage.clone(), mail));
        }
        None => tracing::info!("the daily email is off: no SMTP server is set (RECHECK_SMTP_URL)"),
    }
    tokio::spawn(crate::housekeeping::run(storage.clone()));
    let app = router(AppState { leptos_options, storage }, session_settings)
        .into_make_service_with_connect_info::<SocketAddr>();
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|error| format!("cannot listen on {}: {error}", args.addr))?;
    let local = listener.local_addr().map_err(|error| error.to_string())?;
    tracing::info!("Recheck is listening on http://{local}");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|error| format!("the server stopped: {error}"))
}

/// `recheck user add`: for the first admin on a server with no browser, or scripted set-up.
async fn add_user(storage: &Storage, args: AddUser) -> Result<(), String> {
    let roles = args
        .roles
        .iter()
        .map(|code| Role::from_code(code.trim()).ok_or_else(|| AccountError::UnknownRole(code.clone()).to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    let services = storage.organisation.services().await.map_err(|error| error.to_string())?;
    let service_ids = args
        .services
        .iter()
        .map(|wanted| {
            services
                .iter()
                .find(|service| {
                    service.name.eq_ignore_ascii_case(wanted.trim()) || service.id.to_string() == wanted.trim()
                })
                .map(|service| service.id)
                .ok_or_else(|| format!("there is no service called “{wanted}”"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let email = Email::parse(&args.email).map_err(|error| error.to_string())?;
    let name = Name::parse("The name", &args.name).map_err(|error| error.to_string())?;
    let user = NewUser::new(email, name, roles, service_ids).map_err(|error| error.to_string())?;
    let mut password = String::new();
    std::io::stdin().read_line(&mut password).map_err(|error| format!("cannot read the password: {error}"))?;
    let password = password.trim_end_matches(['\r', '\n']);
    check_password(password).map_err(|error| error.to_string())?;
    let added = storage
        .add_user(user, &own_password(password), &Author::system("command line"))
        .await
        .map_err(|error| error.to_string())?;
    let roles = added.roles.iter().map(|role| role.label()).collect::<Vec<_>>().join(", ");
    println!("Added {} <{}> as {roles}.", added.name, added.email);
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_starts_where_it_is_told_or_says_why_not() {
        let moved = clock(Some("2026-11-02T09:00:00.000Z")).unwrap().now_ms();
        assert!((1_793_610_000_000..1_793_610_060_000).contains(&moved), "{moved}");
        let refusal = clock(Some("next Tuesday")).unwrap_err();
        assert!(refusal.contains("such as 2026-11-02T09:00:00Z, not “next Tuesday”"), "{refusal}");
        assert!(clock(None).unwrap().now_ms() > 1_795_000_000_000);
    }

    fn serve_args(args: &[&str]) -> ServeArgs {
        match Cli::try_parse_from([&["recheck", "serve"], args].concat()).unwrap().command {
            Some(Command::Serve(args)) => args,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn https_is_told_by_the_flag_or_an_https_public_url() {
        assert!(!serve_args(&[]).session_settings().unwrap().over_https);
        assert!(!serve_args(&["--public-url", "http://localhost:3000"]).session_settings().unwrap().over_https);
        assert!(serve_args(&["--public-url", "HTTPS://recheck.example"]).session_settings().unwrap().over_https);
        assert!(serve_args(&["--secure-cookies"]).session_settings().unwrap().over_https);
    }

    #[test]
    fn trusted_proxies_are_read_from_a_list_or_repeated_flags() {
        let settings = serve_args(&["--trusted-proxy", "10.0.0.5,192.168.0.0/24", "--trusted-proxy", "::1"])
            .session_settings()
            .unwrap();
        assert_eq!(settings.trusted_proxies, TrustedProxies::parse("10.0.0.5, 192.168.0.0/24, ::1").unwrap());
        let refusal = serve_args(&["--trusted-proxy", "proxy.local"]).session_settings().unwrap_err();
        assert!(refusal.starts_with("--trusted-proxy: `proxy.local`"), "{refusal}");
    }
}
