//! Recording a check on the device: the reference data it keeps (`GET /api/v1/reference`), the
//! order it offers staff and themes in, and the check form read into a `SubmittedCheck` and back
//! (for a draft, or a refused check being corrected). The browser does only the DOM work.

use super::check::{
    Amendment, CheckDetails, MAX_CHECK_TEXT_CHARS, MAX_CLOCK_SKEW_MS, MAX_NOTES_SAMPLED, Rating, SubmittedCheck,
};
use super::cycle::{RecheckNeeds, recheck_due, recheck_due_in_words};
use super::shift::{ShiftKind, ShiftPattern, ShiftPlacement};
use super::theme::{CheckKind, Criterion};
use super::wall_clock::WallTime;
use crate::error::FieldError;
use crate::form::FormFields;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a device needs to record checks offline, for the user's services.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Reference {
    pub services: Vec<ReferenceService>,
    pub staff: Vec<ReferenceStaff>,
    pub themes: Vec<ReferenceTheme>,
    /// What the improving cycles of these services still need from re-checks. Reference data
    /// kept by an earlier release has none.
    #[serde(default)]
    pub rechecks: Vec<ReferenceRecheck>,
}

/// An improving cycle, as a device keeps it to offer its re-checks on the shifts that can give
/// them (`docs/domain.md` §6).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReferenceRecheck {
    pub cycle_id: Uuid,
    pub service_id: Uuid,
    pub theme_id: Uuid,
    pub staff_ids: Vec<Uuid>,
    pub needs: RecheckNeeds,
    /// Whoever led the cycle's actions, by name, for "not by …".
    pub leader_names: Vec<String>,
}

/// A re-check to offer first: a check of this staff member on this theme, now, would count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueRecheck {
    pub staff_id: Uuid,
    pub service_id: Uuid,
    pub theme_id: Uuid,
    /// "Re-check Dorota Nowak on respectful communication: unannounced, not by Bethan Pryce"
    pub words: String,
}

/// The re-checks a check by `observer` now would count towards, one for each current staff
/// member of each improving cycle whose name matches `search`, given where now falls in each
/// service's rota (`placement`).
pub fn rechecks_due(
    reference: &Reference,
    observer: Uuid,
    search: &str,
    placement: impl Fn(Uuid) -> Option<ShiftPlacement>,
) -> Vec<DueRecheck> {
    let mut due = Vec::new();
    for recheck in &reference.rechecks {
        let Some(now) = placement(recheck.service_id) else { continue };
        let Some(ask) = recheck_due(&recheck.needs, now.kind, now.weekend, observer) else { continue };
        let Some(theme) = reference.themes.iter().find(|theme| theme.id == recheck.theme_id) else { continue };
        for staff_id in &recheck.staff_ids {
            let member =
                reference.staff.iter().find(|member| member.id == *staff_id && member.service_id == recheck.service_id);
            if let Some(member) = member.filter(|member| name_matches(&member.name, search)) {
                due.push(DueRecheck {
                    staff_id: member.id,
                    service_id: recheck.service_id,
                    theme_id: theme.id,
                    words: recheck_due_in_words(&member.name, &theme.name, &ask, &recheck.leader_names),
                });
            }
        }
    }
    due
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReferenceService {
    pub id: Uuid,
    pub name: String,
    /// IANA time zone name: the service's wall clock.
    pub time_zone: String,
    /// The shifts (kind, start, end as HH:MM) and the weekend days.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub shift_pattern: ShiftPattern,
}

/// A current member of staff, once for each of the user's services they work at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReferenceStaff {
    pub id: Uuid,
    pub name: String,
    pub service_id: Uuid,
    /// When anyone last recorded a check of them at this service, in the last fortnight
    /// (milliseconds since 1970, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_observed_ms: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReferenceTheme {
    pub id: Uuid,
    pub name: String,
    pub kind: CheckKind,
    pub expected_standard: String,
    pub criteria: Vec<Criterion>,
    /// The version these criteria belong to; a check rated on them says so. Reference data
    /// kept by an earlier release has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
}

/// How far back "recently observed" reaches.
pub const RECENT_MS: i64 = 14 * 24 * 3_600_000;
/// Choices the device remembers, beyond which the oldest are forgotten.
const REMEMBERED_CHOICES: usize = 200;

