//! The Care Quality Commission's assessment framework: five key questions and the 34 quality
//! statements under them. Practice themes say which statements their checks evidence, so that
//! reports can be read in the inspectors' own terms.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyQuestion {
    Safe,
    Effective,
    Caring,
    Responsive,
    WellLed,
}

impl KeyQuestion {
    pub fn label(self) -> &'static str {
        match self {
            KeyQuestion::Safe => "Safe",
            KeyQuestion::Effective => "Effective",
            KeyQuestion::Caring => "Caring",
            KeyQuestion::Responsive => "Responsive",
            KeyQuestion::WellLed => "Well-led",
        }
    }
}

macro_rules! quality_statements {
    ($($variant:ident => ($question:ident, $code:literal, $title:literal),)*) => {
        /// One of CQC's 34 quality statements; serialised by a stable code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum QualityStatement {
            $(#[serde(rename = $code)] $variant,)*
        }

        impl QualityStatement {
            pub const ALL: &'static [QualityStatement] = &[$(QualityStatement::$variant,)*];

            pub fn key_question(self) -> KeyQuestion {
                match self { $(QualityStatement::$variant => KeyQuestion::$question,)* }
            }

            pub fn code(self) -> &'static str {
                match self { $(QualityStatement::$variant => $code,)* }
            }

            pub fn title(self) -> &'static str {
                match self { $(QualityStatement::$variant => $title,)* }
            }
        }
    };
}

quality_statements! {
    LearningCulture => (Safe, "safe.learning_culture", "Learning culture"),
    SafeSystems => (Safe, "safe.safe_systems", "Safe systems, pathways and transitions"),
    Safeguarding => (Safe, "safe.safeguarding", "Safeguarding"),
    InvolvingPeopleToManageRisks => (Safe, "safe.managing_risks", "Involving people to manage risks"),
    SafeEnvironments => (Safe, "safe.environments", "Safe environments"),
    SafeAndEffectiveStaffing => (Safe, "safe.staffing", "Safe and effective staffing"),
    InfectionPreventionAndControl => (Safe, "safe.infection_control", "Infection prevention and control"),
    MedicinesOptimisation => (Safe, "safe.medicines", "Medicines optimisation"),
    AssessingNeeds => (Effective, "effective.assessing_needs", "Assessing needs"),
    EvidenceBasedCare => (Effective, "effective.evidence_based_care", "Delivering evidence-based care and treatment"),
    WorkingTogether => (Effective, "effective.working_together", "How staff, teams and services work together"),
    HealthierLives => (Effective, "effective.healthier_lives", "Supporting people to live healthier lives"),
    MonitoringOutcomes => (Effective, "effective.monitoring_outcomes", "Monitoring and improving outcomes"),
    Consent => (Effective, "effective.consent", "Consent to care and treatment"),
    KindnessCompassionDignity => (Caring, "caring.kindness_dignity", "Kindness, compassion and dignity"),
    TreatingPeopleAsIndividuals => (Caring, "caring.individuals", "Treating people as individuals"),
    IndependenceChoiceControl => (Caring, "caring.independence_choice", "Independence, choice and control"),
    ImmediateNeeds => (Caring, "caring.immediate_needs", "Responding to people's immediate needs"),
    WorkforceWellbeing => (Caring, "caring.workforce_wellbeing", "Workforce wellbeing and enablement"),
    PersonCentredCare => (Responsive, "responsive.person_centred", "Person-centred care"),
    CareContinuity => (Responsive, "responsive.continuity", "Care provision, integration and continuity"),
    ProvidingInformation => (Responsive, "responsive.information", "Providing information"),
    ListeningAndInvolving => (Responsive, "responsive.listening", "Listening to and involving people"),
    EquityInAccess => (Responsive, "responsive.equity_access", "Equity in access"),
    EquityInExperiences => (Responsive, "responsive.equity_outcomes", "Equity in experiences and outcomes"),
    PlanningForTheFuture => (Responsive, "responsive.planning_future", "Planning for the future"),
    SharedDirection => (WellLed, "well_led.shared_direction", "Shared direction and culture"),
    CapableLeaders => (WellLed, "well_led.leaders", "Capable, compassionate and inclusive leaders"),
    FreedomToSpeakUp => (WellLed, "well_led.speak_up", "Freedom to speak up"),
    WorkforceEquality => (WellLed, "well_led.workforce_equality", "Workforce equality, diversity and inclusion"),
    Governance => (WellLed, "well_led.governance", "Governance, management and sustainability"),
    Partnerships => (WellLed, "well_led.partnerships", "Partnerships and communities"),
    LearningImprovementInnovation => (WellLed, "well_led.learning_improvement", "Learning, improvement and innovation"),
    EnvironmentalSustainability => (WellLed, "well_led.environmental_sustainability", "Environmental sustainability – sustainable development"),
}

