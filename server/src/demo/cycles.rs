//! The demonstration provider's improvement cycles, made from its check history so that every
//! verdict is the one the checks give (`docs/domain.md` §6), and one cycle in each state a
//! manager meets: Dorota Nowak's, sustained and closed; Isaac Mensah's, reverted on unannounced
//! nights and waiting for the deputy manager; Quentin Ashby's, escalated once and improving again,
//! with evidence still missing; and a group cycle on daily recording at Larch House, opened last
//! week. Hana Kimura's repeated weak checks have no cycle yet, as the warnings will point out.

use recheck_app::domain::audit::Author;
use recheck_app::domain::check::{CheckFilter, StoredCheck, date_in_zone};
use recheck_app::domain::cycle::{
    ActionKind, Conclusion, Cycle, CycleAction, ExpectedStandard, GovernanceReview, SourceEvidence, SourceKind,
    SustainmentRule, Verdict, judge,
};
use recheck_app::domain::organisation::Service;
use recheck_app::domain::theme::{CheckKind, PracticeTheme};
use recheck_app::domain::wall_clock::CalendarDate;
use recheck_app::storage::{Storage, StorageError};
use uuid::Uuid;

/// The people and places the cycles name, looked up by name.
pub struct Cast<'a> {
    pub services: &'a [Service],
    pub themes: &'a [PracticeTheme],
    pub staff: Vec<(String, Uuid)>,
    pub users: Vec<(String, Uuid)>,
}

impl Cast<'_> {
    fn staff(&self, person: &str) -> Option<Uuid> {
        self.staff.iter().find(|(name, _)| name == person).map(|(_, id)| *id)
    }

    fn user(&self, person: &str) -> Option<Author> {
        self.users.iter().find(|(name, _)| name == person).map(|(name, id)| Author::user(*id, name.clone()))
    }

    fn theme(&self, kind: CheckKind) -> Option<&PracticeTheme> {
        self.themes.iter().find(|theme| theme.kind == kind)
    }
}

fn date_of(check: &StoredCheck) -> CalendarDate {
    CalendarDate::parse(&check.calendar.local_date).expect("kept checks carry their date")
}

/// The checks of `staff` on `theme` at `service`, oldest first.
async fn checks_of(
    storage: &Storage,
    service: Uuid,
    staff: &[Uuid],
    theme: Uuid,
) -> Result<Vec<StoredCheck>, StorageError> {
    let mut checks = Vec::new();
    for member in staff {
        let filter = CheckFilter {
            service_ids: Some(vec![service]),
            staff_id: Some(*member),
            theme_id: Some(theme),
            limit: 10_000,
            ..Default::default()
        };
        checks.extend(storage.checks.checks(&filter).await?);
    }
    checks.sort_by_key(|check| check.observed_at_ms);
    Ok(checks)
}

/// The criteria the weak checks before `before` fell short on, most often first: what the
/// concern was about. At least one, at most two.
fn weak_criteria(theme: &PracticeTheme, checks: &[StoredCheck], before: CalendarDate) -> Vec<Uuid> {
    let mut counts: Vec<(Uuid, usize)> = theme
        .criteria
        .iter()
        .map(|criterion| {
            let short = checks
                .iter()
                .filter(|check| date_of(check) <= before)
                .filter(|check| {
                    check.check.ratings.iter().any(|r| r.criterion_id == criterion.id && r.score.is_some_and(|s| s < 3))
                })
                .count();
            (criterion.id, short)
        })
        .collect();
    counts.sort_by_key(|count| std::cmp::Reverse(count.1));
    let mut focus: Vec<Uuid> = counts.iter().filter(|(_, short)| *short > 0).take(2).map(|(id, _)| *id).collect();
    if focus.is_empty() {
        focus.extend(theme.criteria.first().map(|criterion| criterion.id));
    }
    focus
}

/// One cycle as the demonstration tells it.
struct Plot<'a> {
    service: &'a Service,
    theme: &'a PracticeTheme,
    staff: Vec<Uuid>,
    group_name: Option<&'static str>,
    opened_by: Author,
    concern: &'static str,
    examples: &'static str,
    /// Days before today the concern was recorded.
    opened_days_ago: i64,
    standard_by: Author,
    changes_required: &'static str,
    owner: Author,
    /// Each action: days ago, kind, who led it, the guidance, the response.
    actions: Vec<(i64, ActionKind, Author, &'static str, &'static str)>,
}

