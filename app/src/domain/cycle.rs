//! Improvement cycles (`docs/domain.md` §2 and §6): one record holding a concern about one staff
//! member's practice (or a named group's) on one practice theme, the expected standard set for
//! it, the actions taken, the live re-checks that followed, and the governance review that
//! decides whether the change held. The verdict is never typed in: [`judge`] works it out from
//! the current checks and the service's sustainment rule, every time it is shown, until the
//! registered manager closes the cycle and freezes it.

use super::audit::Author;
use super::check::{StoredCheck, assess};
use super::cqc::EvidenceCategory;
use super::organisation::StaffMember;
use super::shift::ShiftKind;
use super::theme::{CheckKind, PracticeTheme};
use super::wall_clock::CalendarDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What raised the concern, beside the checks kept in Recheck.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A check kept in Recheck (its id is given).
    Check,
    Observation,
    Feedback,
    Audit,
    IncidentReview,
    CareRecords,
}

impl SourceKind {
    /// The kinds a person chooses from; checks are linked, not described.
    pub const DESCRIBED: [SourceKind; 5] = [
        SourceKind::Observation,
        SourceKind::Feedback,
        SourceKind::Audit,
        SourceKind::IncidentReview,
        SourceKind::CareRecords,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Check => "Spot check",
            SourceKind::Observation => "Observation",
            SourceKind::Feedback => "Feedback",
            SourceKind::Audit => "Audit",
            SourceKind::IncidentReview => "Incident review",
            SourceKind::CareRecords => "Care records",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            SourceKind::Check => "check",
            SourceKind::Observation => "observation",
            SourceKind::Feedback => "feedback",
            SourceKind::Audit => "audit",
            SourceKind::IncidentReview => "incident_review",
            SourceKind::CareRecords => "care_records",
        }
    }

    pub fn from_code(code: &str) -> Option<SourceKind> {
        [SourceKind::Check].into_iter().chain(SourceKind::DESCRIBED).find(|kind| kind.code() == code)
    }
}

/// One piece of the evidence that raised the concern.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SourceEvidence {
    pub kind: SourceKind,
    /// The check, for a source of kind `check`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_id: Option<Uuid>,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "2026-11-02"))]
    pub date: CalendarDate,
    pub description: String,
}

/// Step 2: what the staff must do from now on, and how it will be judged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExpectedStandard {
    /// The theme's standard, made specific to this concern.
    pub standard: String,
    /// The criteria re-checks are judged on (ids of the theme's criteria).
    pub focus_criteria: Vec<Uuid>,
    pub changes_required: String,
    /// The user who sees the cycle through.
    pub owner_id: Uuid,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub target_date: CalendarDate,
    pub set_by: Author,
    pub set_at_ms: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Coaching,
    Supervision,
    PracticeBriefing,
    /// Working through real examples with the staff.
    Modelling,
    Training,
}

impl ActionKind {
    pub const ALL: [ActionKind; 5] = [
        ActionKind::Coaching,
        ActionKind::Supervision,
        ActionKind::PracticeBriefing,
        ActionKind::Modelling,
        ActionKind::Training,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ActionKind::Coaching => "Coaching",
            ActionKind::Supervision => "Supervision",
            ActionKind::PracticeBriefing => "Practice briefing",
            ActionKind::Modelling => "Modelling with real examples",
            ActionKind::Training => "Training",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ActionKind::Coaching => "coaching",
            ActionKind::Supervision => "supervision",
            ActionKind::PracticeBriefing => "practice_briefing",
            ActionKind::Modelling => "modelling",
            ActionKind::Training => "training",
        }
    }

    pub fn from_code(code: &str) -> Option<ActionKind> {
        ActionKind::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

/// Step 3: one targeted action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CycleAction {
    pub id: Uuid,
    pub kind: ActionKind,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub date: CalendarDate,
    /// The user who led it: re-checks by someone else count as independent.
    pub led_by: Uuid,
    /// The staff who took part.
    pub attendees: Vec<Uuid>,
    pub guidance: String,
    /// How the staff member responded, or their acknowledgement.
    pub response: String,
    pub expected_points: String,
    pub recorded_by: Author,
    pub recorded_at_ms: i64,
}

/// What a service asks of re-checks before an improvement can be relied on (`docs/domain.md`
/// §6). Every counted re-check must also meet the standard on the cycle's focus criteria; that
/// part is not a setting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SustainmentRule {
    pub min_rechecks: u32,
    /// Days from the first action to the latest re-check.
    pub min_days: u32,
    /// Different shift types (early, late, long day, night) among the re-checks.
    pub min_shift_types: u32,
    /// Re-checks on a late or night shift or at the weekend.
    pub min_pressure_checks: u32,
    pub min_unannounced: u32,
    /// Re-checks by someone who led none of the actions.
    pub min_independent: u32,
    /// Days after closing in which a check below the standard reopens the question.
    pub watch_days: u32,
}

impl Default for SustainmentRule {
    /// At least 3 re-checks over at least 28 days, on 2 shift types with one evening, night or
    /// weekend check, one unannounced, one by someone other than whoever led the actions; a
    /// 90-day watch after closing.
    fn default() -> Self {
        SustainmentRule {
            min_rechecks: 3,
            min_days: 28,
            min_shift_types: 2,
            min_pressure_checks: 1,
            min_unannounced: 1,
            min_independent: 1,
            watch_days: 90,
        }
    }
}

/// A refusal that belongs to one field of a form (its name there) and says why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub message: String,
}

fn problem(field: &'static str, message: impl Into<String>) -> Problem {
    Problem { field, message: message.into() }
}

pub const MAX_RULE_RECHECKS: u32 = 20;
pub const MAX_RULE_DAYS: u32 = 365;

impl SustainmentRule {
    /// Why this rule could never be met, or is out of range; empty when it can be.
    pub fn problems(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        if !(1..=MAX_RULE_RECHECKS).contains(&self.min_rechecks) {
            problems.push(problem("min_rechecks", format!("Ask for 1 to {MAX_RULE_RECHECKS} re-checks.")));
        }
        if self.min_days > MAX_RULE_DAYS {
            problems.push(problem("min_days", format!("Ask for at most {MAX_RULE_DAYS} days.")));
        }
        if self.watch_days > MAX_RULE_DAYS {
            problems.push(problem("watch_days", format!("Watch for at most {MAX_RULE_DAYS} days.")));
        }
        let shift_types = ShiftKind::ALL.len() as u32;
        if !(1..=shift_types).contains(&self.min_shift_types) {
            problems.push(problem("min_shift_types", format!("Ask for 1 to {shift_types} shift types.")));
        } else if self.min_shift_types > self.min_rechecks {
            problems.push(problem("min_shift_types", "More shift types than re-checks can never be met."));
        }
        let parts = [
            ("min_pressure_checks", self.min_pressure_checks, "evening, night or weekend checks"),
            ("min_unannounced", self.min_unannounced, "unannounced checks"),
            ("min_independent", self.min_independent, "checks by someone who led no action"),
        ];
        for (field, wanted, what) in parts {
            if wanted > self.min_rechecks {
                problems.push(problem(field, format!("More {what} than re-checks can never be met.")));
            }
        }
        problems
    }
}

impl SustainmentRule {
    /// The rule as a sentence, for the cycle's page and the rule's own.
    pub fn in_words(&self) -> String {
        let count =
            |count: u32, one: &str, many: &str| if count == 1 { format!("1 {one}") } else { format!("{count} {many}") };
        let mut parts = vec![
            format!("at least {}", count(self.min_rechecks, "re-check", "re-checks")),
            format!("the latest at least {} after the first action", count(self.min_days, "day", "days")),
            format!("on at least {}", count(self.min_shift_types, "shift type", "shift types")),
        ];
        let optional = [
            (self.min_pressure_checks, "evening, night or weekend check", "evening, night or weekend checks"),
            (self.min_unannounced, "unannounced check", "unannounced checks"),
            (
                self.min_independent,
                "check by someone who led none of the actions",
                "checks by someone who led none of the actions",
            ),
        ];
        parts.extend(
            optional
                .into_iter()
                .filter(|(wanted, ..)| *wanted > 0)
                .map(|(wanted, one, many)| format!("at least {}", count(wanted, one, many))),
        );
        parts.push("every one meeting the standard on the focus criteria".to_owned());
        let mut sentence = join_in_words(&parts);
        if let Some(first) = sentence.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        format!("{sentence}. After closing, a {}-day watch.", self.watch_days)
    }

    /// The parts of this rule that ask for less than `current` does: a review may tighten a
    /// cycle's plan, never loosen it.
    pub fn loosened_parts(&self, current: &SustainmentRule) -> Vec<Problem> {
        let parts = [
            ("min_rechecks", self.min_rechecks, current.min_rechecks),
            ("min_days", self.min_days, current.min_days),
            ("min_shift_types", self.min_shift_types, current.min_shift_types),
            ("min_pressure_checks", self.min_pressure_checks, current.min_pressure_checks),
            ("min_unannounced", self.min_unannounced, current.min_unannounced),
            ("min_independent", self.min_independent, current.min_independent),
            ("watch_days", self.watch_days, current.watch_days),
        ];
        parts
            .into_iter()
            .filter(|(_, new, current)| new < current)
            .map(|(field, _, current)| {
                problem(field, format!("A review may tighten the plan, not loosen it: at least {current}."))
            })
            .collect()
    }
}

