//! Practice themes: what is being checked, the expected standard, and the criteria a check rates
//! on CQC's four-point scale.

use super::cqc::QualityStatement;
use super::text::{LongText, Name};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How a theme's checks are made (DOMAIN.md, "the seed's three worked examples").
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeTheme {
    pub id: Uuid,
    pub name: String,
    pub expected_standard: String,
    pub kind: CheckKind,
    pub criteria: Vec<Criterion>,
    pub quality_statements: Vec<QualityStatement>,
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
    fn check_kind_codes_round_trip() {
        for kind in CheckKind::ALL {
            assert_eq!(CheckKind::from_code(kind.code()), Some(kind));
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{}\"", kind.code()));
        }
        assert_eq!(CheckKind::from_code("survey"), None);
    }
}
