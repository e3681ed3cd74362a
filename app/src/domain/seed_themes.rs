//! The three seed practice themes (`docs/domain.md` §3), installed in every new deployment so a
//! provider can start checking on day one and adapt the wording later.

use super::cqc::QualityStatement;
use super::text::{LongText, Name};
use super::theme::{CheckKind, NewCriterion, NewTheme};

struct SeedCriterion {
    title: &'static str,
    descriptors: [&'static str; 4],
}

struct SeedTheme {
    name: &'static str,
    kind: CheckKind,
    expected_standard: &'static str,
    quality_statements: &'static [QualityStatement],
    criteria: &'static [SeedCriterion],
}

const SEED_THEMES: &[SeedTheme] = &[
    SeedTheme {
        name: "Respectful communication during personal care",
        kind: CheckKind::Observation,
        expected_standard: "Staff explain what they are about to do and wait for the person's response, \
            go at the person's pace, offer real choices (clothes, toiletries, order of care) and keep \
            the person covered and the door closed. Tone is warm and adult, and staff talk with the \
            person rather than over them.",
        quality_statements: &[
            QualityStatement::KindnessCompassionDignity,
            QualityStatement::TreatingPeopleAsIndividuals,
            QualityStatement::IndependenceChoiceControl,
        ],
        criteria: &[
            SeedCriterion {
                title: "Pace",
                descriptors: [
                    "Care was rushed throughout; the person could not keep up or take part.",
                    "Some steps were hurried or started before the person was ready.",
                    "Care went at the person's pace, with time to respond at each step.",
                    "Pace was led by the person throughout, and staff adapted when they tired.",
                ],
            },
            SeedCriterion {
                title: "Choice offered",
                descriptors: [
                    "No choices were offered; decisions were made for the person.",
                    "A choice was offered once, or in a way that expected a particular answer.",
                    "Real choices were offered at the key points and the answers respected.",
                    "The person directed their own care, with choices offered in the way they understand best.",
                ],
            },
            SeedCriterion {
                title: "Dignity and privacy",
                descriptors: [
                    "The person was left exposed or care was given in view of others.",
                    "Privacy was mostly kept, with lapses (door open, body left uncovered).",
                    "The person was kept covered, the door closed and consent sought before touch.",
                    "Dignity was protected throughout, and staff anticipated what the person would want.",
                ],
            },
            SeedCriterion {
                title: "Tone and language",
                descriptors: [
                    "Tone was curt, task-focused or talked over the person.",
                    "Mostly polite, but with instructions rather than conversation.",
                    "Warm, respectful and adult; staff spoke with the person about the care.",
                    "Warm and personal, using what matters to the person to put them at ease.",
                ],
            },
        ],
    },
    SeedTheme {
        name: "Accuracy of daily recording",
        kind: CheckKind::RecordSample,
        expected_standard: "Each daily note says what care was given, how the person responded and any \
            change or concern, in plain words that another shift could act on. Notes match the care \
            actually delivered and are written during or straight after the shift.",
        quality_statements: &[
            QualityStatement::SafeSystems,
            QualityStatement::MonitoringOutcomes,
            QualityStatement::Governance,
        ],
        criteria: &[
            SeedCriterion {
                title: "Clarity of entries",
                descriptors: [
                    "Most entries are vague (\"all fine\", \"settled\") and could not be acted on.",
                    "Some entries are clear, but several are vague or copied from earlier days.",
                    "Entries are specific about what was done and how the person was.",
                    "Entries are specific and personal, and flag changes for the next shift.",
                ],
            },
            SeedCriterion {
                title: "Alignment with care delivered",
                descriptors: [
                    "Notes do not match the care given, or describe care that did not happen.",
                    "Notes broadly match, with gaps or timings that do not fit.",
                    "Notes match the care delivered and the care plan.",
                    "Notes match exactly and explain any departure from the care plan.",
                ],
            },
            SeedCriterion {
                title: "Link between care and outcome",
                descriptors: [
                    "No outcome or response is recorded.",
                    "Outcomes are mentioned but not linked to the care given.",
                    "Each entry says how the person responded to the care given.",
                    "Outcomes are linked to care and followed up where something changed.",
                ],
            },
        ],
    },
    SeedTheme {
        name: "Consistent response to low-level behavioural distress",
        kind: CheckKind::DistressEpisode,
        expected_standard: "Staff recognise the early signs and known triggers of distress, use the \
            approach agreed in the person's behaviour support plan, use calm de-escalation language, \
            and record the trigger, the response and the outcome so every shift responds the same way.",
        quality_statements: &[
            QualityStatement::InvolvingPeopleToManageRisks,
            QualityStatement::ImmediateNeeds,
            QualityStatement::PersonCentredCare,
        ],
        criteria: &[
            SeedCriterion {
                title: "Trigger recognised",
                descriptors: [
                    "Early signs were missed until distress escalated.",
                    "Distress was noticed late, or the trigger was not identified.",
                    "Early signs were noticed and the likely trigger identified.",
                    "The trigger was anticipated and steps taken before distress built.",
                ],
            },
            SeedCriterion {
                title: "Agreed approach used",
                descriptors: [
                    "The behaviour support plan approach was not used.",
                    "Parts of the agreed approach were used, mixed with other responses.",
                    "The agreed approach from the behaviour support plan was followed.",
                    "The agreed approach was followed and adapted sensitively to the moment.",
                ],
            },
            SeedCriterion {
                title: "De-escalation language",
                descriptors: [
                    "Language raised tension (raised voice, arguing, instructions).",
                    "Mostly calm, with some language that added to the tension.",
                    "Calm, simple, reassuring language throughout.",
                    "Calm language using the person's own words and interests to reassure them.",
                ],
            },
            SeedCriterion {
                title: "Outcome for the person",
                descriptors: [
                    "Distress escalated or the person was left distressed.",
                    "Distress eased slowly, or returned soon after.",
                    "The person settled and their activity continued.",
                    "The person settled quickly and re-engaged in what they enjoy.",
                ],
            },
        ],
    },
];

/// The seed themes as validated new themes, each with fresh ids.
pub fn default_themes() -> Vec<NewTheme> {
    SEED_THEMES
        .iter()
        .map(|seed| {
            let criteria = seed
                .criteria
                .iter()
                .map(|criterion| {
                    NewCriterion::new(
                        Name::parse("Criterion", criterion.title).expect("seed criterion title is valid"),
                        criterion
                            .descriptors
                            .map(|text| LongText::parse("Descriptor", text).expect("seed descriptor is valid")),
                    )
                })
                .collect();
            NewTheme::new(
                Name::parse("Theme name", seed.name).expect("seed theme name is valid"),
                LongText::parse("Expected standard", seed.expected_standard).expect("seed standard is valid"),
                seed.kind,
                criteria,
                seed.quality_statements.to_vec(),
            )
            .expect("seed theme is valid")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_seed_themes_cover_each_check_kind_once() {
        let themes = default_themes();
        let kinds: Vec<_> = themes.iter().map(|theme| theme.kind).collect();
        assert_eq!(kinds, CheckKind::ALL.to_vec());
    }

    #[test]
    fn every_seed_theme_evidences_at_least_one_quality_statement() {
        assert!(default_themes().iter().all(|theme| !theme.quality_statements.is_empty()));
    }

    #[test]
    fn each_call_gives_fresh_ids() {
        assert_ne!(default_themes()[0].id, default_themes()[0].id);
    }
}
