//! Records as spreadsheets (`docs/domain.md` §10, exports). A sheet turns records into rows of
//! text; the server writes them with the csv crate and streams them page by page, so an export
//! of any size holds one page in memory. Every cell passes [`spreadsheet_safe`].

use crate::domain::check::StoredCheck;
use crate::domain::cycle::Cycle;
use crate::domain::recording::{NO, YES, detail_values};
use crate::domain::review::Review;
use crate::domain::spreadsheet::spreadsheet_safe;
use crate::domain::warning::Decision;
use crate::pages::checks::{Names, detail_label};
use crate::pages::uk_time;
use crate::storage::{CurrentWarning, JudgedCycle};
use uuid::Uuid;

/// Every cell of a row made safe from formulas.
fn safe(cells: impl IntoIterator<Item = String>) -> Vec<String> {
    cells.into_iter().map(|cell| spreadsheet_safe(&cell).into_owned()).collect()
}

fn yes_no(yes: bool) -> String {
    if yes { "Yes" } else { "No" }.to_owned()
}

/// A moment on the UK clock, as a spreadsheet sorts it.
fn uk_moment(at_ms: i64) -> String {
    uk_time::wall_clock(at_ms, "Europe/London", "%Y-%m-%d %H:%M")
}

/// A sheet's column headings, made safe.
fn headings(columns: &[&str]) -> Vec<String> {
    safe(columns.iter().map(|column| (*column).to_owned()))
}

fn service_name(names: &Names, id: Uuid) -> String {
    names.service(id).map_or(String::new(), |service| service.name.clone())
}

fn theme_name(names: &Names, id: Uuid) -> String {
    names.theme(id).map_or(String::new(), |theme| theme.name.clone())
}

/// The columns every row about a cycle starts with, in the cycles' and the actions' sheets.
const CYCLE_COLUMNS: [&str; 4] = ["Cycle", "Service", "Practice theme", "About"];

fn cycle_cells(names: &Names, cycle: &Cycle) -> [String; 4] {
    [
        cycle.id.to_string(),
        service_name(names, cycle.service_id),
        theme_name(names, cycle.theme_id),
        crate::pages::cycles::about(names, cycle),
    ]
}

/// Every detail a check of any kind records, in the order the columns take.
const DETAIL_COLUMNS: [&str; 12] = [
    "examples",
    "person_response",
    "feedback_given",
    "feedback",
    "notes_sampled",
    "notes_clear",
    "notes_vague",
    "alignment",
    "trigger",
    "agreed_approach_used",
    "de_escalation_language",
    "outcome",
];

/// One criterion's column: the criteria of every version of a theme, each once, so a check keeps
/// its score under the criterion it rated even after the criterion was reworded or removed.
struct CriterionColumn {
    theme_id: Uuid,
    criterion_id: Uuid,
    heading: String,
}

/// Checks as rows: one row a check, a column a criterion (the score, "N/A", or nothing where the
/// check's theme has no such criterion), then the kind's details.
pub struct CheckSheet {
    names: Names,
    criteria: Vec<CriterionColumn>,
}

impl CheckSheet {
    /// The sheet for the checks of `theme_id`, or of every theme.
    pub fn new(names: Names, theme_id: Option<Uuid>) -> CheckSheet {
        let themes: Vec<_> = names.themes.iter().filter(|theme| theme_id.is_none_or(|id| theme.id == id)).collect();
        let one_theme = themes.len() == 1;
        let mut criteria: Vec<CriterionColumn> = Vec::new();
        for theme in themes {
            // The newest wording first; a criterion only older versions had keeps its last name.
            let mut versions: Vec<_> = names.versions.iter().filter(|version| version.theme_id == theme.id).collect();
            versions.sort_by_key(|version| std::cmp::Reverse(version.version));
            let current = theme.criteria.iter();
            for criterion in current.chain(versions.into_iter().flat_map(|version| version.criteria.iter())) {
                if !criteria.iter().any(|column| column.criterion_id == criterion.id) {
                    let heading = match one_theme {
                        true => criterion.title.clone(),
                        false => format!("{}: {}", theme.name, criterion.title),
                    };
                    criteria.push(CriterionColumn { theme_id: theme.id, criterion_id: criterion.id, heading });
                }
            }
        }
        CheckSheet { names, criteria }
    }

