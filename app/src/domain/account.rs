//! Users: the people who sign in to Recheck, their roles and the services they act in.

use super::access::{Actor, Role};
use super::text::Name;
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// A lower-cased email address, the login name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AccountError {
    #[error("“{0}” is not an email address")]
    InvalidEmail(String),
    #[error("the password must be at least {MIN_PASSWORD_CHARS} characters; three random words make a strong one")]
    PasswordTooShort,
    #[error("the password must be at most {MAX_PASSWORD_CHARS} characters")]
    PasswordTooLong,
    #[error("a user needs at least one role")]
    NoRoles,
    #[error("“{0}” is not a role; use one of {roles}", roles = Role::ALL.map(Role::code).join(", "))]
    UnknownRole(String),
    #[error("a {0} must be assigned to at least one service")]
    NoServices(&'static str),
}

pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest an email address can be (RFC 5321's path limit, less its angle brackets).
pub const MAX_EMAIL_CHARS: usize = 254;
pub const MAX_PASSWORD_CHARS: usize = 256;

impl Email {
    pub fn parse(raw: &str) -> Result<Self, AccountError> {
        let email = raw.trim().to_lowercase();
        let invalid = || AccountError::InvalidEmail(raw.trim().to_owned());
        let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
        let well_formed = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && email.len() <= MAX_EMAIL_CHARS
            && !email.chars().any(char::is_whitespace);
        if well_formed { Ok(Email(email)) } else { Err(invalid()) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = AccountError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Length is what makes a password strong (NCSC: "three random words"), so that is the rule.
pub fn check_password(password: &str) -> Result<(), AccountError> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        Err(AccountError::PasswordTooShort)
    } else if length > MAX_PASSWORD_CHARS {
        Err(AccountError::PasswordTooLong)
    } else {
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: Uuid,
    pub email: Email,
    pub name: String,
    pub roles: Vec<Role>,
    pub service_ids: Vec<Uuid>,
    pub disabled: bool,
    /// Signed in with a one-time password: must choose their own before doing anything else.
    pub password_change_required: bool,
}

impl User {
    /// The user `new` describes, as kept.
    pub fn from_new(new: &NewUser, disabled: bool, password_change_required: bool) -> User {
        User {
            id: new.id,
            email: new.email.clone(),
            name: new.name.to_string(),
            roles: new.roles.clone(),
            service_ids: new.service_ids.clone(),
            disabled,
            password_change_required,
        }
    }

    pub fn actor(&self) -> Actor {
        Actor { user_id: self.id, roles: self.roles.clone(), service_ids: self.service_ids.clone() }
    }
}

/// A user about to be created. Everyone but provider admins and quality leads needs a service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewUser {
    pub id: Uuid,
    pub email: Email,
    pub name: Name,
    pub roles: Vec<Role>,
    pub service_ids: Vec<Uuid>,
}

impl NewUser {
    pub fn new(
        email: Email,
        name: Name,
        mut roles: Vec<Role>,
        mut service_ids: Vec<Uuid>,
    ) -> Result<Self, AccountError> {
        roles.sort();
        roles.dedup();
        service_ids.sort();
        service_ids.dedup();
        if roles.is_empty() {
            return Err(AccountError::NoRoles);
        }
        if service_ids.is_empty()
            && let Some(role) = roles.iter().find(|role| !role.spans_all_services())
        {
            return Err(AccountError::NoServices(role.label()));
        }
        Ok(NewUser { id: Uuid::now_v7(), email, name, roles, service_ids })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name() -> Name {
        Name::parse("Name", "Bethan Pryce").unwrap()
    }

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(Email::parse("  Bethan.Pryce@Example.ORG ").unwrap().as_str(), "bethan.pryce@example.org");
    }

    #[test]
    fn malformed_emails_are_refused() {
        for raw in [
            "",
            "bethan",
            "@example.org",
            "bethan@",
            "bethan@example",
            "bethan@.org",
            "bethan@example.",
            "a@b@c.org",
            "be than@example.org",
        ] {
            assert!(Email::parse(raw).is_err(), "{raw}");
        }
        let too_long = format!("{}@example.org", "a".repeat(250));
        assert!(Email::parse(&too_long).is_err());
    }

    #[test]
    fn a_password_needs_twelve_characters() {
        assert_eq!(check_password("short words"), Err(AccountError::PasswordTooShort));
        assert_eq!(check_password("kettle otter lamp"), Ok(()));
        assert_eq!(check_password(&"x".repeat(257)), Err(AccountError::PasswordTooLong));
        assert_eq!(check_password("ééééééééééé"), Err(AccountError::PasswordTooShort), "counted in characters");
    }

    #[test]
    fn a_user_needs_a_role() {
        let email = Email::parse("a@example.org").unwrap();
        assert_eq!(NewUser::new(email, name(), vec![], vec![]), Err(AccountError::NoRoles));
    }

    #[test]
    fn service_bound_roles_need_a_service_but_provider_wide_roles_do_not() {
        let email = Email::parse("a@example.org").unwrap();
        assert_eq!(
            NewUser::new(email.clone(), name(), vec![Role::ShiftLeader], vec![]),
            Err(AccountError::NoServices("Shift leader"))
        );
        assert!(NewUser::new(email.clone(), name(), vec![Role::ProviderAdmin], vec![]).is_ok());
        assert!(NewUser::new(email, name(), vec![Role::QualityLead], vec![]).is_ok());
    }

    #[test]
    fn unknown_roles_are_named_with_the_valid_ones() {
        let message = AccountError::UnknownRole("manager".into()).to_string();
        assert!(message.starts_with("“manager” is not a role; use one of shift-leader, team-leader"), "{message}");
    }
}