/// Whom and what this device last recorded, so that they come first next time.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentChoices {
    /// (staff id, service id, when), newest first.
    pub staff: Vec<(Uuid, Uuid, i64)>,
    /// (theme id, when), newest first.
    pub themes: Vec<(Uuid, i64)>,
}

impl RecentChoices {
    pub fn note(&mut self, staff_id: Uuid, service_id: Uuid, theme_id: Uuid, now_ms: i64) {
        self.staff.retain(|(staff, service, _)| (*staff, *service) != (staff_id, service_id));
        self.staff.insert(0, (staff_id, service_id, now_ms));
        self.staff.truncate(REMEMBERED_CHOICES);
        self.themes.retain(|(theme, _)| *theme != theme_id);
        self.themes.insert(0, (theme_id, now_ms));
        self.themes.truncate(REMEMBERED_CHOICES);
    }

    fn staff_seen_ms(&self, member: &ReferenceStaff) -> Option<i64> {
        let here = self.staff.iter().find(|(staff, service, _)| (*staff, *service) == (member.id, member.service_id));
        here.map(|(_, _, at)| *at).max(member.last_observed_ms)
    }
}

/// Where a member of staff is offered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum StaffGroup {
    /// Observed since the current shift began: the people on the floor now.
    ThisShift,
    /// Observed in the last fortnight.
    Recently,
    Everyone,
}

impl StaffGroup {
    pub fn heading(self) -> &'static str {
        match self {
            StaffGroup::ThisShift => "Observed this shift",
            StaffGroup::Recently => "Observed recently",
            StaffGroup::Everyone => "Everyone",
        }
    }
}

/// Whether every word typed appears in the name, ignoring case.
pub fn name_matches(name: &str, search: &str) -> bool {
    let name = name.to_lowercase();
    search.to_lowercase().split_whitespace().all(|word| name.contains(word))
}

/// The staff matching `search`, grouped: observed this shift (since `shift_began_ms`, per
/// service), observed recently, then everyone else; the most recently observed first within a
/// group, then by name.
pub fn staff_in_order<'a>(
    reference: &'a Reference,
    recent: &RecentChoices,
    search: &str,
    shift_began_ms: impl Fn(Uuid) -> i64,
    now_ms: i64,
) -> Vec<(StaffGroup, &'a ReferenceStaff)> {
    let mut found: Vec<(StaffGroup, i64, &ReferenceStaff)> = reference
        .staff
        .iter()
        .filter(|member| name_matches(&member.name, search))
        .map(|member| {
            let seen = recent.staff_seen_ms(member);
            let group = match seen {
                Some(at) if at >= shift_began_ms(member.service_id) => StaffGroup::ThisShift,
                Some(at) if at >= now_ms - RECENT_MS => StaffGroup::Recently,
                _ => StaffGroup::Everyone,
            };
            (group, if group == StaffGroup::Everyone { 0 } else { seen.unwrap_or(0) }, member)
        })
        .collect();
    found.sort_by(|a, b| (a.0, std::cmp::Reverse(a.1), &a.2.name).cmp(&(b.0, std::cmp::Reverse(b.1), &b.2.name)));
    found.into_iter().map(|(group, _, member)| (group, member)).collect()
}

/// The themes, the last used on this device first, then by name.
pub fn themes_in_order<'a>(reference: &'a Reference, recent: &RecentChoices) -> Vec<&'a ReferenceTheme> {
    let mut themes: Vec<&ReferenceTheme> = reference.themes.iter().collect();
    let used = |theme: &ReferenceTheme| recent.themes.iter().position(|(id, _)| *id == theme.id).unwrap_or(usize::MAX);
    themes.sort_by(|a, b| (used(a), &a.name).cmp(&(used(b), &b.name)));
    themes
}

/// The moment the shift on duty at `now_ms` began, for "observed this shift".
pub fn shift_began_ms(pattern: &ShiftPattern, now_ms: i64, offset_at: impl Fn(i64) -> i64) -> i64 {
    let wall = WallTime::at(now_ms, &offset_at);
    let placement = pattern.place(wall.weekday(), wall.clock_time());
    let start = pattern
        .shifts()
        .iter()
        .find(|shift| shift.kind == placement.kind)
        .map_or(0, |shift| shift.start.minutes_after_midnight());
    let minutes_into = (i64::from(wall.clock_time().minutes_after_midnight()) - i64::from(start)).rem_euclid(24 * 60);
    now_ms - minutes_into * 60_000 - now_ms.rem_euclid(60_000)
}