    pub fn header(&self) -> Vec<String> {
        let fixed = [
            "Check",
            "Observed (the service's own clock)",
            "Service",
            "Staff member",
            "Practice theme",
            "Theme version rated against",
            "Shift",
            "Weekend",
            "Announced",
            "Observer",
            "Meets the standard",
            "Weak",
            "Corrects check",
            "Reason for the correction",
        ];
        let fixed = fixed.into_iter().map(str::to_owned);
        let criteria = self.criteria.iter().map(|column| column.heading.clone());
        let details = DETAIL_COLUMNS.iter().map(|name| detail_label(name).to_owned());
        safe(fixed.chain(criteria).chain(details))
    }

    pub fn row(&self, kept: &StoredCheck) -> Vec<String> {
        let names = &self.names;
        let check = &kept.check;
        let service = names.service(check.service_id);
        let zone = service.map_or("Europe/London", |service| service.time_zone.as_str());
        let fixed = [
            check.id.to_string(),
            uk_time::wall_clock(kept.observed_at_ms, zone, "%Y-%m-%d %H:%M"),
            service.map_or(String::new(), |service| service.name.clone()),
            names.staff(check.staff_id).to_owned(),
            theme_name(names, check.theme_id),
            kept.rated_against_version.to_string(),
            kept.shift_kind.label().to_owned(),
            yes_no(kept.weekend_practice),
            yes_no(check.announced),
            names.person(kept.observer_id).to_owned(),
            yes_no(kept.assessment.meets_standard),
            yes_no(kept.assessment.weak),
            check.amends.as_ref().map_or(String::new(), |amendment| amendment.check_id.to_string()),
            check.amends.as_ref().map_or(String::new(), |amendment| amendment.reason.clone()),
        ];
        let criteria = self.criteria.iter().map(|column| {
            let rating = (column.theme_id == check.theme_id)
                .then(|| check.ratings.iter().find(|rating| rating.criterion_id == column.criterion_id))
                .flatten();
            match rating {
                Some(rating) => rating.score.map_or("N/A".to_owned(), |score| score.to_string()),
                None => String::new(),
            }
        });
        let recorded = detail_values(&check.details);
        let details = DETAIL_COLUMNS.iter().map(|name| {
            match recorded.iter().find(|(recorded, _)| recorded == name).map(|(_, value)| value.as_str()) {
                Some(YES) => "Yes".to_owned(),
                Some(NO) => "No".to_owned(),
                Some(value) => value.to_owned(),
                None => String::new(),
            }
        });
        safe(fixed.into_iter().chain(criteria).chain(details))
    }
}

/// Improvement cycles as rows: one a cycle, from its concern to its verdict and the latest
/// governance conclusion, as the cycles list shows them.
pub struct CycleSheet {
    names: Names,
}

impl CycleSheet {
    pub fn new(names: Names) -> CycleSheet {
        CycleSheet { names }
    }

    pub fn header(&self) -> Vec<String> {
        headings(
            &[
                CYCLE_COLUMNS.as_slice(),
                &[
                    "Opened on",
                    "Opened by",
                    "Concern",
                    "Expected standard",
                    "Owner",
                    "Target date",
                    "Actions",
                    "First action on",
                    "Re-checks",
                    "Stage",
                    "Verdict",
                    "Latest governance conclusion",
                    "Concluded on",
                    "Concluded by",
                    "Closed on",
                ],
            ]
            .concat(),
        )
    }

    pub fn row(&self, judged: &JudgedCycle) -> Vec<String> {
        let names = &self.names;
        let cycle = &judged.cycle;
        let standard = cycle.standard.as_ref();
        let latest_review = cycle.reviews.last();
        safe(cycle_cells(names, cycle).into_iter().chain([
            cycle.opened_on.to_string(),
            cycle.opened_by.name.clone(),
            cycle.concern.clone(),
            standard.map_or(String::new(), |standard| standard.standard.clone()),
            standard.map_or(String::new(), |standard| names.person(standard.owner_id).to_owned()),
            standard.map_or(String::new(), |standard| standard.target_date.to_string()),
            cycle.actions.len().to_string(),
            cycle.actions.iter().map(|action| action.date).min().map_or(String::new(), |day| day.to_string()),
            judged.rechecks().count().to_string(),
            cycle.stage().label().to_owned(),
            judged.verdict_in_words(),
            latest_review.map_or(String::new(), |review| review.conclusion.label().to_owned()),
            latest_review.map_or(String::new(), |review| review.reviewed_on.to_string()),
            latest_review.map_or(String::new(), |review| review.reviewed_by.name.clone()),
            cycle.closed_on.map_or(String::new(), |day| day.to_string()),
        ]))
    }
}

