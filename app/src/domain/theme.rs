//! Practice themes: what is being checked, the expected standard, and the criteria a check rates
//! on CQC's four-point scale.

use super::cqc::QualityStatement;
use super::text::{LongText, Name};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How a theme's checks are made (`docs/domain.md`, "The seed practice themes").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// Watching a staff member deliver care.
    Observation,
    /// Sampling written records, such as daily notes, for clarity and accuracy.
    RecordSample,
    /// Reviewing how staff responded to one episode of distress.
    DistressEpisode,
}

impl CheckKind {
    pub const ALL: [CheckKind; 3] = [CheckKind::Observation, CheckKind::RecordSample, CheckKind::DistressEpisode];

    pub fn label(self) -> &'static str {
        match self {
            CheckKind::Observation => "Direct observation",
            CheckKind::RecordSample => "Record sample",
            CheckKind::DistressEpisode => "Distress episode",
        }
    }

    /// The code stored in the database and used in the API.
    pub fn code(self) -> &'static str {
        match self {
            CheckKind::Observation => "observation",
            CheckKind::RecordSample => "record_sample",
            CheckKind::DistressEpisode => "distress_episode",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        CheckKind::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

/// CQC's scale, which every criterion descriptor follows: 1 significant shortfalls, 2 some
/// shortfalls, 3 good, 4 exceptional.
pub const SCALE_LABELS: [&str; 4] = ["Significant shortfalls", "Some shortfalls", "Good", "Exceptional"];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Criterion {
    pub id: Uuid,
    pub title: String,
    /// What practice at each point of the scale looks like, from 1 to 4.
    pub descriptors: [String; 4],
}

/// A theme as it stands now: its current version's expected standard and criteria.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeTheme {
    pub id: Uuid,
    pub name: String,
    pub expected_standard: String,
    pub kind: CheckKind,
    pub criteria: Vec<Criterion>,
    pub quality_statements: Vec<QualityStatement>,
    /// The current version, counted from 1 (`docs/domain.md` §5, "Themes have versions").
    pub version: u32,
}

/// What a theme's checks were rated against from `made_at_ms` until its next version: the
/// expected standard and the criteria with their descriptors. Checks keep the version they used,
/// so a score always means what the shift leader saw when they gave it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeVersion {
    pub theme_id: Uuid,
    pub version: u32,
    pub expected_standard: String,
    pub criteria: Vec<Criterion>,
    /// Milliseconds since 1970 (UTC).
    pub made_at_ms: i64,
    /// Who made it, as the audit trail names them.
    pub made_by: String,
}

impl PracticeTheme {
    /// The criterion `id`, in the current version.
    pub fn criterion(&self, id: Uuid) -> Option<&Criterion> {
        self.criteria.iter().find(|criterion| criterion.id == id)
    }
}

