//! The daily email (`docs/domain.md` §8): where the provider configures an SMTP server, each
//! person who acts on warnings (deputy and registered managers, quality leads) is sent, once a
//! day from the sending time on UK time, the warnings raised since their last email and the
//! reviews overdue that they see. Every instance runs the schedule; the one holding the database
//! lease sends, so several instances on one database send each email once.

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use recheck_app::domain::check::wall_time_in_zone;
use recheck_app::domain::digest::{DigestRecord, is_due, new_since, subject};
use recheck_app::domain::organisation::DEFAULT_TIME_ZONE;
use recheck_app::domain::shift::ClockTime;
use recheck_app::error::AppError;
use recheck_app::pages::checks::Names;
use recheck_app::pages::reviews::{reviews_for, status_in_words};
use recheck_app::pages::warnings::{in_words, warnings_for};
use recheck_app::storage::{CurrentWarning, Storage};
use std::time::Duration;

/// How the daily email is sent, from the server's settings.
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// `smtps://user:password@host:465`, or `smtp://…:587?tls=required` for STARTTLS.
    pub smtp_url: String,
    pub from: Mailbox,
    /// The address people open Recheck at, for the links in the email: `https://recheck.example`.
    pub public_url: String,
    /// When, on UK time, the day's emails are sent.
    pub send_at: ClockTime,
}

impl MailSettings {
    /// The settings, when an SMTP server is configured; none when it is not (the email is off).
    pub fn from_parts(
        smtp_url: Option<&str>,
        from: Option<&str>,
        public_url: Option<&str>,
        send_at: &str,
    ) -> Result<Option<MailSettings>, String> {
        let Some(smtp_url) = smtp_url.map(str::trim).filter(|url| !url.is_empty()) else {
            return Ok(None);
        };
        let from = from
            .map(str::trim)
            .filter(|from| !from.is_empty())
            .ok_or("the daily email needs a sender (--mail-from, RECHECK_MAIL_FROM)")?;
        let from: Mailbox = from.parse().map_err(|_| format!("“{from}” is not an email address to send from"))?;
        let public_url = public_url
            .map(|url| url.trim().trim_end_matches('/'))
            .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
            .ok_or("the daily email needs the address Recheck is opened at (--public-url, RECHECK_PUBLIC_URL)")?
            .to_owned();
        let send_at = ClockTime::parse(send_at).map_err(|error| format!("the daily email's time: {error}"))?;
        AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|error| format!("the SMTP address cannot be used: {error}"))?;
        Ok(Some(MailSettings { smtp_url: smtp_url.to_owned(), from, public_url, send_at }))
    }

    pub fn mailer(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
        AsyncSmtpTransport::<Tokio1Executor>::from_url(&self.smtp_url)
            .map(|builder| builder.timeout(Some(Duration::from_secs(30))).build())
            .map_err(|error| format!("the SMTP address cannot be used: {error}"))
    }
}

/// The lease that makes one instance the sender; held for longer than a round takes.
const LEASE: &str = "daily-email";
const LEASE_MS: i64 = 10 * 60_000;
/// How often each instance looks whether emails are due.
const ROUND: Duration = Duration::from_secs(5 * 60);

/// Runs the schedule for ever: every few minutes, sends the emails that are due.
pub async fn run(storage: recheck_app::storage::SharedStorage, settings: MailSettings) {
    let mailer = match settings.mailer() {
        Ok(mailer) => mailer,
        Err(error) => return tracing::error!(%error, "the daily email is off"),
    };
    let instance = uuid::Uuid::now_v7().to_string();
    let mut rounds = tokio::time::interval(ROUND);
    loop {
        rounds.tick().await;
        match send_due(&storage, &mailer, &settings, &instance).await {
            Ok(0) => {}
            Ok(sent) => tracing::info!(sent, "sent the daily email"),
            Err(error) => tracing::warn!(%error, "the daily email could not be sent; trying again shortly"),
        }
    }
}