/// The actions of improvement cycles as rows: one an action, with the cycle it belongs to.
pub struct ActionSheet {
    names: Names,
}

impl ActionSheet {
    pub fn new(names: Names) -> ActionSheet {
        ActionSheet { names }
    }

    pub fn header(&self) -> Vec<String> {
        headings(
            &[
                CYCLE_COLUMNS.as_slice(),
                &[
                    "Action",
                    "Kind",
                    "On",
                    "Led by",
                    "Attending",
                    "Guidance given",
                    "Staff response",
                    "Points expected at re-checks",
                    "Recorded by",
                    "Recorded at (UK time)",
                ],
            ]
            .concat(),
        )
    }

    /// A row for each of the cycle's actions, oldest first.
    pub fn rows(&self, judged: &JudgedCycle) -> Vec<Vec<String>> {
        let names = &self.names;
        let cycle = &judged.cycle;
        let mut actions: Vec<_> = cycle.actions.iter().collect();
        actions.sort_by_key(|action| (action.date, action.recorded_at_ms));
        actions
            .into_iter()
            .map(|action| {
                let attending: Vec<&str> = action.attendees.iter().map(|id| names.staff(*id)).collect();
                safe(cycle_cells(names, cycle).into_iter().chain([
                    action.id.to_string(),
                    action.kind.label().to_owned(),
                    action.date.to_string(),
                    names.person(action.led_by).to_owned(),
                    attending.join(", "),
                    action.guidance.clone(),
                    action.response.clone(),
                    action.expected_points.clone(),
                    action.recorded_by.name.clone(),
                    uk_moment(action.recorded_at_ms),
                ]))
            })
            .collect()
    }
}

/// Early warnings as rows: one a warning as it stands now, with what was found in words and
/// what was decided about it.
pub struct WarningSheet {
    names: Names,
}

impl WarningSheet {
    pub fn new(names: Names) -> WarningSheet {
        WarningSheet { names }
    }

    pub fn header(&self) -> Vec<String> {
        headings(&[
            "Warning",
            "Kind",
            "Service",
            "Practice theme",
            "Staff member",
            "What was found",
            "Checks behind it",
            "Cycle",
            "Decision",
            "Note",
            "Decided by",
            "Decided at (UK time)",
        ])
    }

    pub fn row(&self, current: &CurrentWarning) -> Vec<String> {
        let names = &self.names;
        let warning = &current.warning;
        let decision = current.decision.as_ref();
        let checks: Vec<String> = warning.check_ids.iter().map(Uuid::to_string).collect();
        safe([
            warning.key.clone(),
            warning.kind.label().to_owned(),
            service_name(names, warning.service_id),
            warning.theme_id.map_or(String::new(), |id| theme_name(names, id)),
            warning.staff_id.map_or(String::new(), |id| names.staff(id).to_owned()),
            crate::pages::warnings::in_words(names, warning),
            checks.join(" "),
            warning.cycle_id.map_or(String::new(), |id| id.to_string()),
            match decision.map(|decision| decision.decision) {
                None => "Open".to_owned(),
                Some(Decision::Acknowledged) => "Acknowledged".to_owned(),
                Some(Decision::Dismissed) => "Dismissed".to_owned(),
            },
            decision.map_or(String::new(), |decision| decision.note.clone()),
            decision.map_or(String::new(), |decision| decision.decided_by.name.clone()),
            decision.map_or(String::new(), |decision| uk_moment(decision.decided_at_ms)),
        ])
    }
}

/// Reviews as rows: one a review, with what was looked at, found and done.
pub struct ReviewSheet {
    names: Names,
}

impl ReviewSheet {
    pub fn new(names: Names) -> ReviewSheet {
        ReviewSheet { names }
    }

