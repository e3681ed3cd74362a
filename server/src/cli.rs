//! The `recheck` command: serve (the default), migrate, demo.

use crate::http::{AppState, router};
use crate::storage::{self, redact};
use clap::{Args, Parser, Subcommand};
use leptos::config::LeptosOptions;
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
    Demo,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// The address and port to listen on.
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// The folder holding the built site (pkg/recheck.js, .wasm, .css and the public files).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Load the demonstration provider first if the database has no services yet.
    #[arg(long, env = "RECHECK_DEMO_IF_EMPTY", value_parser = clap::builder::BoolishValueParser::new())]
    pub demo_if_empty: bool,
}

pub fn main() -> ExitCode {
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

fn fail(message: String) -> ExitCode {
    eprintln!("recheck: {message}");
    ExitCode::FAILURE
}

async fn run(cli: Cli) -> Result<(), String> {
    let storage = storage::open(&cli.database_url).await.map_err(|error| error.to_string())?;
    match cli.command {
        Some(Command::Migrate) => {
            println!("The database {} is up to date.", redact(&cli.database_url));
            Ok(())
        }
        Some(Command::Demo) => crate::demo::load(storage.as_ref()).await.map(|summary| println!("{summary}")),
        Some(Command::Serve(args)) => serve(args, storage).await,
        None => serve(cli.serve, storage).await,
    }
}

async fn serve(args: ServeArgs, storage: recheck_app::storage::SharedStorage) -> Result<(), String> {
    if args.demo_if_empty {
        match crate::demo::load(storage.as_ref()).await {
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
    let app = router(AppState { leptos_options, storage });
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