/// What the registered manager concludes at a governance review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Conclusion {
    /// The improvement can be relied on: the cycle closes and its verdict is frozen.
    Close,
    /// More re-checks first, possibly under a stricter rule.
    Extend,
    /// Practice has not changed or has slipped back: a reinforced standard or a new action, and
    /// the re-checks start again from the next action.
    Escalate,
}

impl Conclusion {
    pub const ALL: [Conclusion; 3] = [Conclusion::Close, Conclusion::Extend, Conclusion::Escalate];

    pub fn label(self) -> &'static str {
        match self {
            Conclusion::Close => "Rely on it and close",
            Conclusion::Extend => "Extend with more re-checks",
            Conclusion::Escalate => "Escalate",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Conclusion::Close => "close",
            Conclusion::Extend => "extend",
            Conclusion::Escalate => "escalate",
        }
    }

    pub fn from_code(code: &str) -> Option<Conclusion> {
        Conclusion::ALL.into_iter().find(|conclusion| conclusion.code() == code)
    }
}

/// Step 5: one governance review, with the verdict and the checks it was judged on as they
/// stood at that moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GovernanceReview {
    pub id: Uuid,
    pub reviewed_by: Author,
    pub reviewed_at_ms: i64,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub reviewed_on: CalendarDate,
    pub verdict: Verdict,
    /// The re-checks the verdict rested on.
    pub evidence: Vec<Uuid>,
    pub findings: String,
    pub remaining_risks: String,
    pub conclusion: Conclusion,
    /// On escalating: the standard, reinforced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reinforced_standard: Option<String>,
    /// On extending or escalating: the stricter rule re-checks are judged by from now on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tightened_rule: Option<SustainmentRule>,
}

/// A change made after closing, which is recorded with its reason rather than made silently.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CycleAmendment {
    pub made_by: Author,
    pub made_at_ms: i64,
    /// What was changed: "Recorded an action", "Reopened".
    pub change: String,
    pub reason: String,
}

/// An improvement cycle, all five steps in one record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Cycle {
    pub id: Uuid,
    pub service_id: Uuid,
    pub theme_id: Uuid,
    /// The theme's version when the concern was raised.
    pub theme_version: u32,
    /// One staff member, or a group: every one's checks count towards the re-checks.
    pub staff_ids: Vec<Uuid>,
    /// The group's name, for a cycle about a group ("Oak unit day staff").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    pub opened_by: Author,
    pub opened_at_ms: i64,
    /// The day the concern was recorded, on the service's calendar; no action comes before it.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub opened_on: CalendarDate,
    /// Step 1: the specific concern, and the examples observed.
    pub concern: String,
    pub examples: String,
    pub sources: Vec<SourceEvidence>,
    pub standard: Option<ExpectedStandard>,
    /// The re-check plan: the service's rule when the cycle was opened, or a stricter one set
    /// at a review.
    pub rule: SustainmentRule,
    pub actions: Vec<CycleAction>,
    pub reviews: Vec<GovernanceReview>,
    pub amendments: Vec<CycleAmendment>,
    /// Set when a review closed the cycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub closed_on: Option<CalendarDate>,
}

/// Where a cycle has got to: what it is waiting for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The concern is recorded; the expected standard is not set yet.
    NeedsStandard,
    /// The standard is set (or, after an escalation, reinforced); no action has been taken since.
    NeedsAction,
    /// Re-checks count towards the verdict.
    Rechecking,
    Closed,
}

impl Stage {
    pub const ALL: [Stage; 4] = [Stage::NeedsStandard, Stage::NeedsAction, Stage::Rechecking, Stage::Closed];

    pub fn label(self) -> &'static str {
        match self {
            Stage::NeedsStandard => "Needs an expected standard",
            Stage::NeedsAction => "Needs an action",
            Stage::Rechecking => "Re-checking",
            Stage::Closed => "Closed",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Stage::NeedsStandard => "needs_standard",
            Stage::NeedsAction => "needs_action",
            Stage::Rechecking => "rechecking",
            Stage::Closed => "closed",
        }
    }

    pub fn from_code(code: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|stage| stage.code() == code)
    }
}

/// What an open cycle waits for from a manager (`docs/domain.md` §2), if anything: its expected
/// standard, its first action (or, after an escalation, a new one), the registered manager's
/// governance verdict once the rule is met, or an escalation once it has not improved or has
/// reverted. A cycle that is improving waits for re-checks, which shift leaders record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Awaiting {
    Standard,
    Action,
    Verdict,
    Escalation,
}

impl Awaiting {
    pub fn of(stage: Stage, verdict: Option<&Verdict>) -> Option<Awaiting> {
        match (stage, verdict) {
            (Stage::NeedsStandard, _) => Some(Awaiting::Standard),
            (Stage::NeedsAction, _) => Some(Awaiting::Action),
            (Stage::Rechecking, Some(Verdict::Sustained)) => Some(Awaiting::Verdict),
            (Stage::Rechecking, Some(verdict)) if verdict.asks_for_escalation() => Some(Awaiting::Escalation),
            (Stage::Rechecking, _) | (Stage::Closed, _) => None,
        }
    }

    /// Who may give what the cycle waits for, in `service`.
    pub fn permission(self, service: Uuid) -> super::access::Action {
        use super::access::Action;
        match self {
            Awaiting::Standard => Action::SetStandard(service),
            Awaiting::Action => Action::RecordAction(service),
            Awaiting::Verdict => Action::ReviewCycle(service),
            Awaiting::Escalation => Action::EscalateCycle(service),
        }
    }

    pub fn in_words(self) -> &'static str {
        match self {
            Awaiting::Standard => "Set the expected standard",
            Awaiting::Action => "Record a targeted action",
            Awaiting::Verdict => "The rule is met: give the governance verdict",
            Awaiting::Escalation => "Below the standard again: reinforce the standard or close the cycle",
        }
    }
}

impl Cycle {
    pub fn is_open(&self) -> bool {
        self.closed_on.is_none()
    }

    pub fn stage(&self) -> Stage {
        if self.closed_on.is_some() {
            Stage::Closed
        } else if self.standard.is_none() {
            Stage::NeedsStandard
        } else if self.window_start().is_none() {
            Stage::NeedsAction
        } else {
            Stage::Rechecking
        }
    }

    /// The day re-checks are counted from: that of the first action, or, after an escalation,
    /// of the first action on or after the escalation's day. Checks on later days count.
    pub fn window_start(&self) -> Option<CalendarDate> {
        let escalated_on = self
            .reviews
            .iter()
            .filter(|review| review.conclusion == Conclusion::Escalate)
            .map(|review| review.reviewed_on)
            .max();
        self.actions
            .iter()
            .map(|action| action.date)
            .filter(|date| escalated_on.is_none_or(|escalated| *date >= escalated))
            .min()
    }

    /// The standard re-checks are judged against now: the latest reinforced one, or the one set.
    pub fn current_standard(&self) -> Option<&str> {
        self.reviews
            .iter()
            .rev()
            .find_map(|review| review.reinforced_standard.as_deref())
            .or(self.standard.as_ref().map(|standard| standard.standard.as_str()))
    }

    /// The re-check plan, once the standard is set and an action taken.
    pub fn plan(&self) -> Option<RecheckPlan<'_>> {
        let standard = self.standard.as_ref()?;
        Some(RecheckPlan {
            staff_ids: &self.staff_ids,
            theme_id: self.theme_id,
            focus: &standard.focus_criteria,
            from: self.window_start()?,
            action_leaders: self.action_leaders(),
            rule: &self.rule,
        })
    }

    /// Whoever led any of the actions, in the order they first did.
    pub fn action_leaders(&self) -> Vec<Uuid> {
        let mut leaders: Vec<Uuid> = Vec::new();
        for action in &self.actions {
            if !leaders.contains(&action.led_by) {
                leaders.push(action.led_by);
            }
        }
        leaders
    }

    /// The review that closed the cycle.
    pub fn closing_review(&self) -> Option<&GovernanceReview> {
        self.closed_on?;
        self.reviews.iter().rev().find(|review| review.conclusion == Conclusion::Close)
    }

    /// The verdict as it stands: frozen at closing, otherwise judged from `checks` now.
    pub fn verdict(&self, checks: &[StoredCheck], today: CalendarDate) -> Option<Verdict> {
        match self.closing_review() {
            Some(review) => Some(review.verdict.clone()),
            None => self.plan().map(|plan| judge(&plan, checks, today).verdict),
        }
    }

    /// The last day of the watch after closing.
    pub fn watch_ends(&self) -> Option<CalendarDate> {
        self.closed_on.map(|closed| closed.plus_days(i64::from(self.rule.watch_days)))
    }
}

/// How re-checks are judged for one cycle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecheckPlan<'a> {
    pub staff_ids: &'a [Uuid],
    pub theme_id: Uuid,
    pub focus: &'a [Uuid],
    /// Checks observed on later days (the service's calendar) are re-checks.
    pub from: CalendarDate,
    pub action_leaders: Vec<Uuid>,
    pub rule: &'a SustainmentRule,
}