    pub fn header(&self) -> Vec<String> {
        headings(&[
            "Review",
            "Service",
            "Kind",
            "Period",
            "Recorded by",
            "Recorded at (UK time)",
            "What was looked at",
            "Findings",
            "Actions taken",
            "Checks covered",
            "Practice themes covered",
        ])
    }

    pub fn row(&self, review: &Review) -> Vec<String> {
        let names = &self.names;
        let themes: Vec<&str> =
            review.theme_ids.iter().filter_map(|id| names.theme(*id).map(|theme| theme.name.as_str())).collect();
        safe([
            review.id.to_string(),
            service_name(names, review.service_id),
            review.kind.label().to_owned(),
            crate::pages::reviews::period_words(&review.period),
            review.recorded_by.name.clone(),
            uk_moment(review.recorded_at_ms),
            review.looked_at.clone(),
            review.findings.clone(),
            review.actions_taken.clone(),
            review.check_ids.len().to_string(),
            themes.join("; "),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::cycle::tests::{GOOD_EARLY, check};
    use crate::domain::theme::{CheckKind, Criterion, PracticeTheme, ThemeVersion};
    use std::collections::HashMap;

    fn criterion(id: u128, title: &str) -> Criterion {
        Criterion { id: Uuid::from_u128(id), title: title.into(), descriptors: Default::default() }
    }

    /// The cycle tests' theme (pace, choice and tone) at version 2, which reworded pace and
    /// removed tone, beside a second theme; and its observed staff member, named like a formula.
    fn names() -> Names {
        let theme_id = Uuid::from_u128(2);
        let first = ThemeVersion {
            theme_id,
            version: 1,
            expected_standard: String::new(),
            criteria: vec![criterion(20, "Pace"), criterion(21, "Choice"), criterion(22, "Tone")],
            made_at_ms: 0,
            made_by: String::new(),
        };
        let second = ThemeVersion {
            version: 2,
            criteria: vec![criterion(20, "Unhurried pace"), criterion(21, "Choice")],
            ..first.clone()
        };
        let theme = PracticeTheme {
            id: theme_id,
            name: "Communication".into(),
            expected_standard: String::new(),
            kind: CheckKind::Observation,
            criteria: second.criteria.clone(),
            quality_statements: vec![],
            version: 2,
        };
        let notes = PracticeTheme {
            id: Uuid::from_u128(3),
            name: "Notes".into(),
            criteria: vec![criterion(30, "Clarity")],
            ..theme.clone()
        };
        Names {
            services: vec![],
            staff: HashMap::from([(Uuid::from_u128(10), "=cmd|' /C calc'!A0".to_owned())]),
            themes: vec![theme, notes],
            versions: vec![first, second],
            people: HashMap::new(),
        }
    }

    #[test]
    fn a_criterion_keeps_its_column_once_reworded_or_removed_and_scores_only_its_own_theme() {
        let sheet = CheckSheet::new(names(), Some(Uuid::from_u128(2)));
        let header = sheet.header();
        let criteria = &header[14..17];
        assert_eq!(criteria, ["Unhurried pace", "Choice", "Tone"]);
        let row = sheet.row(&check("2026-11-10", GOOD_EARLY));
        assert_eq!(row.len(), header.len());
        assert_eq!(&row[14..17], ["3", "3", "2"]);

        let every_theme = CheckSheet::new(names(), None);
        let header = every_theme.header();
        assert_eq!(
            &header[14..18],
            ["Communication: Unhurried pace", "Communication: Choice", "Communication: Tone", "Notes: Clarity"]
        );
        let row = every_theme.row(&check("2026-11-10", GOOD_EARLY));
        assert_eq!(&row[14..18], ["3", "3", "2", ""], "no score under another theme's criterion");
        assert_eq!(row[header.iter().position(|heading| heading == "Weekend").unwrap()], "No");
    }

    #[test]
    fn every_cell_is_safe_from_formulas() {
        let sheet = CheckSheet::new(names(), None);
        let row = sheet.row(&check("2026-11-10", GOOD_EARLY));
        assert_eq!(row[3], "'=cmd|' /C calc'!A0", "the staff member's name, made text");
    }
}