/// The check being recorded: who, what, where, under which id, and the form as filled so far.
/// Kept on the device after every change, so a reload or a closed tab loses nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub check_id: Uuid,
    pub service_id: Uuid,
    pub staff_id: Uuid,
    pub theme_id: Uuid,
    /// The check this one corrects, when it is a correction of a kept check.
    #[serde(default)]
    pub amends: Option<Uuid>,
    pub fields: FormFields,
}

/// Field names in the check form.
pub mod field {
    pub const OBSERVED_AT: &str = "observed_at";
    pub const SHIFT: &str = "shift";
    pub const WEEKEND: &str = "weekend";
    pub const ANNOUNCED: &str = "announced";
    pub const AMEND_REASON: &str = "amend_reason";

    pub fn rating(criterion: uuid::Uuid) -> String {
        format!("rating-{criterion}")
    }
}

pub const NOT_APPLICABLE: &str = "na";
pub const YES: &str = "yes";
pub const NO: &str = "no";

fn yes_no(value: bool) -> &'static str {
    if value { YES } else { NO }
}

/// What the form needs beyond its fields to make a check.
pub struct CheckTarget<'a> {
    pub draft: &'a Draft,
    pub theme: &'a ReferenceTheme,
    pub pattern: &'a ShiftPattern,
}

/// Collects refusals, each for one field.
#[derive(Default)]
struct Refusals(Vec<FieldError>);

impl Refusals {
    fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError { field: field.into(), message: message.into() });
    }

    fn text(&mut self, fields: &FormFields, name: &str) -> String {
        let text = fields.text(name).trim().to_owned();
        if text.chars().count() > MAX_CHECK_TEXT_CHARS {
            self.add(name, format!("Keep this to {MAX_CHECK_TEXT_CHARS} characters; it has {}.", text.chars().count()));
        }
        text
    }

    fn choice(&mut self, fields: &FormFields, name: &str, question: &str) -> bool {
        match fields.text(name) {
            YES => true,
            NO => false,
            _ => {
                self.add(name, format!("Choose yes or no: {question}"));
                false
            }
        }
    }

    fn count(&mut self, fields: &FormFields, name: &str, what: &str) -> u32 {
        match fields.text(name).trim().parse::<u32>() {
            Ok(count) if count <= MAX_NOTES_SAMPLED => count,
            Ok(_) => {
                self.add(name, format!("At most {MAX_NOTES_SAMPLED}."));
                0
            }
            Err(_) => {
                self.add(name, format!("Enter {what} as a whole number, such as 5."));
                0
            }
        }
    }
}

/// Where the shift pattern places an observed-at time.
pub fn placement_of(pattern: &ShiftPattern, observed_at: WallTime) -> ShiftPlacement {
    pattern.place(observed_at.weekday(), observed_at.clock_time())
}