/// One round: if it is past the sending time and this instance holds the lease, sends each
/// person whose email is due the warnings new to them and the overdue reviews they see. Someone
/// with nothing to list is sent nothing (and not asked again today); an email that fails is
/// logged and tried again next round, and the others are still sent. The lease is renewed before
/// each email, and the round stops if another instance has taken it. How many were sent.
pub async fn send_due<T>(
    storage: &Storage,
    mailer: &T,
    settings: &MailSettings,
    instance: &str,
) -> Result<usize, String>
where
    T: AsyncTransport + Sync,
    T::Error: std::fmt::Display,
{
    let now_ms = storage.now_ms();
    let now = wall_time_in_zone(DEFAULT_TIME_ZONE, now_ms);
    if now.clock_time() < settings.send_at {
        return Ok(0);
    }
    let mut sent = 0;
    for user in storage.accounts.users().await.map_err(|error| error.to_string())? {
        let actor = user.actor();
        if user.disabled || !actor.sees_warnings() {
            continue;
        }
        // Renewed before each email, so that it cannot lapse while a long round is under way and
        // let another instance send the same emails.
        let held = storage.digests.take_lease(LEASE, instance, storage.now_ms(), storage.now_ms() + LEASE_MS).await;
        if !held.map_err(|error| error.to_string())? {
            return Ok(sent);
        }
        match email_one(storage, mailer, settings, now, &user).await {
            Ok(true) => sent += 1,
            Ok(false) => {}
            Err(error) => {
                tracing::warn!(user = %user.id, %error, "a daily email was not sent; it is tried again next round")
            }
        }
    }
    Ok(sent)
}

/// Sends `user` their email if it is due and has something to list, and keeps what it listed.
/// Whether one was sent.
async fn email_one<T>(
    storage: &Storage,
    mailer: &T,
    settings: &MailSettings,
    now: recheck_app::domain::wall_clock::WallTime,
    user: &recheck_app::domain::account::User,
) -> Result<bool, String>
where
    T: AsyncTransport + Sync,
    T::Error: std::fmt::Display,
{
    let failed = |error: AppError| error.to_string();
    let actor = user.actor();
    let last = storage.digests.last_digest(user.id).await.map_err(|error| error.to_string())?;
    if !is_due(now, settings.send_at, last.as_ref()) {
        return Ok(false);
    }
    let open: Vec<CurrentWarning> = warnings_for(storage, &actor)
        .await
        .map_err(failed)?
        .current
        .into_iter()
        .filter(CurrentWarning::is_open)
        .collect();
    let keys: Vec<String> = open.iter().map(|current| current.warning.key.clone()).collect();
    let new = new_since(&keys, last.as_ref());
    let overdue: Vec<_> = reviews_for(storage, &actor)
        .await
        .map_err(failed)?
        .into_iter()
        .filter(|item| !item.status.overdue.is_empty())
        .collect();
    let record = DigestRecord { user_id: user.id, sent_on: now.date(), warning_keys: keys.clone() };
    if let Some(subject) = subject(new.len(), overdue.len()) {
        let names = Names::load_from(storage, &actor).await.map_err(failed)?;
        let mut body = format!("Hello {},\n\n", user.name);
        if !new.is_empty() {
            body.push_str("New warnings since your last email:\n\n");
            for current in open.iter().filter(|current| new.contains(&current.warning.key.as_str())) {
                body.push_str(&format!("- {}: {}\n", current.warning.kind.label(), in_words(&names, &current.warning)));
            }
            body.push_str(&format!("\nAcknowledge or dismiss them: {}/warnings\n\n", settings.public_url));
        }
        if !overdue.is_empty() {
            body.push_str("Reviews overdue:\n\n");
            for item in &overdue {
                let kind = item.status.cadence.kind;
                let words = status_in_words(&item.status);
                body.push_str(&format!("- {} at {}: {words}\n", kind.label(), item.service.name));
            }
            body.push_str(&format!("\nRecord them: {}/reviews\n\n", settings.public_url));
        }
        body.push_str(
            "You receive this email once a day because you act on warnings in Recheck. It lists only warnings \
                 raised since your last one.\n",
        );
        let address = user.email.as_str().parse().map_err(|_| "their email address cannot be mailed".to_owned())?;
        let to = Mailbox::new(Some(user.name.clone()), address);
        let message = Message::builder()
            .from(settings.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|error| format!("the email could not be written: {error}"))?;
        mailer.send(message).await.map_err(|error| format!("the SMTP server refused the email: {error}"))?;
        storage.digests.save_digest(&record).await.map_err(|error| error.to_string())?;
        return Ok(true);
    }
    storage.digests.save_digest(&record).await.map_err(|error| error.to_string())?;
    Ok(false)
}