impl NewTheme {
    /// Whether saving this over `current` makes a new version: the expected standard or the
    /// criteria (which, in what order, their titles and descriptors) differ. A new name, check
    /// kind or set of quality statements changes the theme but not what its scores mean.
    pub fn changes_what_scores_mean(&self, current: &PracticeTheme) -> bool {
        let same_criteria = self.criteria.len() == current.criteria.len()
            && self.criteria.iter().zip(&current.criteria).all(|(new, old)| {
                new.id == old.id
                    && new.title.as_str() == old.title
                    && new.descriptors.iter().zip(&old.descriptors).all(|(new, old)| new.as_str() == old)
            });
        !same_criteria || self.expected_standard.as_str() != current.expected_standard
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCriterion {
    pub id: Uuid,
    pub title: Name,
    pub descriptors: [LongText; 4],
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTheme {
    pub id: Uuid,
    pub name: Name,
    pub expected_standard: LongText,
    pub kind: CheckKind,
    pub criteria: Vec<NewCriterion>,
    pub quality_statements: Vec<QualityStatement>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ThemeError {
    #[error("a practice theme needs at least one criterion")]
    NoCriteria,
    #[error("a practice theme may have at most {MAX_CRITERIA} criteria")]
    TooManyCriteria,
    #[error("two criteria are both called “{0}”")]
    RepeatedCriterion(String),
    #[error("the criterion “{0}” appears twice")]
    CriterionTwice(String),
}

pub const MAX_CRITERIA: usize = 12;

impl NewTheme {
    pub fn new(
        name: Name,
        expected_standard: LongText,
        kind: CheckKind,
        criteria: Vec<NewCriterion>,
        mut quality_statements: Vec<QualityStatement>,
    ) -> Result<Self, ThemeError> {
        if criteria.is_empty() {
            return Err(ThemeError::NoCriteria);
        }
        if criteria.len() > MAX_CRITERIA {
            return Err(ThemeError::TooManyCriteria);
        }
        for (index, criterion) in criteria.iter().enumerate() {
            let title = criterion.title.as_str();
            if criteria[..index].iter().any(|other| other.title.as_str().eq_ignore_ascii_case(title)) {
                return Err(ThemeError::RepeatedCriterion(title.to_owned()));
            }
            if criteria[..index].iter().any(|other| other.id == criterion.id) {
                return Err(ThemeError::CriterionTwice(title.to_owned()));
            }
        }
        quality_statements.sort();
        quality_statements.dedup();
        Ok(NewTheme { id: Uuid::now_v7(), name, expected_standard, kind, criteria, quality_statements })
    }
}

impl NewCriterion {
    pub fn new(title: Name, descriptors: [LongText; 4]) -> Self {
        NewCriterion { id: Uuid::now_v7(), title, descriptors }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criterion(title: &str) -> NewCriterion {
        let text = |t: &str| LongText::parse("Descriptor", t).unwrap();
        NewCriterion::new(Name::parse("Title", title).unwrap(), [text("1"), text("2"), text("3"), text("4")])
    }

    fn theme(criteria: Vec<NewCriterion>, statements: Vec<QualityStatement>) -> Result<NewTheme, ThemeError> {
        NewTheme::new(
            Name::parse("Name", "Mealtimes").unwrap(),
            LongText::parse("Expected standard", "People choose what and where they eat.").unwrap(),
            CheckKind::Observation,
            criteria,
            statements,
        )
    }

    #[test]
    fn a_theme_without_criteria_is_refused() {
        assert_eq!(theme(vec![], vec![]), Err(ThemeError::NoCriteria));
    }

    #[test]
    fn a_theme_with_more_than_twelve_criteria_is_refused() {
        let criteria = (0..13).map(|n| criterion(&format!("Criterion {n}"))).collect();
        assert_eq!(theme(criteria, vec![]), Err(ThemeError::TooManyCriteria));
    }

    #[test]
    fn two_criteria_with_the_same_title_in_any_case_are_refused() {
        let result = theme(vec![criterion("Choice"), criterion("choice")], vec![]);
        assert_eq!(result, Err(ThemeError::RepeatedCriterion("choice".into())));
    }

    #[test]
    fn quality_statements_are_kept_once_each_in_framework_order() {
        let statements = vec![
            QualityStatement::IndependenceChoiceControl,
            QualityStatement::KindnessCompassionDignity,
            QualityStatement::IndependenceChoiceControl,
        ];
        let theme = theme(vec![criterion("Choice")], statements).unwrap();
        assert_eq!(
            theme.quality_statements,
            vec![QualityStatement::KindnessCompassionDignity, QualityStatement::IndependenceChoiceControl]
        );
    }

    #[test]
    fn the_same_criterion_sent_twice_is_refused() {
        let first = criterion("Choice");
        let again = NewCriterion { title: Name::parse("Title", "Pace").unwrap(), ..first.clone() };
        assert_eq!(theme(vec![first, again], vec![]), Err(ThemeError::CriterionTwice("Pace".into())));
    }

    fn stored(theme: &NewTheme) -> PracticeTheme {
        PracticeTheme {
            id: theme.id,
            name: theme.name.to_string(),
            expected_standard: theme.expected_standard.to_string(),
            kind: theme.kind,
            criteria: theme
                .criteria
                .iter()
                .map(|c| Criterion {
                    id: c.id,
                    title: c.title.to_string(),
                    descriptors: c.descriptors.each_ref().map(|d| d.to_string()),
                })
                .collect(),
            quality_statements: theme.quality_statements.clone(),
            version: 1,
        }
    }

    #[test]
    fn a_new_version_is_made_when_criteria_descriptors_or_the_standard_change_and_only_then() {
        let original = theme(vec![criterion("Choice"), criterion("Pace")], vec![]).unwrap();
        let current = stored(&original);
        let renamed = NewTheme { name: Name::parse("Name", "Meals").unwrap(), ..original.clone() };
        assert!(!renamed.changes_what_scores_mean(&current), "a new name keeps the version");
        let with_statement =
            NewTheme { quality_statements: vec![QualityStatement::PersonCentredCare], ..original.clone() };
        assert!(!with_statement.changes_what_scores_mean(&current));

        let mut reworded = original.clone();
        reworded.criteria[1].descriptors[2] = LongText::parse("D", "Unhurried").unwrap();
        assert!(reworded.changes_what_scores_mean(&current), "a descriptor is what a score means");
        let mut retitled = original.clone();
        retitled.criteria[0].title = Name::parse("Title", "Choice offered").unwrap();
        assert!(retitled.changes_what_scores_mean(&current));
        let fewer = NewTheme { criteria: vec![original.criteria[0].clone()], ..original.clone() };
        assert!(fewer.changes_what_scores_mean(&current));
        let reordered = NewTheme { criteria: original.criteria.iter().rev().cloned().collect(), ..original.clone() };
        assert!(reordered.changes_what_scores_mean(&current));
        let new_standard =
            NewTheme { expected_standard: LongText::parse("S", "Everyone chooses.").unwrap(), ..original.clone() };
        assert!(new_standard.changes_what_scores_mean(&current));
    }

    #[test]
    fn check_kind_codes_round_trip() {
        for kind in CheckKind::ALL {
            assert_eq!(CheckKind::from_code(kind.code()), Some(kind));
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{}\"", kind.code()));
        }
        assert_eq!(CheckKind::from_code("survey"), None);
    }
}
