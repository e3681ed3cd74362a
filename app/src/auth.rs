//! Signing in and out, and who is signed in. The session lives on the server (in the database,
//! so every server instance accepts it); the browser holds only an HttpOnly cookie.

pub use crate::domain::throttle::throttled_message;

/// However active, a session ends this long after its sign-in, so a stolen or forgotten one does
/// not last for ever.
pub const SESSION_LIFETIME_MS: i64 = 7 * 24 * 3_600_000;

/// A one-time password an administrator hands over stops working this long after it was made.
pub const ONE_TIME_PASSWORD_LIFETIME_MS: i64 = 72 * 3_600_000;

/// The answer to a wrong password and to an unknown email alike.
pub const WRONG_CREDENTIALS: &str = "Wrong email or password.";

/// The answer to the right one-time password after it has expired: given only to someone who
/// knows it, so it reveals nothing to a guesser.
pub const ONE_TIME_PASSWORD_EXPIRED: &str =
    "That one-time password has expired. Ask your registered manager or provider admin for a new one.";

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::access::{Action, Actor, Decision};
    use crate::domain::account::{Email, User};
    use crate::domain::audit::{AuditEvent, Author};
    use crate::domain::throttle::{
        ThrottleRule, confirmation_rules, forgotten_on_success, retry_after_ms, sign_in_rules,
    };
    use crate::error::AppError;
    use crate::storage::{Storage, StorageError, StoredPassword};
    use argon2::Argon2;
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
    use std::net::IpAddr;
    use std::sync::OnceLock;
    use tower_sessions::Session;
    use uuid::Uuid;

    /// Whom a session is signed in as.
    pub const USER_ID_KEY: &str = "user_id";
    const SIGNED_IN_AT_KEY: &str = "signed_in_at_ms";

    /// An argon2id hash with the crate's recommended parameters and a fresh salt.
    pub fn hash_password(password: &str) -> String {
        Argon2::default()
            .hash_password(password.as_bytes(), &SaltString::generate(&mut OsRng))
            .expect("argon2 hashes any password")
            .to_string()
    }

    fn password_matches(hash: &str, password: &str) -> bool {
        PasswordHash::new(hash)
            .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    }

    /// A password its owner chose (or an operator typed for them), kept until they change it.
    pub fn own_password(password: &str) -> StoredPassword {
        StoredPassword { hash: hash_password(password), change_required: false, expires_at_ms: None }
    }

    /// A password an administrator hands over at `now_ms`, which its owner must replace at first
    /// sign-in and which stops working after [`ONE_TIME_PASSWORD_LIFETIME_MS`].
    pub fn one_time_password(password: &str, now_ms: i64) -> StoredPassword {
        StoredPassword {
            hash: hash_password(password),
            change_required: true,
            expires_at_ms: Some(now_ms.saturating_add(ONE_TIME_PASSWORD_LIFETIME_MS)),
        }
    }

    /// Letters and digits that cannot be mistaken for one another when read out or copied from
    /// a screen (no i, l, o, u): 32 of them, so each byte's low five bits pick one evenly.
    const PASSWORD_SYMBOLS: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

    /// Sixteen symbols from the operating system's generator (80 bits), in four groups of four
    /// so that it can be read out and typed on a tablet: `k3v9-qz7m-…`.
    pub fn generate_password() -> String {
        let mut bytes = [0u8; 16];
        OsRng.fill_bytes(&mut bytes);
        let symbols: Vec<char> =
            bytes.iter().map(|byte| char::from(PASSWORD_SYMBOLS[usize::from(byte & 31)])).collect();
        symbols.chunks(4).map(|group| group.iter().collect::<String>()).collect::<Vec<_>>().join("-")
    }

    /// Checking a made-up hash when the email is unknown makes both answers take as long, so the
    /// timing does not reveal which emails have accounts.
    async fn equalise_timing(password: &str) {
        static UNUSED: OnceLock<String> = OnceLock::new();
        let hash = UNUSED.get_or_init(|| hash_password("no account has this password"));
        let _ = password_matches_off_the_workers(hash, password).await;
    }

    /// Judging a password takes tens of milliseconds of one core; done on the blocking pool, a
    /// burst of sign-ins cannot stall the async workers every other request runs on.
    async fn password_matches_off_the_workers(hash: &str, password: &str) -> bool {
        let (hash, password) = (hash.to_owned(), password.to_owned());
        tokio::task::spawn_blocking(move || password_matches(&hash, &password)).await.unwrap_or(false)
    }

    #[derive(Debug, thiserror::Error)]
    pub enum SignInError {
        /// The same answer whether or not the email exists.
        #[error("{WRONG_CREDENTIALS}")]
        WrongCredentials,
        #[error("{}", throttled_message(*retry_after_ms))]
        Throttled { retry_after_ms: i64 },
        /// The right one-time password, too late.
        #[error("{ONE_TIME_PASSWORD_EXPIRED}")]
        OneTimePasswordExpired,
        #[error(transparent)]
        Storage(#[from] StorageError),
        #[error("the session could not be saved: {0}")]
        Session(String),
    }

    /// Counts this attempt as a failure under `rules` before its password is judged, so that
    /// parallel guesses cannot all be judged first; refused while any rule is full, for as long
    /// as the longest full rule's window.
    async fn reserve(storage: &Storage, rules: &[ThrottleRule], now: i64) -> Result<(), SignInError> {
        let full = storage.reserve_login_attempt(rules, now).await?;
        if full.is_empty() {
            Ok(())
        } else {
            Err(SignInError::Throttled { retry_after_ms: retry_after_ms(rules, &full) })
        }
    }

    /// Takes a reserved attempt back once its password proved right: the pair's failures are
    /// forgotten altogether, and the attempt no longer counts under any other rule.
    async fn withdraw(storage: &Storage, rules: &[ThrottleRule], now: i64) -> Result<(), StorageError> {
        let forgotten = forgotten_on_success(rules);
        storage.accounts.clear_login_failures(forgotten).await?;
        let mut others: Vec<&str> =
            rules.iter().map(|rule| rule.key.as_str()).filter(|key| *key != forgotten).collect();
        others.sort_unstable();
        others.dedup();
        for key in others {
            storage.accounts.withdraw_login_attempt(key, now).await?;
        }
        Ok(())
    }

    /// Checks the password, starts a fresh session (a new id, so a planted one is useless) and
    /// records the attempt in the audit trail either way.
    pub async fn sign_in(
        storage: &Storage,
        session: &Session,
        email: &str,
        password: &str,
        address: Option<IpAddr>,
    ) -> Result<User, SignInError> {
        // No account has an address that long: refused before it can fill the throttle's or the
        // audit trail's rows with text of an attacker's choosing.
        if email.trim().len() > crate::domain::account::MAX_EMAIL_CHARS {
            return Err(SignInError::WrongCredentials);
        }
        let now = storage.now_ms();
        let rules = sign_in_rules(email, address);
        reserve(storage, &rules, now).await?;
        let found = match Email::parse(email) {
            Ok(email) => storage.accounts.user_credentials(&email).await?,
            Err(_) => None,
        };
        let matches = match &found {
            Some((user, stored)) if !user.disabled => password_matches_off_the_workers(&stored.hash, password).await,
            Some(_) => false,
            None => {
                equalise_timing(password).await;
                false
            }
        };
        let user = match found {
            Some((user, stored)) if matches && stored.expires_at_ms.is_some_and(|expires| expires <= now) => {
                let event = AuditEvent::new(
                    now,
                    &Author { user_id: None, name: email.trim().to_owned() },
                    "login.failed",
                    Some(user.id),
                    format!("Failed sign-in as {}: the one-time password had expired", email.trim()),
                );
                storage.record_audit_event(&event).await?;
                return Err(SignInError::OneTimePasswordExpired);
            }
            Some((user, _)) if matches => user,
            found => {
                let subject = found.as_ref().map(|(user, _)| user.id);
                let event = AuditEvent::new(
                    now,
                    &Author { user_id: None, name: email.trim().to_owned() },
                    "login.failed",
                    subject,
                    format!("Failed sign-in as {}", email.trim()),
                );
                storage.record_audit_event(&event).await?;
                return Err(SignInError::WrongCredentials);
            }
        };
        withdraw(storage, &rules, now).await?;
        session.cycle_id().await.map_err(|error| SignInError::Session(error.to_string()))?;
        session.insert(USER_ID_KEY, user.id).await.map_err(|error| SignInError::Session(error.to_string()))?;
        session.insert(SIGNED_IN_AT_KEY, now).await.map_err(|error| SignInError::Session(error.to_string()))?;
        let event = AuditEvent::new(
            now,
            &Author::user(user.id, user.name.clone()),
            "login.succeeded",
            Some(user.id),
            format!("{} signed in", user.name),
        );
        storage.record_audit_event(&event).await?;
        Ok(user)
    }

    /// Checks a signed-in person's current password before a change. Wrong guesses count with
    /// failed sign-ins, so a borrowed session cannot be used to guess the password unthrottled.
    pub async fn confirm_password(storage: &Storage, user: &User, password: &str) -> Result<bool, AppError> {
        let now = storage.now_ms();
        let rules = confirmation_rules(user.email.as_str());
        match reserve(storage, &rules, now).await {
            Ok(()) => {}
            Err(SignInError::Throttled { retry_after_ms }) => {
                return Err(AppError::BadRequest(throttled_message(retry_after_ms)));
            }
            Err(SignInError::Storage(error)) => return Err(error.into()),
            Err(_) => return Err(AppError::Unavailable),
        }
        let matches = match storage.accounts.user_credentials(&user.email).await? {
            Some((_, stored)) => password_matches_off_the_workers(&stored.hash, password).await,
            None => false,
        };
        if matches {
            withdraw(storage, &rules, now).await?;
        }
        Ok(matches)
    }

    /// Whether a session signed in at `signed_in_at_ms` has lasted [`SESSION_LIFETIME_MS`] by
    /// `now_ms`. One from before sign-ins were dated is treated as having lasted it.
    fn has_outlived_its_sign_in(signed_in_at_ms: Option<i64>, now_ms: i64) -> bool {
        signed_in_at_ms.is_none_or(|at| now_ms - at >= SESSION_LIFETIME_MS)
    }

    /// Ends the session on the server, not just in the browser.
    pub async fn sign_out(session: &Session) -> Result<(), AppError> {
        session.flush().await.map_err(|_| AppError::Unavailable)
    }

    /// The signed-in user, if the session names one who is still enabled.
    pub async fn current_user(storage: &Storage, session: &Session) -> Result<Option<User>, AppError> {
        let Some(user_id) = session.get::<Uuid>(USER_ID_KEY).await.map_err(|_| AppError::Unavailable)? else {
            return Ok(None);
        };
        let signed_in_at_ms = session.get::<i64>(SIGNED_IN_AT_KEY).await.map_err(|_| AppError::Unavailable)?;
        if has_outlived_its_sign_in(signed_in_at_ms, storage.now_ms()) {
            session.flush().await.map_err(|_| AppError::Unavailable)?;
            return Ok(None);
        }
        match storage.accounts.user(user_id).await {
            Ok(user) if !user.disabled => Ok(Some(user)),
            Ok(_) | Err(StorageError::NotFound) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    /// Asks the policy; a refusal becomes `Forbidden` (403).
    pub fn authorise(actor: &Actor, action: Action) -> Result<(), AppError> {
        authorise_decision(actor.may(action))
    }

    pub fn authorise_decision(decision: Decision) -> Result<(), AppError> {
        match decision {
            Decision::Allow => Ok(()),
            Decision::Deny => Err(AppError::Forbidden),
        }
    }

    /// For server functions: the signed-in person as the policy sees them, or `Unauthenticated`.
    pub async fn require_actor() -> Result<Actor, AppError> {
        Ok(require_user().await?.actor())
    }

    /// For server functions that change something: the policy's view of the person, and how the
    /// audit trail names them.
    pub async fn require_author() -> Result<(Actor, Author), AppError> {
        let user = require_user().await?;
        Ok((user.actor(), Author::user(user.id, user.name)))
    }

    /// The signed-in user; someone still on a one-time password may do nothing else until they
    /// have chosen their own.
    async fn require_user() -> Result<User, AppError> {
        let user = signed_in_user().await?.ok_or(AppError::Unauthenticated)?;
        if user.password_change_required {
            return Err(AppError::PasswordChangeRequired);
        }
        Ok(user)
    }

    /// For server functions: whoever the request's session names, if anyone.
    pub async fn signed_in_user() -> Result<Option<User>, AppError> {
        let storage = crate::error::storage()?;
        let session: Session = leptos_axum::extract().await.map_err(|_| AppError::Unavailable)?;
        current_user(storage.as_ref(), &session).await
    }

    /// For server functions: the id of the request's session, if it has been kept.
    pub async fn current_session_id() -> Option<String> {
        let session: Session = leptos_axum::extract().await.ok()?;
        session.id().map(|id| id.to_string())
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_hash_verifies_its_own_password_only() {
            let hash = hash_password("kettle otter lamp");
            assert!(hash.starts_with("$argon2id$"));
            assert!(password_matches(&hash, "kettle otter lamp"));
            assert!(!password_matches(&hash, "kettle otter lamp "));
            assert!(!password_matches("not a hash", "kettle otter lamp"));
        }

        #[test]
        fn the_same_password_gets_a_different_salt_each_time() {
            assert_ne!(hash_password("kettle otter lamp"), hash_password("kettle otter lamp"));
        }

        #[test]
        fn a_session_ends_seven_days_after_its_sign_in_however_active() {
            let signed_in = 1_000_000;
            assert!(!has_outlived_its_sign_in(Some(signed_in), signed_in));
            assert!(!has_outlived_its_sign_in(Some(signed_in), signed_in + SESSION_LIFETIME_MS - 1));
            assert!(has_outlived_its_sign_in(Some(signed_in), signed_in + SESSION_LIFETIME_MS));
            assert!(has_outlived_its_sign_in(None, signed_in), "undated sessions predate the rule");
        }

        #[test]
        fn a_generated_password_has_eighty_bits_in_four_groups_of_unmistakable_symbols() {
            let password = generate_password();
            let groups: Vec<&str> = password.split('-').collect();
            assert_eq!(groups.len(), 4, "{password}");
            assert!(groups.iter().all(|group| group.len() == 4), "{password}");
            assert!(password.bytes().filter(|byte| *byte != b'-').all(|byte| PASSWORD_SYMBOLS.contains(&byte)));
            let many: std::collections::HashSet<String> = (0..1000).map(|_| generate_password()).collect();
            assert_eq!(many.len(), 1000, "no two alike");
            let seen: std::collections::HashSet<char> = many.iter().flat_map(|p| p.chars()).collect();
            assert_eq!(seen.len(), 33, "every symbol and the dash turn up");
            assert!(crate::domain::account::check_password(&password).is_ok(), "long enough for the password rule");
        }

        #[test]
        fn a_one_time_password_expires_after_72_hours_and_ones_own_never() {
            let handed_over = one_time_password("k3v9-qz7m-a2b4-c6d8", 1_000);
            assert!(handed_over.change_required);
            assert_eq!(handed_over.expires_at_ms, Some(1_000 + 72 * 3_600_000));
            assert!(password_matches(&handed_over.hash, "k3v9-qz7m-a2b4-c6d8"));
            assert_eq!(own_password("kettle otter lamp").expires_at_ms, None);
        }

        #[test]
        fn a_refusal_by_the_policy_is_forbidden() {
            let nobody = Actor { user_id: Uuid::from_u128(1), roles: vec![], service_ids: vec![] };
            assert_eq!(authorise(&nobody, Action::ViewProviderOverview), Err(AppError::Forbidden));
            let admin = Actor { roles: vec![crate::domain::access::Role::ProviderAdmin], ..nobody };
            assert_eq!(authorise(&admin, Action::ViewAuditTrail), Ok(()));
        }

        #[test]
        fn the_throttled_message_rounds_up_to_whole_minutes() {
            let message = SignInError::Throttled { retry_after_ms: 61_000 }.to_string();
            assert_eq!(message, "Too many failed sign-ins. Try again in 2 minutes.");
        }
    }
}