/// Evidence the rule still asks for, each in words a manager can act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "needs", rename_all = "snake_case")]
pub enum Missing {
    Rechecks {
        count: u32,
    },
    /// The re-checks must span the rule's days; this many are still to pass.
    Days {
        count: u32,
    },
    /// The days have passed, but no re-check was made after them.
    LaterRecheck {
        #[cfg_attr(feature = "ssr", schema(value_type = String))]
        from: CalendarDate,
    },
    ShiftTypes {
        count: u32,
    },
    PressureChecks {
        count: u32,
    },
    Unannounced {
        count: u32,
    },
    Independent {
        count: u32,
    },
}

fn more(count: u32, one: &str, many: &str) -> String {
    if count == 1 { one.to_owned() } else { format!("{count} more {many}") }
}

impl Missing {
    pub fn in_words(&self) -> String {
        match self {
            Missing::Rechecks { count } => more(*count, "one more re-check", "re-checks"),
            Missing::Days { count } => more(*count, "one more day", "days"),
            Missing::LaterRecheck { from } => format!("a re-check on or after {}", from.in_words()),
            Missing::ShiftTypes { count } if *count == 1 => "a re-check on another shift type".to_owned(),
            Missing::ShiftTypes { count } => format!("re-checks on {count} more shift types"),
            Missing::PressureChecks { count } => {
                more(*count, "an evening, night or weekend check", "evening, night or weekend checks")
            }
            Missing::Unannounced { count } => more(*count, "one more unannounced check", "unannounced checks"),
            Missing::Independent { count } => more(
                *count,
                "a check by someone who led none of the actions",
                "checks by someone who led none of the actions",
            ),
        }
    }
}

/// Whether the change held (`docs/domain.md` §6).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// Every re-check so far meets the standard; the rule asks for more evidence.
    Improving { missing: Vec<Missing> },
    /// The rule is met in full.
    Sustained,
    /// A re-check fell below the standard before any met it.
    NotImproved { check_id: Uuid },
    /// A re-check fell below the standard after one had met it.
    Reverted { check_id: Uuid },
}

impl Verdict {
    pub fn label(&self) -> &'static str {
        match self {
            Verdict::Improving { .. } => "Improving",
            Verdict::Sustained => "Sustained",
            Verdict::NotImproved { .. } => "Not improved",
            Verdict::Reverted { .. } => "Reverted",
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Verdict::Improving { .. } => "improving",
            Verdict::Sustained => "sustained",
            Verdict::NotImproved { .. } => "not_improved",
            Verdict::Reverted { .. } => "reverted",
        }
    }

    pub const CODES: [(&'static str, &'static str); 4] = [
        ("improving", "Improving"),
        ("sustained", "Sustained"),
        ("not_improved", "Not improved"),
        ("reverted", "Reverted"),
    ];

    /// The verdict in a sentence: "Improving: still needs one more unannounced check and 9 more days."
    pub fn in_words(&self) -> String {
        match self {
            Verdict::Improving { missing } => {
                let parts: Vec<String> = missing.iter().map(Missing::in_words).collect();
                format!("Improving: still needs {}.", join_in_words(&parts))
            }
            Verdict::Sustained => "Sustained: every part of the rule is met.".to_owned(),
            Verdict::NotImproved { .. } => "Not improved: a re-check fell below the standard.".to_owned(),
            Verdict::Reverted { .. } => {
                "Reverted: a re-check fell below the standard after the standard had been met.".to_owned()
            }
        }
    }

    /// Not improved or reverted: the deputy and registered manager must act.
    pub fn asks_for_escalation(&self) -> bool {
        matches!(self, Verdict::NotImproved { .. } | Verdict::Reverted { .. })
    }
}

/// "a, b and c".
pub fn join_in_words(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A part of the rule that one re-check meets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RulePart {
    MeetsStandard,
    EveningNightOrWeekend,
    Unannounced,
    ByAnotherObserver,
    /// Made once the rule's days had passed since the first action.
    AfterTheDays,
}

impl RulePart {
    pub fn label(self) -> &'static str {
        match self {
            RulePart::MeetsStandard => "meets the standard",
            RulePart::EveningNightOrWeekend => "evening, night or weekend",
            RulePart::Unannounced => "unannounced",
            RulePart::ByAnotherObserver => "by someone who led no action",
            RulePart::AfterTheDays => "after the rule's days",
        }
    }
}

/// The CQC evidence categories a cycle's record supports (`docs/domain.md` §6, "The evidence
/// page"), given the check kind of its theme and how many re-checks it has:
/// - **observation**: checks of a theme watched in care (a direct observation or a distress
///   episode) among what raised the concern or among its re-checks, or an observation described
///   as a source;
/// - **processes**: checks of a record-sample theme there, an audit, care records or an incident
///   review among the sources, any recorded action (coaching and supervision records) and any
///   governance review;
/// - **people's experience**: feedback described as a source;
/// - **feedback from staff and leaders**: a staff member's response recorded on an action.
///
/// Feedback from partners and outcomes are never claimed: nothing in a cycle records them.
pub fn evidence_categories(cycle: &Cycle, kind: CheckKind, rechecks: usize) -> Vec<EvidenceCategory> {
    let checks_category = match kind {
        CheckKind::Observation | CheckKind::DistressEpisode => EvidenceCategory::Observation,
        CheckKind::RecordSample => EvidenceCategory::Processes,
    };
    let from_sources = cycle.sources.iter().map(|source| match source.kind {
        SourceKind::Check => checks_category,
        SourceKind::Observation => EvidenceCategory::Observation,
        SourceKind::Feedback => EvidenceCategory::PeoplesExperience,
        SourceKind::Audit | SourceKind::IncidentReview | SourceKind::CareRecords => EvidenceCategory::Processes,
    });
    let from_rechecks = (rechecks > 0).then_some(checks_category);
    let from_steps = (!cycle.actions.is_empty() || !cycle.reviews.is_empty()).then_some(EvidenceCategory::Processes);
    let from_responses = cycle
        .actions
        .iter()
        .any(|action| !action.response.trim().is_empty())
        .then_some(EvidenceCategory::StaffAndLeaders);
    let found: Vec<EvidenceCategory> =
        from_sources.chain(from_rechecks).chain(from_steps).chain(from_responses).collect();
    EvidenceCategory::ALL.into_iter().filter(|category| found.contains(category)).collect()
}

/// One re-check, and the parts of the rule it meets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JudgedRecheck {
    pub check_id: Uuid,
    pub meets: Vec<RulePart>,
}

/// A verdict and the re-checks it rests on, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Judgement {
    pub verdict: Verdict,
    pub rechecks: Vec<JudgedRecheck>,
}

/// Whether a check is a re-check for `plan`: current, of one of its staff, on its theme,
/// observed on a day after `plan.from`, and rating at least one focus criterion (a check that
/// rated them all N/A is evidence neither way).
fn is_recheck(plan: &RecheckPlan, check: &StoredCheck) -> bool {
    check.is_current()
        && check.check.theme_id == plan.theme_id
        && plan.staff_ids.contains(&check.check.staff_id)
        && CalendarDate::parse(&check.calendar.local_date).is_some_and(|date| date > plan.from)
        && check.check.ratings.iter().any(|rating| plan.focus.contains(&rating.criterion_id) && rating.score.is_some())
}

/// The sustainment verdict (`docs/domain.md` §6). Every current check of the cycle's staff on
/// its theme, observed after the day of the first action (or of the first action after an
/// escalation), is a re-check, planned or not. Judged on the focus criteria alone:
/// - a re-check below the standard makes the verdict **not improved**, or **reverted** when an
///   earlier re-check had met it;
/// - otherwise, when the re-checks number at least the rule's minimum, span its days (the latest
///   on or after the first action's day plus the days), cover its shift types, and include its
///   evening-night-or-weekend, unannounced and independent checks, it is **sustained**;
/// - otherwise it is **improving**, with each part still missing in words. Days are counted on
///   the service's calendar, so a clock change never moves a boundary.
pub fn judge(plan: &RecheckPlan, checks: &[StoredCheck], today: CalendarDate) -> Judgement {
    let mut rechecks: Vec<&StoredCheck> = checks.iter().filter(|check| is_recheck(plan, check)).collect();
    rechecks.sort_by_key(|check| (check.observed_at_ms, check.check.id));
    let rule = plan.rule;
    let days_met_on = plan.from.plus_days(i64::from(rule.min_days));
    let meets_standard = |check: &StoredCheck| assess(&check.check.ratings, Some(plan.focus)).meets_standard;
    let judged = rechecks
        .iter()
        .map(|check| {
            let date = CalendarDate::parse(&check.calendar.local_date).expect("a re-check's date was read");
            let parts = [
                (RulePart::MeetsStandard, meets_standard(check)),
                (RulePart::EveningNightOrWeekend, check.shift_kind.is_evening_or_night() || check.weekend_practice),
                (RulePart::Unannounced, !check.check.announced),
                (RulePart::ByAnotherObserver, !plan.action_leaders.contains(&check.observer_id)),
                (RulePart::AfterTheDays, date >= days_met_on),
            ];
            let meets = parts.into_iter().filter(|(_, met)| *met).map(|(part, _)| part).collect();
            JudgedRecheck { check_id: check.check.id, meets }
        })
        .collect::<Vec<_>>();
    let verdict = match rechecks.iter().position(|check| !meets_standard(check)) {
        Some(0) => Verdict::NotImproved { check_id: rechecks[0].check.id },
        Some(below) => Verdict::Reverted { check_id: rechecks[below].check.id },
        None => match missing_evidence(plan, &judged, &rechecks, days_met_on, today) {
            missing if missing.is_empty() => Verdict::Sustained,
            missing => Verdict::Improving { missing },
        },
    };
    Judgement { verdict, rechecks: judged }
}