/// Reads the filled form into a check, or says field by field what needs correcting. The shift
/// and weekend are sent only when the shift leader changed them from the pattern's answer.
pub fn read_check(
    fields: &FormFields,
    target: &CheckTarget,
    now_ms: i64,
    offset_at: impl Fn(i64) -> i64,
) -> Result<SubmittedCheck, Vec<FieldError>> {
    let mut refusals = Refusals::default();
    let mut observed_at = String::new();
    let mut placement = None;
    match WallTime::parse(fields.text(field::OBSERVED_AT)) {
        None => refusals.add(field::OBSERVED_AT, "Enter the date and time you observed this."),
        Some(wall) => {
            let (at_ms, offset) = wall.moment(&offset_at);
            if at_ms > now_ms + MAX_CLOCK_SKEW_MS {
                refusals.add(field::OBSERVED_AT, "This time has not happened yet.");
            }
            observed_at = wall.to_rfc3339(offset);
            placement = Some(placement_of(target.pattern, wall));
        }
    }
    let chosen_shift = ShiftKind::from_code(fields.text(field::SHIFT));
    let weekend = fields.text(field::WEEKEND) == YES;
    let announced = fields.text(field::ANNOUNCED) == YES;
    let mut ratings = Vec::new();
    for criterion in &target.theme.criteria {
        let name = field::rating(criterion.id);
        let score = match fields.text(&name) {
            NOT_APPLICABLE => Some(None),
            raw => raw.parse::<u8>().ok().filter(|score| (1..=4).contains(score)).map(Some),
        };
        match score {
            Some(score) => ratings.push(Rating { criterion_id: criterion.id, score }),
            None => refusals.add(name, format!("Rate “{}” 1 to 4, or choose N/A.", criterion.title)),
        }
    }
    let details = match target.theme.kind {
        CheckKind::Observation => CheckDetails::Observation {
            examples: refusals.text(fields, "examples"),
            person_response: refusals.text(fields, "person_response"),
            feedback_given: refusals.choice(fields, "feedback_given", "was feedback given there and then?"),
            feedback: refusals.text(fields, "feedback"),
        },
        CheckKind::RecordSample => {
            let notes_sampled = refusals.count(fields, "notes_sampled", "the number of notes sampled");
            let notes_clear = refusals.count(fields, "notes_clear", "how many were clear");
            let notes_vague = refusals.count(fields, "notes_vague", "how many were vague");
            if notes_clear + notes_vague > notes_sampled {
                refusals.add("notes_vague", "Clear and vague notes together cannot be more than the notes sampled.");
            }
            CheckDetails::RecordSample {
                notes_sampled,
                notes_clear,
                notes_vague,
                alignment: refusals.text(fields, "alignment"),
                examples: refusals.text(fields, "examples"),
            }
        }
        CheckKind::DistressEpisode => CheckDetails::DistressEpisode {
            trigger: refusals.text(fields, "trigger"),
            agreed_approach_used: refusals.choice(fields, "agreed_approach_used", "was the agreed approach used?"),
            de_escalation_language: refusals.text(fields, "de_escalation_language"),
            outcome: refusals.text(fields, "outcome"),
        },
    };
    let amends =
        target.draft.amends.map(|check_id| Amendment { check_id, reason: refusals.text(fields, field::AMEND_REASON) });
    if amends.as_ref().is_some_and(|amendment| amendment.reason.is_empty()) {
        refusals.add(field::AMEND_REASON, "Say what this correction puts right.");
    }
    if !refusals.0.is_empty() {
        return Err(refusals.0);
    }
    let placement = placement.expect("a valid observed-at time has a placement");
    Ok(SubmittedCheck {
        id: target.draft.check_id,
        service_id: target.draft.service_id,
        staff_id: target.draft.staff_id,
        theme_id: target.draft.theme_id,
        observed_at,
        announced,
        shift: chosen_shift.filter(|kind| *kind != placement.kind),
        weekend: (weekend != placement.weekend).then_some(weekend),
        ratings,
        details,
        amends,
        theme_version: target.theme.version,
    })
}

/// A check back into the form's fields, to correct it: observed-at on the service's clock
/// (`offset_at`), whatever offset the check was written with.
pub fn fields_of(check: &SubmittedCheck, pattern: &ShiftPattern, offset_at: impl Fn(i64) -> i64) -> FormFields {
    let wall = WallTime::parse_moment(&check.observed_at).map(|moment| WallTime::at(moment, offset_at));
    let placement = wall.map(|wall| placement_of(pattern, wall));
    let mut fields = FormFields::default()
        .with(field::OBSERVED_AT, &wall.map(WallTime::to_input_value).unwrap_or_default())
        .with(field::ANNOUNCED, yes_no(check.announced));
    if let Some(shift) = check.shift.or(placement.map(|placement| placement.kind)) {
        fields = fields.with(field::SHIFT, shift.code());
    }
    fields = fields.with(field::WEEKEND, yes_no(check.weekend.or(placement.map(|p| p.weekend)).unwrap_or(false)));
    for rating in &check.ratings {
        let value = rating.score.map_or(NOT_APPLICABLE.to_owned(), |score| score.to_string());
        fields = fields.with(&field::rating(rating.criterion_id), &value);
    }
    for (name, value) in detail_values(&check.details) {
        fields = fields.with(name, &value);
    }
    if let Some(amendment) = &check.amends {
        fields = fields.with(field::AMEND_REASON, &amendment.reason);
    }
    fields
}