/// CQC's six categories of evidence, which its assessments weigh beside the quality statements
/// (`docs/domain.md` §9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceCategory {
    PeoplesExperience,
    StaffAndLeaders,
    Partners,
    Observation,
    Processes,
    Outcomes,
}

impl EvidenceCategory {
    pub const ALL: [EvidenceCategory; 6] = [
        EvidenceCategory::PeoplesExperience,
        EvidenceCategory::StaffAndLeaders,
        EvidenceCategory::Partners,
        EvidenceCategory::Observation,
        EvidenceCategory::Processes,
        EvidenceCategory::Outcomes,
    ];

    pub fn label(self) -> &'static str {
        match self {
            EvidenceCategory::PeoplesExperience => "People's experience",
            EvidenceCategory::StaffAndLeaders => "Feedback from staff and leaders",
            EvidenceCategory::Partners => "Feedback from partners",
            EvidenceCategory::Observation => "Observation",
            EvidenceCategory::Processes => "Processes",
            EvidenceCategory::Outcomes => "Outcomes",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn there_are_thirty_four_statements_under_five_questions() {
        let count = |question| QualityStatement::ALL.iter().filter(|s| s.key_question() == question).count();
        assert_eq!(QualityStatement::ALL.len(), 34);
        assert_eq!(count(KeyQuestion::Safe), 8);
        assert_eq!(count(KeyQuestion::Effective), 6);
        assert_eq!(count(KeyQuestion::Caring), 5);
        assert_eq!(count(KeyQuestion::Responsive), 7);
        assert_eq!(count(KeyQuestion::WellLed), 8);
    }

    #[test]
    fn codes_and_titles_are_unique_and_codes_name_their_question() {
        let codes: HashSet<_> = QualityStatement::ALL.iter().map(|s| s.code()).collect();
        let titles: HashSet<_> = QualityStatement::ALL.iter().map(|s| s.title()).collect();
        assert_eq!(codes.len(), 34);
        assert_eq!(titles.len(), 34);
        for statement in QualityStatement::ALL {
            let prefix = statement.code().split('.').next().unwrap();
            let expected = statement.key_question().label().to_lowercase().replace('-', "_");
            assert_eq!(prefix, expected, "{statement:?}");
        }
    }

    #[test]
    fn there_are_six_evidence_categories_with_their_own_labels() {
        let labels: HashSet<_> = EvidenceCategory::ALL.iter().map(|category| category.label()).collect();
        assert_eq!(labels.len(), 6);
        assert_eq!(EvidenceCategory::StaffAndLeaders.label(), "Feedback from staff and leaders");
    }

    #[test]
    fn statements_serialise_by_their_stable_code() {
        let json = serde_json::to_string(&QualityStatement::KindnessCompassionDignity).unwrap();
        assert_eq!(json, r#""caring.kindness_dignity""#);
        assert!(serde_json::from_str::<QualityStatement>(r#""caring.unknown""#).is_err());
    }
}