impl Plot<'_> {
    fn cycle(&self, today: CalendarDate, now_ms: i64, checks: &[StoredCheck]) -> Cycle {
        let opened_on = today.plus_days(-self.opened_days_ago);
        let day_ms = 24 * 3_600_000;
        let at = |days_ago: i64| now_ms - days_ago * day_ms;
        let sources = checks
            .iter()
            .filter(|check| date_of(check) <= opened_on && date_of(check) > opened_on.plus_days(-35))
            .filter(|check| check.assessment.weak)
            .map(|check| SourceEvidence {
                kind: SourceKind::Check,
                check_id: Some(check.check.id),
                date: date_of(check),
                description: String::new(),
            })
            .collect();
        let focus = weak_criteria(self.theme, checks, opened_on);
        Cycle {
            id: uuid::Builder::from_unix_timestamp_millis(
                at(self.opened_days_ago) as u64,
                &rand_bytes(now_ms, self.concern),
            )
            .into_uuid(),
            service_id: self.service.id,
            theme_id: self.theme.id,
            theme_version: self.theme.version,
            staff_ids: self.staff.clone(),
            group_name: self.group_name.map(str::to_owned),
            opened_by: self.opened_by.clone(),
            opened_at_ms: at(self.opened_days_ago),
            opened_on,
            concern: self.concern.to_owned(),
            examples: self.examples.to_owned(),
            sources,
            standard: Some(ExpectedStandard {
                standard: self.theme.expected_standard.clone(),
                focus_criteria: focus,
                changes_required: self.changes_required.to_owned(),
                owner_id: self.owner.user_id.expect("demonstration owners are users"),
                target_date: opened_on.plus_days(70),
                set_by: self.standard_by.clone(),
                set_at_ms: at(self.opened_days_ago - 1),
            }),
            rule: SustainmentRule::default(),
            actions: self
                .actions
                .iter()
                .map(|(days_ago, kind, led, guidance, response)| CycleAction {
                    id: uuid::Builder::from_unix_timestamp_millis(
                        at(*days_ago) as u64,
                        &rand_bytes(*days_ago, guidance),
                    )
                    .into_uuid(),
                    kind: *kind,
                    date: today.plus_days(-days_ago),
                    led_by: led.user_id.expect("demonstration leaders are users"),
                    attendees: self.staff.clone(),
                    guidance: (*guidance).to_owned(),
                    response: (*response).to_owned(),
                    expected_points:
                        "Offer a real choice at each step; explain before acting; keep the pace of the person.".into(),
                    recorded_by: led.clone(),
                    recorded_at_ms: at(*days_ago),
                })
                .collect(),
            reviews: Vec::new(),
            amendments: Vec::new(),
            closed_on: None,
        }
    }
}

/// Random-looking bytes for a demonstration id, the same every run.
fn rand_bytes(seed: i64, text: &str) -> [u8; 10] {
    let mut rng = fastrand::Rng::with_seed(seed as u64 ^ text.len() as u64);
    let mut bytes = [0u8; 10];
    rng.fill(&mut bytes);
    bytes
}

/// The review `by` gave on `on`, judging `cycle` on the checks made up to that day.
fn review_on(
    cycle: &Cycle,
    checks: &[StoredCheck],
    on: CalendarDate,
    at_ms: i64,
    by: &Author,
    conclusion: Conclusion,
    findings: &str,
) -> Option<GovernanceReview> {
    let seen: Vec<StoredCheck> = checks.iter().filter(|check| date_of(check) <= on).cloned().collect();
    let judgement = judge(&cycle.plan()?, &seen, on);
    Some(GovernanceReview {
        id: uuid::Builder::from_unix_timestamp_millis(at_ms as u64, &rand_bytes(at_ms, findings)).into_uuid(),
        reviewed_by: by.clone(),
        reviewed_at_ms: at_ms,
        reviewed_on: on,
        verdict: judgement.verdict,
        evidence: judgement.rechecks.iter().map(|recheck| recheck.check_id).collect(),
        findings: findings.to_owned(),
        remaining_risks: "Agency staff on nights have not had the briefing yet.".into(),
        conclusion,
        reinforced_standard: None,
        tightened_rule: None,
    })
}

/// The first day from `from` to `today` on which the cycle's verdict was sustained.
fn first_sustained_day(
    cycle: &Cycle,
    checks: &[StoredCheck],
    from: CalendarDate,
    today: CalendarDate,
) -> Option<CalendarDate> {
    let plan = cycle.plan()?;
    (0..=today.days_since(from)).map(|days| from.plus_days(days)).find(|day| {
        let seen: Vec<StoredCheck> = checks.iter().filter(|check| date_of(check) <= *day).cloned().collect();
        judge(&plan, &seen, *day).verdict == Verdict::Sustained
    })
}