/// The kind's fields by their names in the form and the API, as the form holds them: yes or no
/// for a question, digits for a count.
pub fn detail_values(details: &CheckDetails) -> Vec<(&'static str, String)> {
    match details {
        CheckDetails::Observation { examples, person_response, feedback_given, feedback } => vec![
            ("feedback_given", yes_no(*feedback_given).to_owned()),
            ("feedback", feedback.clone()),
            ("examples", examples.clone()),
            ("person_response", person_response.clone()),
        ],
        CheckDetails::RecordSample { notes_sampled, notes_clear, notes_vague, alignment, examples } => vec![
            ("notes_sampled", notes_sampled.to_string()),
            ("notes_clear", notes_clear.to_string()),
            ("notes_vague", notes_vague.to_string()),
            ("alignment", alignment.clone()),
            ("examples", examples.clone()),
        ],
        CheckDetails::DistressEpisode { trigger, agreed_approach_used, de_escalation_language, outcome } => vec![
            ("trigger", trigger.clone()),
            ("agreed_approach_used", yes_no(*agreed_approach_used).to_owned()),
            ("de_escalation_language", de_escalation_language.clone()),
            ("outcome", outcome.clone()),
        ],
    }
}

/// A new, empty form: observed now, the pattern's shift, unannounced.
pub fn new_fields(pattern: &ShiftPattern, now: WallTime) -> FormFields {
    let placement = placement_of(pattern, now);
    FormFields::default()
        .with(field::OBSERVED_AT, &now.to_input_value())
        .with(field::SHIFT, placement.kind.code())
        .with(field::WEEKEND, yes_no(placement.weekend))
        .with(field::ANNOUNCED, NO)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::shift::ShiftPattern;

    fn gmt(_: i64) -> i64 {
        0
    }

    fn criterion(n: u128, title: &str) -> Criterion {
        Criterion { id: Uuid::from_u128(n), title: title.to_owned(), descriptors: Default::default() }
    }

    fn theme(kind: CheckKind) -> ReferenceTheme {
        ReferenceTheme {
            id: Uuid::from_u128(100),
            name: "Respectful communication".to_owned(),
            kind,
            expected_standard: String::new(),
            criteria: vec![criterion(1, "Pace"), criterion(2, "Choice offered")],
            version: Some(3),
        }
    }

    fn draft(amends: Option<Uuid>) -> Draft {
        Draft {
            check_id: Uuid::from_u128(7),
            service_id: Uuid::from_u128(8),
            staff_id: Uuid::from_u128(9),
            theme_id: Uuid::from_u128(100),
            amends,
            fields: FormFields::default(),
        }
    }

    /// 26 November 2026, 14:00 UTC (a Thursday, GMT).
    const NOW: i64 = 1_795_701_600_000;

    fn filled(pairs: &[(&str, &str)]) -> FormFields {
        let pattern = ShiftPattern::care_home_default();
        let mut fields = new_fields(&pattern, WallTime::parse("2026-11-26T10:30").unwrap());
        for (name, value) in pairs {
            fields.0.retain(|(field, _)| field != name);
            fields = fields.with(name, value);
        }
        fields
    }

    fn rated() -> Vec<(String, String)> {
        vec![
            (field::rating(Uuid::from_u128(1)), "3".into()),
            (field::rating(Uuid::from_u128(2)), NOT_APPLICABLE.into()),
        ]
    }

    fn read(kind: CheckKind, pairs: &[(&str, &str)], amends: Option<Uuid>) -> Result<SubmittedCheck, Vec<FieldError>> {
        let pattern = ShiftPattern::care_home_default();
        let theme = theme(kind);
        let draft = draft(amends);
        let ratings = rated();
        let mut all: Vec<(&str, &str)> = ratings.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        all.extend_from_slice(pairs);
        let fields = filled(&all);
        read_check(&fields, &CheckTarget { draft: &draft, theme: &theme, pattern: &pattern }, NOW, gmt)
    }

    fn refused_fields(result: Result<SubmittedCheck, Vec<FieldError>>) -> Vec<String> {
        result.expect_err("refused").into_iter().map(|error| error.field).collect()
    }

    #[test]
    fn a_standard_observation_reads_into_a_check_with_the_pattern_shift_left_to_the_server() {
        let check = read(CheckKind::Observation, &[("feedback_given", YES)], None).expect("complete");
        assert_eq!(check.id, Uuid::from_u128(7));
        assert_eq!(check.observed_at, "2026-11-26T10:30:00+00:00");
        assert!(!check.announced, "unannounced unless said otherwise");
        assert_eq!(check.shift, None);
        assert_eq!(check.weekend, None);
        assert_eq!(
            check.ratings,
            [
                Rating { criterion_id: Uuid::from_u128(1), score: Some(3) },
                Rating { criterion_id: Uuid::from_u128(2), score: None },
            ]
        );
        assert_eq!(
            check.details,
            CheckDetails::Observation {
                examples: String::new(),
                person_response: String::new(),
                feedback_given: true,
                feedback: String::new(),
            }
        );
    }

    #[test]
    fn a_changed_shift_or_weekend_is_sent() {
        let check =
            read(CheckKind::Observation, &[("feedback_given", NO), ("shift", "late"), ("weekend", YES)], None).unwrap();
        assert_eq!(check.shift, Some(ShiftKind::Late));
        assert_eq!(check.weekend, Some(true));
    }

    #[test]
    fn every_criterion_and_the_yes_no_questions_must_be_answered() {
        let pattern = ShiftPattern::care_home_default();
        let theme = theme(CheckKind::Observation);
        let draft = draft(None);
        let fields = filled(&[(field::rating(Uuid::from_u128(1)).as_str(), "5")]);
        let refused = read_check(&fields, &CheckTarget { draft: &draft, theme: &theme, pattern: &pattern }, NOW, gmt)
            .expect_err("incomplete");
        let messages: Vec<&str> = refused.iter().map(|error| error.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "Rate “Pace” 1 to 4, or choose N/A.",
                "Rate “Choice offered” 1 to 4, or choose N/A.",
                "Choose yes or no: was feedback given there and then?",
            ]
        );
    }

    #[test]
    fn observed_at_must_be_a_time_that_has_happened() {
        assert_eq!(
            refused_fields(read(CheckKind::Observation, &[("feedback_given", NO), ("observed_at", "")], None)),
            ["observed_at"]
        );
        let tomorrow = &[("feedback_given", NO), ("observed_at", "2026-11-27T10:00")];
        assert_eq!(refused_fields(read(CheckKind::Observation, tomorrow, None)), ["observed_at"]);
        let five_minutes_ahead = &[("feedback_given", NO), ("observed_at", "2026-11-26T14:05")];
        assert!(read(CheckKind::Observation, five_minutes_ahead, None).is_ok(), "within clock skew");
    }

    #[test]
    fn record_samples_count_notes_that_add_up() {
        let good = [("notes_sampled", "5"), ("notes_clear", "3"), ("notes_vague", "2"), ("alignment", "Matches")];
        let check = read(CheckKind::RecordSample, &good, None).unwrap();
        assert!(matches!(
            check.details,
            CheckDetails::RecordSample { notes_sampled: 5, notes_clear: 3, notes_vague: 2, .. }
        ));
        let too_many = [("notes_sampled", "5"), ("notes_clear", "4"), ("notes_vague", "2")];
        assert_eq!(refused_fields(read(CheckKind::RecordSample, &too_many, None)), ["notes_vague"]);
        let missing = [("notes_sampled", "five"), ("notes_clear", ""), ("notes_vague", "0")];
        assert_eq!(refused_fields(read(CheckKind::RecordSample, &missing, None)), ["notes_sampled", "notes_clear"]);
    }

    #[test]
    fn distress_episodes_ask_whether_the_agreed_approach_was_used() {
        assert_eq!(
            refused_fields(read(CheckKind::DistressEpisode, &[("trigger", "Noise")], None)),
            ["agreed_approach_used"]
        );
        let check =
            read(CheckKind::DistressEpisode, &[("agreed_approach_used", YES), ("outcome", "Settled")], None).unwrap();
        assert!(matches!(check.details, CheckDetails::DistressEpisode { agreed_approach_used: true, .. }));
    }

    #[test]
    fn long_text_is_refused_at_its_field() {
        let long = "x".repeat(MAX_CHECK_TEXT_CHARS + 1);
        assert_eq!(
            refused_fields(read(CheckKind::Observation, &[("feedback_given", NO), ("examples", &long)], None)),
            ["examples"]
        );
    }

    #[test]
    fn a_correction_needs_its_reason() {
        let original = Uuid::from_u128(55);
        assert_eq!(
            refused_fields(read(CheckKind::Observation, &[("feedback_given", NO)], Some(original))),
            ["amend_reason"]
        );
        let check =
            read(CheckKind::Observation, &[("feedback_given", NO), ("amend_reason", "Wrong person")], Some(original))
                .unwrap();
        assert_eq!(check.amends, Some(Amendment { check_id: original, reason: "Wrong person".into() }));
    }

    #[test]
    fn a_check_goes_back_into_the_form_unchanged() {
        let pattern = ShiftPattern::care_home_default();
        let amended = Some(Uuid::from_u128(3));
        for (kind, pairs) in [
            (
                CheckKind::Observation,
                vec![("feedback_given", YES), ("examples", "Knocked"), ("shift", "night"), ("announced", YES)],
            ),
            (CheckKind::RecordSample, vec![("notes_sampled", "4"), ("notes_clear", "4"), ("notes_vague", "0")]),
            (CheckKind::DistressEpisode, vec![("agreed_approach_used", NO), ("weekend", YES)]),
        ] {
            let mut pairs = pairs;
            pairs.push(("amend_reason", "Wrong theme"));
            let check = read(kind, &pairs, amended).expect("complete");
            let theme = theme(kind);
            let draft = draft(amended);
            let target = CheckTarget { draft: &draft, theme: &theme, pattern: &pattern };
            assert_eq!(read_check(&fields_of(&check, &pattern, gmt), &target, NOW, gmt), Ok(check), "{kind:?}");
        }
    }

    #[test]
    fn a_check_written_in_utc_is_corrected_on_the_services_clock() {
        let pattern = ShiftPattern::care_home_default();
        let mut check = read(CheckKind::Observation, &[("feedback_given", NO)], None).unwrap();
        check.observed_at = "2026-06-01T13:05:00Z".to_owned();
        let british_summer_time = |_| 60;
        assert_eq!(fields_of(&check, &pattern, british_summer_time).text(field::OBSERVED_AT), "2026-06-01T14:05");
    }

    fn member(n: u128, name: &str, last_observed_ms: Option<i64>) -> ReferenceStaff {
        ReferenceStaff {
            id: Uuid::from_u128(n),
            name: name.to_owned(),
            service_id: Uuid::from_u128(8),
            last_observed_ms,
        }
    }

    #[test]
    fn staff_observed_this_shift_then_recently_then_everyone_by_name() {
        let hour = 3_600_000;
        let reference = Reference {
            staff: vec![
                member(1, "Zara Ahmed", None),
                member(2, "Amy Brown", Some(NOW - 20 * 24 * hour)),
                member(3, "Ben Cole", Some(NOW - 3 * 24 * hour)),
                member(4, "Cara Dunn", Some(NOW - hour)),
                member(5, "Dev Patel", None),
            ],
            ..Reference::default()
        };
        let mut recent = RecentChoices::default();
        recent.note(Uuid::from_u128(5), Uuid::from_u128(8), Uuid::from_u128(100), NOW - 10 * 60_000);
        let shift_began = |_| NOW - 7 * hour;
        let order: Vec<(StaffGroup, &str)> = staff_in_order(&reference, &recent, "", shift_began, NOW)
            .into_iter()
            .map(|(group, member)| (group, member.name.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                (StaffGroup::ThisShift, "Dev Patel"),
                (StaffGroup::ThisShift, "Cara Dunn"),
                (StaffGroup::Recently, "Ben Cole"),
                (StaffGroup::Everyone, "Amy Brown"),
                (StaffGroup::Everyone, "Zara Ahmed"),
            ]
        );
        let searched: Vec<&str> = staff_in_order(&reference, &recent, " ahm  ZA", shift_began, NOW)
            .iter()
            .map(|(_, m)| m.name.as_str())
            .collect();
        assert_eq!(searched, ["Zara Ahmed"]);
    }

    #[test]
    fn rechecks_due_on_this_shift_come_with_what_they_should_be() {
        use crate::domain::cycle::{Missing, RecheckNeeds};
        let coach = Uuid::from_u128(40);
        let leader = Uuid::from_u128(41);
        let service = Uuid::from_u128(8);
        let recheck = |n: u128, staff: Vec<Uuid>, missing: Vec<Missing>| ReferenceRecheck {
            cycle_id: Uuid::from_u128(n),
            service_id: service,
            theme_id: Uuid::from_u128(100),
            staff_ids: staff,
            needs: RecheckNeeds { missing, seen_shifts: vec![ShiftKind::Early], action_leaders: vec![coach] },
            leader_names: vec!["Bethan Pryce".into()],
        };
        let reference = Reference {
            staff: vec![member(1, "Dorota Nowak", None), member(2, "Amir Khan", None), member(3, "Cara Dunn", None)],
            themes: vec![theme(CheckKind::Observation)],
            rechecks: vec![
                recheck(
                    60,
                    vec![Uuid::from_u128(1)],
                    vec![Missing::Unannounced { count: 1 }, Missing::Independent { count: 1 }],
                ),
                // A group, one of whom has left this device's list.
                recheck(61, vec![Uuid::from_u128(2), Uuid::from_u128(99)], vec![Missing::PressureChecks { count: 1 }]),
                // Only time is missing: no check now helps.
                recheck(62, vec![Uuid::from_u128(3)], vec![Missing::Days { count: 9 }]),
            ],
            ..Reference::default()
        };
        let night = |_| Some(ShiftPlacement { kind: ShiftKind::Night, weekend: false });
        let words = |observer, search: &str, placement: &dyn Fn(Uuid) -> Option<ShiftPlacement>| {
            rechecks_due(&reference, observer, search, placement).into_iter().map(|due| due.words).collect::<Vec<_>>()
        };
        assert_eq!(
            words(leader, "", &night),
            [
                "Re-check Dorota Nowak on respectful communication: unannounced, not by Bethan Pryce",
                "Re-check Amir Khan on respectful communication",
            ]
        );
        let early_weekday = |_| Some(ShiftPlacement { kind: ShiftKind::Early, weekend: false });
        assert_eq!(words(leader, "", &early_weekday).len(), 1, "no evening, night or weekend check on an early shift");
        assert_eq!(words(leader, "amir", &night), ["Re-check Amir Khan on respectful communication"]);
        let due = rechecks_due(&reference, leader, "", night);
        assert_eq!(
            (due[0].staff_id, due[0].service_id, due[0].theme_id),
            (Uuid::from_u128(1), service, Uuid::from_u128(100))
        );
        // The coach could give the unannounced check, though not the independent one.
        assert_eq!(words(coach, "dorota", &night).len(), 1);
        assert!(words(leader, "", &|_| None).is_empty(), "a service this device does not know");
    }

    #[test]
    fn themes_last_used_first() {
        let named = |n: u128, name: &str| ReferenceTheme {
            id: Uuid::from_u128(n),
            name: name.into(),
            ..theme(CheckKind::Observation)
        };
        let reference = Reference { themes: vec![named(1, "B"), named(2, "A"), named(3, "C")], ..Reference::default() };
        let mut recent = RecentChoices::default();
        recent.note(Uuid::from_u128(9), Uuid::from_u128(8), Uuid::from_u128(3), 1);
        recent.note(Uuid::from_u128(9), Uuid::from_u128(8), Uuid::from_u128(1), 2);
        let order: Vec<&str> = themes_in_order(&reference, &recent).iter().map(|theme| theme.name.as_str()).collect();
        assert_eq!(order, ["B", "C", "A"]);
        assert_eq!(recent.staff.len(), 1, "one entry a person");
    }

    #[test]
    fn the_current_shift_began_at_its_start_even_across_midnight() {
        let pattern = ShiftPattern::care_home_default();
        let at = |text: &str| WallTime::parse(text).unwrap().moment(gmt).0;
        assert_eq!(shift_began_ms(&pattern, at("2026-11-26T10:30") + 15_000, gmt), at("2026-11-26T07:00"));
        assert_eq!(shift_began_ms(&pattern, at("2026-11-27T03:00"), gmt), at("2026-11-26T21:00"));
        assert_eq!(
            shift_began_ms(&pattern, at("2026-11-26T14:10"), gmt),
            at("2026-11-26T14:00"),
            "handover: the late shift"
        );
    }
}
