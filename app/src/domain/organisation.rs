//! The organisation (one per deployment), its services and its staff.

use super::shift::ShiftPattern;
use super::text::{Name, ShortText};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub name: String,
}

/// The time zone a service's wall clock follows. Checks are stored in UTC and shown, and placed
/// in shifts, in this zone.
pub const DEFAULT_TIME_ZONE: &str = "Europe/London";

/// The zone's canonical IANA name ("europe/london" becomes "Europe/London"), or why not.
#[cfg(feature = "ssr")]
pub fn check_time_zone(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err("The time zone is required.".to_owned());
    }
    jiff::tz::TimeZone::get(name)
        .ok()
        .and_then(|zone| zone.iana_name().map(str::to_owned))
        .ok_or_else(|| format!("“{name}” is not a time zone; use a name such as Europe/London."))
}

/// A care location: a care home, a supported living scheme, a domiciliary branch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub id: Uuid,
    pub name: String,
    pub time_zone: String,
    pub shift_pattern: ShiftPattern,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewService {
    pub id: Uuid,
    pub name: Name,
    pub time_zone: String,
    pub shift_pattern: ShiftPattern,
}

impl NewService {
    pub fn new(name: Name, shift_pattern: ShiftPattern) -> Self {
        NewService { id: Uuid::now_v7(), name, time_zone: DEFAULT_TIME_ZONE.to_owned(), shift_pattern }
    }
}

/// Someone whose practice is observed. Not necessarily a user of Recheck; a leaver keeps their
/// history, so staff are marked as left rather than deleted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: Uuid,
    pub name: String,
    pub job_title: String,
    pub team: Option<String>,
    pub service_ids: Vec<Uuid>,
    pub has_left: bool,
    /// When they were marked as having left: no check observed after it is accepted. Unknown
    /// for those marked before Recheck kept the moment and never changed since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_at_ms: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewStaffMember {
    pub id: Uuid,
    pub name: Name,
    pub job_title: ShortText,
    pub team: Option<ShortText>,
    pub service_ids: Vec<Uuid>,
}

impl StaffMember {
    /// The member `new` describes, as kept: left at `left_at_ms`, if they have.
    pub fn from_new(new: &NewStaffMember, left_at_ms: Option<i64>) -> StaffMember {
        StaffMember {
            id: new.id,
            name: new.name.to_string(),
            job_title: new.job_title.to_string(),
            team: new.team.as_ref().map(|team| team.to_string()),
            service_ids: new.service_ids.clone(),
            has_left: left_at_ms.is_some(),
            left_at_ms,
        }
    }
}

impl NewStaffMember {
    pub fn new(name: Name, job_title: ShortText, team: Option<ShortText>, service_ids: Vec<Uuid>) -> Self {
        NewStaffMember { id: Uuid::now_v7(), name, job_title, team, service_ids }
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn time_zones_are_checked_against_the_time_zone_database() {
        assert_eq!(check_time_zone(" europe/london "), Ok("Europe/London".to_owned()));
        assert_eq!(check_time_zone("Europe/Dublin"), Ok("Europe/Dublin".to_owned()));
        assert!(check_time_zone("Europe/Larch").unwrap_err().contains("is not a time zone"));
        assert_eq!(check_time_zone(""), Err("The time zone is required.".to_owned()));
    }
}