fn missing_evidence(
    plan: &RecheckPlan,
    judged: &[JudgedRecheck],
    rechecks: &[&StoredCheck],
    days_met_on: CalendarDate,
    today: CalendarDate,
) -> Vec<Missing> {
    let rule = plan.rule;
    let count = |part: RulePart| judged.iter().filter(|check| check.meets.contains(&part)).count() as u32;
    let short = |wanted: u32, have: u32| wanted.saturating_sub(have);
    let mut shift_types: Vec<ShiftKind> = rechecks.iter().map(|check| check.shift_kind).collect();
    shift_types.sort();
    shift_types.dedup();
    let mut missing = Vec::new();
    let rechecks_short = short(rule.min_rechecks, judged.len() as u32);
    if rechecks_short > 0 {
        missing.push(Missing::Rechecks { count: rechecks_short });
    }
    if count(RulePart::AfterTheDays) == 0 && rule.min_days > 0 {
        let days_left = days_met_on.days_since(today);
        missing.push(if days_left > 0 {
            Missing::Days { count: days_left as u32 }
        } else {
            Missing::LaterRecheck { from: days_met_on }
        });
    }
    // How many of each part are still short, and how to say so.
    type Shortfall = (u32, fn(u32) -> Missing);
    let parts: [Shortfall; 4] = [
        (short(rule.min_shift_types, shift_types.len() as u32), |count| Missing::ShiftTypes { count }),
        (short(rule.min_pressure_checks, count(RulePart::EveningNightOrWeekend)), |count| Missing::PressureChecks {
            count,
        }),
        (short(rule.min_unannounced, count(RulePart::Unannounced)), |count| Missing::Unannounced { count }),
        (short(rule.min_independent, count(RulePart::ByAnotherObserver)), |count| Missing::Independent { count }),
    ];
    missing.extend(parts.into_iter().filter(|(count, _)| *count > 0).map(|(count, missing)| missing(count)));
    missing
}

/// After closing: the first current check of the cycle's staff on its theme, within the watch
/// (the day after closing up to the watch's last day), that falls below the standard on the
/// focus criteria. It is a reversion, flagged on the closed cycle with an offer to reopen it.
pub fn reversion_in_watch<'a>(cycle: &Cycle, checks: &'a [StoredCheck]) -> Option<&'a StoredCheck> {
    let (closed_on, watch_ends, standard) = (cycle.closed_on?, cycle.watch_ends()?, cycle.standard.as_ref()?);
    let mut below: Vec<&StoredCheck> = checks
        .iter()
        .filter(|check| {
            check.is_current()
                && check.check.theme_id == cycle.theme_id
                && cycle.staff_ids.contains(&check.check.staff_id)
                && CalendarDate::parse(&check.calendar.local_date)
                    .is_some_and(|date| date > closed_on && date <= watch_ends)
        })
        .filter(|check| {
            let assessment = assess(&check.check.ratings, Some(&standard.focus_criteria));
            assessment.weak && !assessment.meets_standard
        })
        .collect();
    below.sort_by_key(|check| (check.observed_at_ms, check.check.id));
    below.first().copied()
}

/// The re-checks a closed cycle's verdict rested on that have been corrected since (they are no
/// longer among the current checks): the frozen verdict stands, and the page says so.
pub fn corrected_since_closing(cycle: &Cycle, current: &[StoredCheck]) -> Vec<Uuid> {
    let Some(review) = cycle.closing_review() else { return Vec::new() };
    review
        .evidence
        .iter()
        .filter(|id| !current.iter().any(|check| check.check.id == **id && check.is_current()))
        .copied()
        .collect()
}

/// What a re-check made now should be, for the shift leader's recorder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecheckAsk {
    pub unannounced: bool,
    /// Someone other than these (who led the actions) should make it.
    pub not_by: Vec<Uuid>,
}

/// What an improving cycle still needs from re-checks, as a device keeps it to offer them on the
/// right shift, offline too.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RecheckNeeds {
    pub missing: Vec<Missing>,
    /// The shift types the re-checks so far were on.
    pub seen_shifts: Vec<ShiftKind>,
    /// Whoever led the actions: a re-check by someone else is independent.
    pub action_leaders: Vec<Uuid>,
}

impl RecheckNeeds {
    /// What `judgement` still asks for, while the verdict is improving.
    pub fn of(plan: &RecheckPlan, judgement: &Judgement, checks: &[StoredCheck]) -> Option<RecheckNeeds> {
        let Verdict::Improving { missing } = &judgement.verdict else { return None };
        let mut seen_shifts: Vec<ShiftKind> = judgement
            .rechecks
            .iter()
            .filter_map(|recheck| checks.iter().find(|check| check.check.id == recheck.check_id))
            .map(|check| check.shift_kind)
            .collect();
        seen_shifts.sort();
        seen_shifts.dedup();
        Some(RecheckNeeds { missing: missing.clone(), seen_shifts, action_leaders: plan.action_leaders.clone() })
    }
}

/// Whether a re-check made now, by `observer`, on a `shift` (at the weekend or not), would bring
/// an improving cycle closer to its verdict, and what it should be. Waiting days cannot be
/// filled by a check, and a check by someone who led the actions, or on a shift type already
/// seen, fills only what else is missing.
pub fn recheck_due(needs: &RecheckNeeds, shift: ShiftKind, weekend: bool, observer: Uuid) -> Option<RecheckAsk> {
    let missing = &needs.missing;
    let by_leader = needs.action_leaders.contains(&observer);
    let fills = |missing: &Missing| match missing {
        Missing::Rechecks { .. } | Missing::LaterRecheck { .. } | Missing::Unannounced { .. } => true,
        Missing::Days { .. } => false,
        Missing::ShiftTypes { .. } => !needs.seen_shifts.contains(&shift),
        Missing::PressureChecks { .. } => shift.is_evening_or_night() || weekend,
        Missing::Independent { .. } => !by_leader,
    };
    missing.iter().any(fills).then(|| RecheckAsk {
        unannounced: missing.iter().any(|missing| matches!(missing, Missing::Unannounced { .. })),
        not_by: if missing.iter().any(|missing| matches!(missing, Missing::Independent { .. })) {
            needs.action_leaders.clone()
        } else {
            Vec::new()
        },
    })
}

/// "Re-check Dorota Nowak on respectful communication: unannounced, not by Priya Shah".
pub fn recheck_due_in_words(staff: &str, theme: &str, ask: &RecheckAsk, leader_names: &[String]) -> String {
    let mut asks = Vec::new();
    if ask.unannounced {
        asks.push("unannounced".to_owned());
    }
    if !ask.not_by.is_empty() && !leader_names.is_empty() {
        asks.push(format!("not by {}", join_in_words(leader_names).replace(" and ", " or ")));
    }
    let theme = theme.to_lowercase();
    if asks.is_empty() {
        format!("Re-check {staff} on {theme}")
    } else {
        format!("Re-check {staff} on {theme}: {}", asks.join(", "))
    }
}

/// The rules of opening a cycle that need more than its own fields: the staff work at the
/// service and have not left, none of them already has an open cycle on the theme, and each
/// check named as a source is a current check of theirs on the theme.
pub fn opening_problems(
    service_id: Uuid,
    staff: &[&StaffMember],
    theme: &PracticeTheme,
    open_cycles: &[Cycle],
    source_checks: &[StoredCheck],
    sources: &[SourceEvidence],
    today: CalendarDate,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    if staff.is_empty() {
        problems.push(problem("staff", "Choose the staff member, or the staff of a group."));
    }
    for member in staff {
        if member.has_left {
            problems.push(problem("staff", format!("{} has left; a cycle is for staff still working.", member.name)));
        } else if !member.service_ids.contains(&service_id) {
            problems.push(problem("staff", format!("{} does not work at this service.", member.name)));
        } else if open_cycles
            .iter()
            .any(|cycle| cycle.is_open() && cycle.theme_id == theme.id && cycle.staff_ids.contains(&member.id))
        {
            problems.push(problem(
                "staff",
                format!("{} already has an open cycle on “{}”; add to that one.", member.name, theme.name),
            ));
        }
    }
    for source in sources {
        if source.date > today {
            problems.push(problem("sources", format!("A source is dated {}, in the future.", source.date.in_words())));
        }
        if source.kind != SourceKind::Check {
            continue;
        }
        let check = source.check_id.and_then(|id| source_checks.iter().find(|check| check.check.id == id));
        let fits = check.is_some_and(|check| {
            check.check.service_id == service_id
                && check.check.theme_id == theme.id
                && staff.iter().any(|member| member.id == check.check.staff_id)
        });
        if !fits {
            problems.push(problem("sources", "A linked check is not one of these staff's checks on this theme."));
        }
    }
    problems
}

