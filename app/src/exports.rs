//! Records as spreadsheets (`docs/domain.md` §10, exports). A sheet turns records into rows of
//! text; the server writes them with the csv crate and streams them page by page, so an export
//! of any size holds one page in memory. Every cell passes [`spreadsheet_safe`].

use crate::domain::check::StoredCheck;
use crate::domain::recording::{NO, YES, detail_values};
use crate::domain::spreadsheet::spreadsheet_safe;
use crate::pages::checks::{Names, detail_label};
use crate::pages::uk_time;
use uuid::Uuid;

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
        fixed.chain(criteria).chain(details).map(|cell| spreadsheet_safe(&cell).into_owned()).collect()
    }

    pub fn row(&self, kept: &StoredCheck) -> Vec<String> {
        let names = &self.names;
        let check = &kept.check;
        let yes_no = |yes: bool| if yes { "Yes" } else { "No" }.to_owned();
        let service = names.service(check.service_id);
        let zone = service.map_or("Europe/London", |service| service.time_zone.as_str());
        let fixed = [
            check.id.to_string(),
            uk_time::wall_clock(kept.observed_at_ms, zone, "%Y-%m-%d %H:%M"),
            service.map_or(String::new(), |service| service.name.clone()),
            names.staff(check.staff_id).to_owned(),
            names.theme(check.theme_id).map_or(String::new(), |theme| theme.name.clone()),
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
        fixed.into_iter().chain(criteria).chain(details).map(|cell| spreadsheet_safe(&cell).into_owned()).collect()
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