/// Opens the demonstration's cycles; returns how many.
pub async fn load(storage: &Storage, cast: &Cast<'_>) -> Result<usize, StorageError> {
    let (Some(care_home), Some(brookside)) = (cast.services.first(), cast.services.get(1)) else { return Ok(0) };
    let (Some(observation), Some(records), Some(distress)) = (
        cast.theme(CheckKind::Observation),
        cast.theme(CheckKind::RecordSample),
        cast.theme(CheckKind::DistressEpisode),
    ) else {
        return Ok(0);
    };
    let people =
        ["Bethan Pryce", "Amara Okafor", "Helen Okoro", "Olu Adeyemi", "Rachel Ingram"].map(|person| cast.user(person));
    let [Some(bethan), Some(amara), Some(helen), Some(olu), Some(rachel)] = people else { return Ok(0) };
    let by = Author::system("demonstration data");
    let now_ms = storage.now_ms();
    let mut opened = 0;

    // Dorota Nowak: coached twelve weeks ago; once the rule was met, the registered manager
    // closed it.
    if let Some(dorota) = cast.staff("Dorota Nowak") {
        let today = date_in_zone(&care_home.time_zone, now_ms);
        let checks = checks_of(storage, care_home.id, &[dorota], observation.id).await?;
        let plot = Plot {
            service: care_home,
            theme: observation,
            staff: vec![dorota],
            group_name: None,
            opened_by: bethan.clone(),
            concern: "During morning personal care, prompts were hurried and no choice of clothes was offered.",
            examples: "Started washing before saying what was happening; the wardrobe stayed shut.",
            opened_days_ago: 12 * 7 + 2,
            standard_by: amara.clone(),
            changes_required: "Explain each step before starting; offer two outfits and wait for an answer.",
            owner: amara.clone(),
            actions: vec![(
                12 * 7,
                ActionKind::Coaching,
                bethan.clone(),
                "Walked through a morning routine at the person's pace, with a choice at each step.",
                "Said she felt rushed by the breakfast round; agreed to start ten minutes earlier.",
            )],
        };
        let mut cycle = plot.cycle(today, now_ms, &checks);
        if let Some(from) = cycle.window_start()
            && let Some(day) = first_sustained_day(&cycle, &checks, from, today)
            && let Some(review) = review_on(
                &cycle,
                &checks,
                day,
                now_ms - today.days_since(day) * 86_400_000,
                &helen,
                Conclusion::Close,
                "Five re-checks over two months, nights and unannounced among them, all meeting the standard.",
            )
        {
            cycle.closed_on = Some(day);
            cycle.reviews.push(review);
        }
        storage.open_cycle(&cycle, &by).await?;
        opened += 1;
    }

    // Isaac Mensah: improved after coaching, then slipped back on unannounced nights.
    if let Some(isaac) = cast.staff("Isaac Mensah") {
        let today = date_in_zone(&care_home.time_zone, now_ms);
        let checks = checks_of(storage, care_home.id, &[isaac], observation.id).await?;
        let plot = Plot {
            service: care_home,
            theme: observation,
            staff: vec![isaac],
            group_name: None,
            opened_by: bethan.clone(),
            concern: "At night, personal care was done without explaining what was happening, and the door was left open.",
            examples: "Door open while helping with a pad change; no words to the person throughout.",
            opened_days_ago: 14 * 7 + 5,
            standard_by: amara.clone(),
            changes_required: "Close the door, say what is happening before each step, and check the person is comfortable.",
            owner: amara.clone(),
            actions: vec![(
                14 * 7,
                ActionKind::Supervision,
                bethan.clone(),
                "Supervision on dignity at night, using the last three observations.",
                "Acknowledged it; said nights are short-staffed.",
            )],
        };
        storage.open_cycle(&plot.cycle(today, now_ms, &checks), &by).await?;
        opened += 1;
    }

    // Quentin Ashby: a first briefing did not change practice; the registered manager escalated,
    // and after coaching it is improving, with evidence still missing.
    if let Some(quentin) = cast.staff("Quentin Ashby") {
        let today = date_in_zone(&brookside.time_zone, now_ms);
        let checks = checks_of(storage, brookside.id, &[quentin], distress.id).await?;
        let plot = Plot {
            service: brookside,
            theme: distress,
            staff: vec![quentin],
            group_name: None,
            opened_by: olu.clone(),
            concern: "Low-level distress at teatime was met with a raised voice rather than the approach in the person's plan.",
            examples: "Told the person to calm down; the quiet lounge was not offered.",
            opened_days_ago: 9 * 7,
            standard_by: olu.clone(),
            changes_required: "Use the agreed approach first: low, slow voice; offer the quiet lounge.",
            owner: olu.clone(),
            actions: vec![(
                8 * 7,
                ActionKind::PracticeBriefing,
                olu.clone(),
                "Briefing on the positive behaviour support plan, with last month's incidents as examples.",
                "Acknowledged.",
            )],
        };
        let mut cycle = plot.cycle(today, now_ms, &checks);
        let escalated_on = today.plus_days(-(4 * 7 + 2));
        if let Some(mut review) = review_on(
            &cycle,
            &checks,
            escalated_on,
            now_ms - (4 * 7 + 2) * 86_400_000,
            &olu,
            Conclusion::Escalate,
            "Two re-checks after the briefing fell short: the briefing alone has not changed practice.",
        ) {
            review.reinforced_standard = Some("Use the agreed approach first, every time: low, slow voice, offer the quiet lounge, and record what helped.".into());
            cycle.reviews.push(review);
            let yusuf = cast.user("Yusuf Haddad").unwrap_or(olu.clone());
            cycle.actions.push(CycleAction {
                id: uuid::Builder::from_unix_timestamp_millis(
                    (now_ms - 28 * 86_400_000) as u64,
                    &rand_bytes(28, "coaching"),
                )
                .into_uuid(),
                kind: ActionKind::Coaching,
                date: today.plus_days(-28),
                led_by: yusuf.user_id.unwrap_or_else(|| olu.user_id.expect("a user")),
                attendees: vec![quentin],
                guidance: "Modelled the agreed approach on two teatime shifts, then watched Quentin use it.".into(),
                response: "Said seeing it done made the difference.".into(),
                expected_points: "Agreed approach first; low, slow voice; quiet lounge offered.".into(),
                recorded_by: olu.clone(),
                recorded_at_ms: now_ms - 28 * 86_400_000,
            });
        }
        storage.open_cycle(&cycle, &by).await?;
        opened += 1;
    }

    // The night team's daily notes: a group cycle opened by the quality lead last week, with one
    // modelling session so far (the daily notes theme of `docs/domain.md` §3).
    let night_team: Vec<Uuid> =
        ["Gareth Llewellyn", "Jodie Marsh", "Mehmet Aydin"].iter().filter_map(|person| cast.staff(person)).collect();
    if !night_team.is_empty() {
        let today = date_in_zone(&care_home.time_zone, now_ms);
        let checks = checks_of(storage, care_home.id, &night_team, records.id).await?;
        let plot = Plot {
            service: care_home,
            theme: records,
            staff: night_team.clone(),
            group_name: Some("Larch House night team"),
            opened_by: rachel.clone(),
            concern: "Daily notes from nights repeatedly say “settled night” without saying what care was given.",
            examples: "Six of ten notes sampled said “settled” or “no concerns” and nothing more.",
            opened_days_ago: 9,
            standard_by: amara.clone(),
            changes_required: "Each note says what care was given, how the person responded, and anything to follow up.",
            owner: amara.clone(),
            actions: vec![(
                6,
                ActionKind::Modelling,
                bethan.clone(),
                "Rewrote three real notes together, showing what a clear entry says.",
                "The team agreed a short checklist for each note.",
            )],
        };
        let mut cycle = plot.cycle(today, now_ms, &checks);
        // A group is judged on every member's checks: anyone already below the standard since
        // the session would make it another story, so the group is those still on track.
        if let Some(plan) = cycle.plan() {
            let judgement = judge(&plan, &checks, today);
            if let Verdict::NotImproved { check_id } | Verdict::Reverted { check_id } = judgement.verdict
                && let Some(below) = checks.iter().find(|check| check.check.id == check_id)
                && cycle.staff_ids.len() > 1
            {
                let member = below.check.staff_id;
                cycle.staff_ids.retain(|id| *id != member);
                for action in &mut cycle.actions {
                    action.attendees.retain(|id| *id != member);
                }
            }
        }
        storage.open_cycle(&cycle, &by).await?;
        opened += 1;
    }
    Ok(opened)
}