/// The rules of the expected standard beyond its own fields: focus criteria from the theme (at
/// least one), and a target date no earlier than the concern.
pub fn standard_problems(
    cycle: &Cycle,
    theme: &PracticeTheme,
    focus: &[Uuid],
    target_date: CalendarDate,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    if focus.is_empty() {
        problems.push(problem("focus", "Choose at least one focus criterion."));
    } else if focus.iter().any(|id| theme.criterion(*id).is_none()) {
        problems.push(problem("focus", format!("A focus criterion is not one of “{}”'s criteria.", theme.name)));
    }
    if target_date < cycle.opened_on {
        problems.push(problem(
            "target_date",
            format!("The target date is before the concern was recorded ({}).", cycle.opened_on.in_words()),
        ));
    }
    problems
}

/// An action happens between the concern and today.
pub fn action_date_problems(cycle: &Cycle, date: CalendarDate, today: CalendarDate) -> Vec<Problem> {
    if date > today {
        vec![problem("date", "The action is dated in the future; record it once it has happened.")]
    } else if date < cycle.opened_on {
        vec![problem(
            "date",
            format!("The action is dated before the concern was recorded ({}).", cycle.opened_on.in_words()),
        )]
    } else {
        Vec::new()
    }
}

#[cfg(test)]
pub(crate) mod tests {

    #[test]
    fn a_cycle_awaits_a_manager_at_each_step_but_not_while_improving() {
        let improving = Verdict::Improving { missing: vec![Missing::Days { count: 9 }] };
        let below = Verdict::NotImproved { check_id: Uuid::from_u128(1) };
        let reverted = Verdict::Reverted { check_id: Uuid::from_u128(1) };
        assert_eq!(Awaiting::of(Stage::NeedsStandard, None), Some(Awaiting::Standard));
        assert_eq!(Awaiting::of(Stage::NeedsAction, None), Some(Awaiting::Action));
        assert_eq!(Awaiting::of(Stage::Rechecking, Some(&improving)), None);
        assert_eq!(Awaiting::of(Stage::Rechecking, None), None);
        assert_eq!(Awaiting::of(Stage::Rechecking, Some(&Verdict::Sustained)), Some(Awaiting::Verdict));
        assert_eq!(Awaiting::of(Stage::Rechecking, Some(&below)), Some(Awaiting::Escalation));
        assert_eq!(Awaiting::of(Stage::Rechecking, Some(&reverted)), Some(Awaiting::Escalation));
        assert_eq!(Awaiting::of(Stage::Closed, Some(&reverted)), None);
        let service = Uuid::from_u128(7);
        assert_eq!(Awaiting::Verdict.permission(service), crate::domain::access::Action::ReviewCycle(service));
        assert_eq!(Awaiting::Standard.permission(service), crate::domain::access::Action::SetStandard(service));
    }

    use super::*;
    use crate::domain::check::{Assessment, CheckDetails, LocalCalendar, Rating, SubmittedCheck};

    const SERVICE: Uuid = Uuid::from_u128(1);
    const THEME: Uuid = Uuid::from_u128(2);
    const DOROTA: Uuid = Uuid::from_u128(10);
    const AMIR: Uuid = Uuid::from_u128(11);
    const SOMEONE_ELSE: Uuid = Uuid::from_u128(12);
    const PACE: Uuid = Uuid::from_u128(20);
    const CHOICE: Uuid = Uuid::from_u128(21);
    const TONE: Uuid = Uuid::from_u128(22);
    /// The team leader who coached.
    const PRIYA: Uuid = Uuid::from_u128(30);
    /// A shift leader who did not.
    const SAM: Uuid = Uuid::from_u128(31);

    fn date(text: &str) -> CalendarDate {
        CalendarDate::parse(text).unwrap()
    }

    fn author() -> Author {
        Author::user(PRIYA, "Priya Shah")
    }

    /// A cycle for Dorota, focused on pace and choice, coached by Priya on 1 November 2026.
    pub(crate) fn cycle() -> Cycle {
        Cycle {
            id: Uuid::from_u128(100),
            service_id: SERVICE,
            theme_id: THEME,
            theme_version: 1,
            staff_ids: vec![DOROTA],
            group_name: None,
            opened_by: author(),
            opened_at_ms: 0,
            opened_on: date("2026-10-28"),
            concern: "Rushed prompts".into(),
            examples: "No choice of clothes".into(),
            sources: vec![],
            standard: Some(ExpectedStandard {
                standard: "Offer choice and wait".into(),
                focus_criteria: vec![PACE, CHOICE],
                changes_required: "Slow down".into(),
                owner_id: PRIYA,
                target_date: date("2026-12-31"),
                set_by: author(),
                set_at_ms: 0,
            }),
            rule: SustainmentRule::default(),
            actions: vec![action("2026-11-01", PRIYA)],
            reviews: vec![],
            amendments: vec![],
            closed_on: None,
        }
    }

    fn action(on: &str, led_by: Uuid) -> CycleAction {
        CycleAction {
            id: Uuid::now_v7(),
            kind: ActionKind::Coaching,
            date: date(on),
            led_by,
            attendees: vec![DOROTA],
            guidance: "Offer two outfits".into(),
            response: "Understood".into(),
            expected_points: "Pace, choice".into(),
            recorded_by: author(),
            recorded_at_ms: 0,
        }
    }

    #[test]
    fn a_cycle_claims_the_evidence_categories_its_record_holds() {
        use EvidenceCategory::*;
        let mut bare = cycle();
        bare.actions.clear();
        assert_eq!(evidence_categories(&bare, CheckKind::Observation, 0), Vec::<EvidenceCategory>::new());
        // A weak observation raised it; nothing else yet.
        let source =
            |kind| SourceEvidence { kind, check_id: None, date: date("2026-10-27"), description: String::new() };
        bare.sources = vec![source(SourceKind::Check)];
        assert_eq!(evidence_categories(&bare, CheckKind::Observation, 0), vec![Observation]);
        assert_eq!(evidence_categories(&bare, CheckKind::DistressEpisode, 0), vec![Observation]);
        // Sampled daily notes are the provider's processes, not an observation.
        assert_eq!(evidence_categories(&bare, CheckKind::RecordSample, 0), vec![Processes]);
        assert_eq!(evidence_categories(&bare, CheckKind::RecordSample, 2), vec![Processes]);
        // Re-checks alone count as their kind.
        bare.sources.clear();
        assert_eq!(evidence_categories(&bare, CheckKind::Observation, 1), vec![Observation]);
        // A governance review is a process.
        let mut reviewed = bare.clone();
        reviewed.reviews = vec![review(Conclusion::Extend, "2026-12-01", Verdict::Sustained)];
        assert_eq!(evidence_categories(&reviewed, CheckKind::Observation, 0), vec![Processes]);
        // Each described source by its kind.
        for (kind, expected) in [
            (SourceKind::Observation, Observation),
            (SourceKind::Feedback, PeoplesExperience),
            (SourceKind::Audit, Processes),
            (SourceKind::IncidentReview, Processes),
            (SourceKind::CareRecords, Processes),
        ] {
            bare.sources = vec![source(kind)];
            assert_eq!(evidence_categories(&bare, CheckKind::Observation, 0), vec![expected], "{kind:?}");
        }
        // An action is a process; the staff member's response to it is their feedback.
        let coached = cycle();
        assert_eq!(
            evidence_categories(&coached, CheckKind::Observation, 3),
            vec![StaffAndLeaders, Observation, Processes]
        );
        let mut silent = cycle();
        silent.actions[0].response = "  ".into();
        assert_eq!(evidence_categories(&silent, CheckKind::Observation, 0), vec![Processes]);
        // Partners and outcomes are never claimed.
        let mut everything = cycle();
        everything.sources = SourceKind::DESCRIBED.into_iter().map(source).collect();
        let claimed = evidence_categories(&everything, CheckKind::Observation, 3);
        assert!(!claimed.contains(&Partners) && !claimed.contains(&Outcomes));
        assert_eq!(claimed, vec![PeoplesExperience, StaffAndLeaders, Observation, Processes]);
    }

    /// What a re-check looks like beyond its date: its shift, weekend, announced, observer and
    /// scores (pace, choice, tone).
    #[derive(Clone, Copy)]
    pub(crate) struct Seen {
        shift: ShiftKind,
        weekend: bool,
        announced: bool,
        observer: Uuid,
        scores: [Option<u8>; 3],
        staff: Uuid,
    }

    pub(crate) const GOOD_EARLY: Seen = Seen {
        shift: ShiftKind::Early,
        weekend: false,
        announced: true,
        observer: PRIYA,
        scores: [Some(3), Some(3), Some(2)],
        staff: DOROTA,
    };

    pub(crate) fn check(on: &str, seen: Seen) -> StoredCheck {
        let ratings = [PACE, CHOICE, TONE]
            .into_iter()
            .zip(seen.scores)
            .map(|(criterion_id, score)| Rating { criterion_id, score })
            .collect::<Vec<_>>();
        let observed_at_ms = i64::from(date(on).days_since(date("1970-01-01")) as i32) * 86_400_000 + 36_000_000;
        StoredCheck {
            check: SubmittedCheck {
                id: Uuid::now_v7(),
                service_id: SERVICE,
                staff_id: seen.staff,
                theme_id: THEME,
                observed_at: format!("{on}T10:00:00+00:00"),
                announced: seen.announced,
                shift: None,
                weekend: None,
                ratings: ratings.clone(),
                details: CheckDetails::Observation {
                    examples: String::new(),
                    person_response: String::new(),
                    feedback_given: false,
                    feedback: String::new(),
                },
                amends: None,
                theme_version: Some(1),
            },
            observer_id: seen.observer,
            shift_kind: seen.shift,
            weekend_practice: seen.weekend,
            observed_at_ms,
            received_at_ms: observed_at_ms,
            rated_against_version: 1,
            calendar: LocalCalendar { local_date: on.into(), iso_week: String::new(), month: on[..7].into() },
            assessment: Assessment::default(),
            superseded_by: None,
        }
    }

    /// Three re-checks that meet every part of the default rule between them.
    fn sustaining() -> Vec<StoredCheck> {
        vec![
            check("2026-11-05", GOOD_EARLY),
            check("2026-11-14", Seen { shift: ShiftKind::Night, announced: false, observer: SAM, ..GOOD_EARLY }),
            check("2026-11-29", Seen { shift: ShiftKind::Late, ..GOOD_EARLY }),
        ]
    }

    fn verdict_of(cycle: &Cycle, checks: &[StoredCheck], today: &str) -> Verdict {
        judge(&cycle.plan().unwrap(), checks, date(today)).verdict
    }

    fn missing(verdict: Verdict) -> Vec<String> {
        match verdict {
            Verdict::Improving { missing } => missing.iter().map(Missing::in_words).collect(),
            other => panic!("expected improving, got {other:?}"),
        }
    }

    #[test]
    fn every_part_met_is_sustained() {
        assert_eq!(verdict_of(&cycle(), &sustaining(), "2026-11-30"), Verdict::Sustained);
    }

    #[test]
    fn each_part_unmet_alone_says_what_is_missing() {
        let cycle = cycle();
        let today = "2026-11-30";
        let mut fewer = sustaining();
        fewer.remove(0);
        assert_eq!(missing(verdict_of(&cycle, &fewer, today)), ["one more re-check"]);

        let mut short = sustaining();
        short[2] = check("2026-11-20", Seen { shift: ShiftKind::Late, ..GOOD_EARLY });
        assert_eq!(missing(verdict_of(&cycle, &short, "2026-11-20")), ["9 more days"]);
        assert_eq!(missing(verdict_of(&cycle, &short, "2026-11-28")), ["one more day"]);
        assert_eq!(missing(verdict_of(&cycle, &short, today)), ["a re-check on or after 29 November 2026"]);

        let same_shift: Vec<_> = sustaining()
            .into_iter()
            .map(|mut check| {
                check.shift_kind = ShiftKind::Night;
                check
            })
            .collect();
        assert_eq!(missing(verdict_of(&cycle, &same_shift, today)), ["a re-check on another shift type"]);

        let mut daytime = sustaining();
        daytime[1].shift_kind = ShiftKind::Early;
        daytime[2].shift_kind = ShiftKind::Day;
        assert_eq!(missing(verdict_of(&cycle, &daytime, today)), ["an evening, night or weekend check"]);
        daytime[2].weekend_practice = true;
        assert_eq!(verdict_of(&cycle, &daytime, today), Verdict::Sustained, "a weekend day shift counts");

        let mut announced = sustaining();
        announced[1].check.announced = true;
        assert_eq!(missing(verdict_of(&cycle, &announced, today)), ["one more unannounced check"]);

        let mut all_by_coach = sustaining();
        all_by_coach[1].observer_id = PRIYA;
        assert_eq!(
            missing(verdict_of(&cycle, &all_by_coach, today)),
            ["a check by someone who led none of the actions"]
        );
    }

    #[test]
    fn nothing_yet_lists_everything_and_counts_are_in_words() {
        let verdict = verdict_of(&cycle(), &[], "2026-11-02");
        assert_eq!(
            missing(verdict.clone()),
            [
                "3 more re-checks",
                "27 more days",
                "re-checks on 2 more shift types",
                "an evening, night or weekend check",
                "one more unannounced check",
                "a check by someone who led none of the actions",
            ]
        );
        assert_eq!(
            verdict.in_words(),
            "Improving: still needs 3 more re-checks, 27 more days, re-checks on 2 more shift types, an evening, \
             night or weekend check, one more unannounced check and a check by someone who led none of the actions."
        );
        let strict =
            SustainmentRule { min_unannounced: 2, min_independent: 2, min_pressure_checks: 2, ..Default::default() };
        let mut cycle = cycle();
        cycle.rule = strict;
        let words = missing(verdict_of(&cycle, &[], "2026-12-30"));
        assert!(words.contains(&"2 more unannounced checks".to_owned()), "{words:?}");
        assert!(words.contains(&"2 more evening, night or weekend checks".to_owned()), "{words:?}");
        assert!(words.contains(&"2 more checks by someone who led none of the actions".to_owned()), "{words:?}");
        assert!(words.contains(&"a re-check on or after 29 November 2026".to_owned()), "{words:?}");
    }

    #[test]
    fn exactly_the_rules_days_is_enough_and_a_day_less_is_not() {
        let cycle = cycle();
        let mut checks = sustaining();
        checks[2] = check("2026-11-29", Seen { shift: ShiftKind::Late, ..GOOD_EARLY });
        assert_eq!(verdict_of(&cycle, &checks, "2026-11-29"), Verdict::Sustained, "28 days after 1 November");
        checks[2] = check("2026-11-28", Seen { shift: ShiftKind::Late, ..GOOD_EARLY });
        assert_eq!(missing(verdict_of(&cycle, &checks, "2026-11-28")), ["one more day"]);
    }

    #[test]
    fn days_are_counted_on_the_services_calendar_across_the_clock_change() {
        // The clocks went back on 25 October 2026: 28 calendar days from 4 October end on
        // 1 November, though 28 × 24 hours from midnight would end an hour earlier.
        let mut cycle = cycle();
        cycle.opened_on = date("2026-10-01");
        cycle.actions = vec![action("2026-10-04", PRIYA)];
        let checks = vec![
            check("2026-10-06", GOOD_EARLY),
            check("2026-10-20", Seen { shift: ShiftKind::Night, announced: false, observer: SAM, ..GOOD_EARLY }),
            check("2026-11-01", Seen { shift: ShiftKind::Late, ..GOOD_EARLY }),
        ];
        assert_eq!(verdict_of(&cycle, &checks, "2026-11-01"), Verdict::Sustained);
    }

    #[test]
    fn checks_on_the_day_of_the_action_or_before_are_not_rechecks() {
        let cycle = cycle();
        let mut checks = sustaining();
        checks.push(check("2026-11-01", Seen { scores: [Some(1), Some(1), Some(1)], ..GOOD_EARLY }));
        checks.push(check("2026-10-29", Seen { scores: [Some(1), Some(1), Some(1)], ..GOOD_EARLY }));
        assert_eq!(verdict_of(&cycle, &checks, "2026-11-30"), Verdict::Sustained);
    }

    #[test]
    fn below_the_standard_first_is_not_improved_and_after_meeting_it_is_reverted() {
        let cycle = cycle();
        let weak = Seen { scores: [Some(2), Some(3), Some(4)], ..GOOD_EARLY };
        let first_weak = vec![check("2026-11-05", weak), check("2026-11-10", GOOD_EARLY)];
        assert_eq!(
            verdict_of(&cycle, &first_weak, "2026-11-30"),
            Verdict::NotImproved { check_id: first_weak[0].check.id }
        );
        let mut slipped = sustaining();
        slipped.push(check("2026-11-30", weak));
        let verdict = verdict_of(&cycle, &slipped, "2026-11-30");
        assert_eq!(verdict, Verdict::Reverted { check_id: slipped[3].check.id });
        assert!(verdict.asks_for_escalation());
        assert!(!Verdict::Sustained.asks_for_escalation());
    }

    #[test]
    fn only_the_focus_criteria_are_judged() {
        // Tone scored 2 on every check, but the cycle is about pace and choice.
        assert_eq!(verdict_of(&cycle(), &sustaining(), "2026-11-30"), Verdict::Sustained);
        let mut na_on_focus = sustaining();
        na_on_focus.push(check("2026-11-20", Seen { scores: [None, None, Some(1)], ..GOOD_EARLY }));
        let judgement = judge(&cycle().plan().unwrap(), &na_on_focus, date("2026-11-30"));
        assert_eq!(judgement.verdict, Verdict::Sustained, "N/A on every focus criterion is no evidence");
        assert_eq!(judgement.rechecks.len(), 3);
    }

    #[test]
    fn a_correction_stands_in_place_of_the_check_it_corrects() {
        let cycle = cycle();
        let mut checks = sustaining();
        // The night check is corrected: it did not meet the standard after all.
        let mut correction = check(
            "2026-11-14",
            Seen {
                shift: ShiftKind::Night,
                announced: false,
                observer: SAM,
                scores: [Some(2), Some(3), Some(3)],
                ..GOOD_EARLY
            },
        );
        checks[1].superseded_by = Some(correction.check.id);
        correction.check.amends =
            Some(crate::domain::check::Amendment { check_id: checks[1].check.id, reason: "Misread".into() });
        checks.push(correction.clone());
        assert_eq!(verdict_of(&cycle, &checks, "2026-11-30"), Verdict::Reverted { check_id: correction.check.id });
    }

    #[test]
    fn which_parts_of_the_rule_each_recheck_meets() {
        let judgement = judge(&cycle().plan().unwrap(), &sustaining(), date("2026-11-30"));
        let parts: Vec<Vec<RulePart>> = judgement.rechecks.into_iter().map(|recheck| recheck.meets).collect();
        assert_eq!(
            parts,
            [
                vec![RulePart::MeetsStandard],
                vec![
                    RulePart::MeetsStandard,
                    RulePart::EveningNightOrWeekend,
                    RulePart::Unannounced,
                    RulePart::ByAnotherObserver
                ],
                vec![RulePart::MeetsStandard, RulePart::EveningNightOrWeekend, RulePart::AfterTheDays],
            ]
        );
    }

    #[test]
    fn a_group_cycle_counts_every_members_checks_and_no_one_elses() {
        let mut cycle = cycle();
        cycle.staff_ids = vec![DOROTA, AMIR];
        cycle.group_name = Some("Oak unit day staff".into());
        let mut checks = sustaining();
        checks[1].check.staff_id = AMIR;
        assert_eq!(verdict_of(&cycle, &checks, "2026-11-30"), Verdict::Sustained);
        checks[2].check.staff_id = SOMEONE_ELSE;
        assert_eq!(
            missing(verdict_of(&cycle, &checks, "2026-11-30")),
            ["one more re-check", "a re-check on or after 29 November 2026"]
        );
    }

    #[test]
    fn an_escalation_starts_the_rechecks_again_from_the_next_action() {
        let mut cycle = cycle();
        let weak = Seen { scores: [Some(2), Some(2), Some(2)], ..GOOD_EARLY };
        let mut checks = vec![check("2026-11-05", weak)];
        assert!(matches!(verdict_of(&cycle, &checks, "2026-11-06"), Verdict::NotImproved { .. }));
        cycle.reviews.push(review(
            Conclusion::Escalate,
            "2026-11-06",
            Verdict::NotImproved { check_id: checks[0].check.id },
        ));
        assert_eq!(cycle.stage(), Stage::NeedsAction, "waiting for the new action");
        assert_eq!(cycle.plan(), None);
        cycle.actions.push(action("2026-11-07", PRIYA));
        assert_eq!(cycle.window_start(), Some(date("2026-11-07")));
        checks.extend([
            check("2026-11-08", GOOD_EARLY),
            check("2026-11-15", Seen { shift: ShiftKind::Night, announced: false, observer: SAM, ..GOOD_EARLY }),
            check("2026-12-05", Seen { shift: ShiftKind::Late, ..GOOD_EARLY }),
        ]);
        assert_eq!(verdict_of(&cycle, &checks, "2026-12-05"), Verdict::Sustained);
        assert_eq!(cycle.current_standard(), Some("Offer choice and wait"));
        cycle.reviews[0].reinforced_standard = Some("Offer choice, every time".into());
        assert_eq!(cycle.current_standard(), Some("Offer choice, every time"));
    }

    fn review(conclusion: Conclusion, on: &str, verdict: Verdict) -> GovernanceReview {
        GovernanceReview {
            id: Uuid::now_v7(),
            reviewed_by: author(),
            reviewed_at_ms: 0,
            reviewed_on: date(on),
            verdict,
            evidence: vec![],
            findings: "Findings".into(),
            remaining_risks: "None".into(),
            conclusion,
            reinforced_standard: None,
            tightened_rule: None,
        }
    }

    #[test]
    fn the_stages_follow_what_has_been_recorded() {
        let mut cycle = cycle();
        assert_eq!(cycle.stage(), Stage::Rechecking);
        cycle.actions.clear();
        assert_eq!(cycle.stage(), Stage::NeedsAction);
        assert_eq!(cycle.verdict(&sustaining(), date("2026-11-30")), None, "no verdict before an action");
        cycle.standard = None;
        assert_eq!(cycle.stage(), Stage::NeedsStandard);
        cycle.closed_on = Some(date("2026-12-01"));
        assert_eq!(cycle.stage(), Stage::Closed);
        for stage in Stage::ALL {
            assert_eq!(Stage::from_code(stage.code()), Some(stage));
        }
    }

    #[test]
    fn closing_freezes_the_verdict_and_the_evidence() {
        let mut cycle = cycle();
        let checks = sustaining();
        let judgement = judge(&cycle.plan().unwrap(), &checks, date("2026-11-30"));
        let mut closing = review(Conclusion::Close, "2026-11-30", judgement.verdict.clone());
        closing.evidence = judgement.rechecks.iter().map(|recheck| recheck.check_id).collect();
        cycle.reviews.push(closing);
        cycle.closed_on = Some(date("2026-11-30"));
        // A later check below the standard does not change the frozen verdict, but is flagged.
        let mut later = checks.clone();
        later.push(check("2026-12-10", Seen { scores: [Some(1), Some(3), Some(3)], ..GOOD_EARLY }));
        assert_eq!(cycle.verdict(&later, date("2026-12-10")), Some(Verdict::Sustained));
        assert_eq!(reversion_in_watch(&cycle, &later).map(|check| check.check.id), Some(later[3].check.id));
        assert_eq!(corrected_since_closing(&cycle, &later), Vec::<Uuid>::new());
        // A re-check amended after closing: the verdict stays frozen, and the page is told.
        let mut amended = checks.clone();
        amended[0].superseded_by = Some(Uuid::now_v7());
        assert_eq!(cycle.verdict(&amended, date("2026-12-10")), Some(Verdict::Sustained));
        assert_eq!(corrected_since_closing(&cycle, &amended), vec![checks[0].check.id]);
    }

    #[test]
    fn the_watch_ends_after_its_days() {
        let mut cycle = cycle();
        cycle.closed_on = Some(date("2026-11-30"));
        cycle.reviews.push(review(Conclusion::Close, "2026-11-30", Verdict::Sustained));
        assert_eq!(cycle.watch_ends(), Some(date("2027-02-28")));
        let weak = Seen { scores: [Some(2), Some(3), Some(3)], ..GOOD_EARLY };
        let on_the_last_day = vec![check("2027-02-28", weak)];
        assert!(reversion_in_watch(&cycle, &on_the_last_day).is_some());
        let after = vec![check("2027-03-01", weak), check("2026-11-30", weak)];
        assert!(reversion_in_watch(&cycle, &after).is_none(), "after the watch, or on the closing day");
        let tone_only = vec![check("2026-12-05", GOOD_EARLY)];
        assert!(reversion_in_watch(&cycle, &tone_only).is_none(), "tone is not a focus criterion");
    }

    #[test]
    fn a_recheck_is_due_when_one_made_now_would_fill_something_missing() {
        let cycle = cycle();
        let plan = cycle.plan().unwrap();
        let needs =
            |checks: &[StoredCheck], today: &str| RecheckNeeds::of(&plan, &judge(&plan, checks, date(today)), checks);
        let checks = vec![check("2026-11-05", GOOD_EARLY)];
        // Missing: 2 re-checks, days, a shift type, evening/night/weekend, unannounced, independent.
        let early = needs(&checks, "2026-11-06").unwrap();
        assert_eq!(early.seen_shifts, [ShiftKind::Early]);
        assert_eq!(early.action_leaders, [PRIYA]);
        let ask = recheck_due(&early, ShiftKind::Night, false, SAM).unwrap();
        assert_eq!(ask, RecheckAsk { unannounced: true, not_by: vec![PRIYA] });
        assert_eq!(
            recheck_due_in_words("Dorota Nowak", "Respectful communication", &ask, &["Priya Shah".into()]),
            "Re-check Dorota Nowak on respectful communication: unannounced, not by Priya Shah"
        );
        // Only the days are left: nothing a check today can do.
        let mut nearly = sustaining();
        nearly[2] = check("2026-11-20", Seen { shift: ShiftKind::Late, ..GOOD_EARLY });
        assert_eq!(recheck_due(&needs(&nearly, "2026-11-21").unwrap(), ShiftKind::Late, false, SAM), None);
        // Only a night or weekend check is missing: an early weekday shift cannot give it.
        let mut daytime = sustaining();
        daytime[1].shift_kind = ShiftKind::Early;
        daytime[2].shift_kind = ShiftKind::Day;
        let daytime_needs = needs(&daytime, "2026-11-30").unwrap();
        assert_eq!(recheck_due(&daytime_needs, ShiftKind::Early, false, SAM), None);
        let ask = recheck_due(&daytime_needs, ShiftKind::Early, true, SAM).unwrap();
        assert_eq!(recheck_due_in_words("Dorota Nowak", "Pace", &ask, &[]), "Re-check Dorota Nowak on pace");
        // Only another shift type is missing: not on a shift already seen.
        let same_shift: Vec<_> = sustaining()
            .into_iter()
            .map(|mut check| {
                check.shift_kind = ShiftKind::Night;
                check
            })
            .collect();
        let same_needs = needs(&same_shift, "2026-11-30").unwrap();
        assert_eq!(recheck_due(&same_needs, ShiftKind::Night, false, SAM), None);
        assert!(recheck_due(&same_needs, ShiftKind::Late, false, SAM).is_some());
        // Only an independent check is missing: not for the coach.
        let mut by_coach = sustaining();
        by_coach[1].observer_id = PRIYA;
        let coach_needs = needs(&by_coach, "2026-11-30").unwrap();
        assert_eq!(recheck_due(&coach_needs, ShiftKind::Night, false, PRIYA), None);
        assert!(recheck_due(&coach_needs, ShiftKind::Night, false, SAM).is_some());
        // Sustained, or below the standard: nothing is offered.
        assert_eq!(needs(&sustaining(), "2026-11-30"), None);
        let weak = vec![check("2026-11-05", Seen { scores: [Some(1), Some(1), Some(1)], ..GOOD_EARLY })];
        assert_eq!(needs(&weak, "2026-11-30"), None);
    }

    #[test]
    fn a_rule_that_cannot_be_met_is_refused_beside_its_field() {
        assert_eq!(SustainmentRule::default().problems(), vec![]);
        let fields = |rule: SustainmentRule| rule.problems().into_iter().map(|p| p.field).collect::<Vec<_>>();
        let base = SustainmentRule::default();
        assert_eq!(fields(SustainmentRule { min_unannounced: 4, ..base.clone() }), ["min_unannounced"]);
        assert_eq!(fields(SustainmentRule { min_independent: 4, ..base.clone() }), ["min_independent"]);
        assert_eq!(fields(SustainmentRule { min_pressure_checks: 4, ..base.clone() }), ["min_pressure_checks"]);
        assert_eq!(fields(SustainmentRule { min_shift_types: 5, ..base.clone() }), ["min_shift_types"]);
        assert_eq!(fields(SustainmentRule { min_shift_types: 0, ..base.clone() }), ["min_shift_types"]);
        assert_eq!(
            fields(SustainmentRule {
                min_rechecks: 1,
                min_shift_types: 1,
                min_pressure_checks: 1,
                min_unannounced: 1,
                min_independent: 1,
                ..base.clone()
            }),
            Vec::<&str>::new()
        );
        assert_eq!(
            fields(SustainmentRule { min_rechecks: 2, min_shift_types: 3, ..base.clone() }),
            ["min_shift_types"]
        );
        assert_eq!(
            fields(SustainmentRule {
                min_rechecks: 0,
                min_shift_types: 0,
                min_pressure_checks: 0,
                min_unannounced: 0,
                min_independent: 0,
                ..base.clone()
            }),
            ["min_rechecks", "min_shift_types"]
        );
        assert_eq!(fields(SustainmentRule { min_days: 366, watch_days: 400, ..base }), ["min_days", "watch_days"]);
    }

    #[test]
    fn the_rule_in_words() {
        assert_eq!(
            SustainmentRule::default().in_words(),
            "At least 3 re-checks, the latest at least 28 days after the first action, on at least 2 shift types, \
             at least 1 evening, night or weekend check, at least 1 unannounced check, at least 1 check by someone \
             who led none of the actions and every one meeting the standard on the focus criteria. After closing, a \
             90-day watch."
        );
        let lenient = SustainmentRule {
            min_rechecks: 1,
            min_days: 1,
            min_shift_types: 1,
            min_pressure_checks: 0,
            min_unannounced: 0,
            min_independent: 0,
            watch_days: 30,
        };
        assert_eq!(
            lenient.in_words(),
            "At least 1 re-check, the latest at least 1 day after the first action, on at least 1 shift type and every \
             one meeting the standard on the focus criteria. After closing, a 30-day watch."
        );
    }

    #[test]
    fn a_review_may_tighten_the_plan_but_not_loosen_it() {
        let current = SustainmentRule::default();
        let tighter = SustainmentRule { min_rechecks: 5, min_days: 56, ..current.clone() };
        assert_eq!(tighter.loosened_parts(&current), vec![]);
        let looser = SustainmentRule { min_days: 14, min_unannounced: 0, ..current.clone() };
        let fields: Vec<_> = looser.loosened_parts(&current).into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["min_days", "min_unannounced"]);
    }

    fn member(id: Uuid, name: &str, has_left: bool) -> StaffMember {
        StaffMember {
            id,
            name: name.into(),
            job_title: "Care assistant".into(),
            team: None,
            service_ids: vec![SERVICE],
            has_left,
            left_at_ms: None,
        }
    }

    fn theme() -> PracticeTheme {
        let criterion = |id, title: &str| crate::domain::theme::Criterion {
            id,
            title: title.into(),
            descriptors: Default::default(),
        };
        PracticeTheme {
            id: THEME,
            name: "Respectful communication".into(),
            expected_standard: "Choice and dignity".into(),
            kind: crate::domain::theme::CheckKind::Observation,
            criteria: vec![criterion(PACE, "Pace"), criterion(CHOICE, "Choice"), criterion(TONE, "Tone")],
            quality_statements: vec![],
            version: 1,
        }
    }

    #[test]
    fn opening_refuses_leavers_other_services_staff_and_a_second_open_cycle() {
        let today = date("2026-11-30");
        let dorota = member(DOROTA, "Dorota Nowak", false);
        let theme = theme();
        assert_eq!(opening_problems(SERVICE, &[&dorota], &theme, &[], &[], &[], today), vec![]);
        let left = member(AMIR, "Amir Khan", true);
        let problems = opening_problems(SERVICE, &[&left], &theme, &[], &[], &[], today);
        assert_eq!(problems, vec![problem("staff", "Amir Khan has left; a cycle is for staff still working.")]);
        let mut elsewhere = member(AMIR, "Amir Khan", false);
        elsewhere.service_ids = vec![Uuid::from_u128(9)];
        assert_eq!(opening_problems(SERVICE, &[&elsewhere], &theme, &[], &[], &[], today)[0].field, "staff");
        assert_eq!(opening_problems(SERVICE, &[], &theme, &[], &[], &[], today)[0].field, "staff");
        let open = cycle();
        let problems = opening_problems(SERVICE, &[&dorota], &theme, std::slice::from_ref(&open), &[], &[], today);
        assert!(problems[0].message.contains("already has an open cycle"), "{problems:?}");
        let mut closed = open;
        closed.closed_on = Some(date("2026-11-01"));
        assert_eq!(opening_problems(SERVICE, &[&dorota], &theme, &[closed], &[], &[], today), vec![]);
    }

    #[test]
    fn sources_are_dated_no_later_than_today_and_linked_checks_are_the_staffs_own() {
        let today = date("2026-11-30");
        let dorota = member(DOROTA, "Dorota Nowak", false);
        let theme = theme();
        let own = check("2026-11-02", GOOD_EARLY);
        let others = check("2026-11-02", Seen { staff: AMIR, ..GOOD_EARLY });
        let linked = |check: &StoredCheck| SourceEvidence {
            kind: SourceKind::Check,
            check_id: Some(check.check.id),
            date: date("2026-11-02"),
            description: String::new(),
        };
        let checks = [own.clone(), others.clone()];
        assert_eq!(opening_problems(SERVICE, &[&dorota], &theme, &[], &checks, &[linked(&own)], today), vec![]);
        assert_eq!(
            opening_problems(SERVICE, &[&dorota], &theme, &[], &checks, &[linked(&others)], today)[0].field,
            "sources"
        );
        let future = SourceEvidence {
            kind: SourceKind::Feedback,
            check_id: None,
            date: date("2026-12-01"),
            description: "Family".into(),
        };
        let problems = opening_problems(SERVICE, &[&dorota], &theme, &[], &checks, &[future], today);
        assert_eq!(problems, vec![problem("sources", "A source is dated 1 December 2026, in the future.")]);
    }

    #[test]
    fn the_standard_needs_focus_criteria_from_the_theme_and_a_sensible_target() {
        let cycle = cycle();
        let theme = theme();
        assert_eq!(standard_problems(&cycle, &theme, &[PACE], date("2026-12-31")), vec![]);
        assert_eq!(standard_problems(&cycle, &theme, &[], date("2026-12-31"))[0].field, "focus");
        assert_eq!(
            standard_problems(&cycle, &theme, &[PACE, Uuid::from_u128(77)], date("2026-12-31"))[0].field,
            "focus"
        );
        assert_eq!(standard_problems(&cycle, &theme, &[PACE], date("2026-10-01"))[0].field, "target_date");
    }

    #[test]
    fn actions_happen_between_the_concern_and_today() {
        let cycle = cycle();
        let today = date("2026-11-30");
        assert_eq!(action_date_problems(&cycle, date("2026-11-30"), today), vec![]);
        assert_eq!(action_date_problems(&cycle, date("2026-10-28"), today), vec![]);
        assert!(action_date_problems(&cycle, date("2026-12-01"), today)[0].message.contains("future"));
        assert!(action_date_problems(&cycle, date("2026-10-27"), today)[0].message.contains("before the concern"));
    }

    #[test]
    fn codes_round_trip() {
        for kind in ActionKind::ALL {
            assert_eq!(ActionKind::from_code(kind.code()), Some(kind));
        }
        for kind in SourceKind::DESCRIBED.into_iter().chain([SourceKind::Check]) {
            assert_eq!(SourceKind::from_code(kind.code()), Some(kind));
        }
        for conclusion in Conclusion::ALL {
            assert_eq!(Conclusion::from_code(conclusion.code()), Some(conclusion));
        }
        let json = serde_json::to_value(Verdict::Improving { missing: vec![Missing::Days { count: 9 }] }).unwrap();
        assert_eq!(json, serde_json::json!({ "verdict": "improving", "missing": [{ "needs": "days", "count": 9 }] }));
        assert_eq!(join_in_words(&["a".into(), "b".into(), "c".into()]), "a, b and c");
    }
}
