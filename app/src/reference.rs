//! The reference data a device keeps to record checks offline, as the server makes it for one
//! person: their services with their shift patterns, the current staff there (with when each was
//! last observed), the practice themes as they stand, and what each improving cycle there still
//! needs from re-checks. The API sends it to devices, and the home page draws the recorder's
//! first step from it.

use crate::domain::access::Actor;
use crate::domain::check::CheckFilter;
use crate::domain::cycle::{RecheckNeeds, Stage};
use crate::domain::recording::{
    RECENT_MS, Reference, ReferenceRecheck, ReferenceService, ReferenceStaff, ReferenceTheme,
};
use crate::storage::{CycleFilter, JudgedCycle, Storage, StorageResult, visible_checks, visible_cycles};
use std::collections::HashMap;

/// How many of the latest checks are read to find when each member of staff was last observed.
const RECENT_CHECKS_READ: u32 = 500;

pub async fn reference_for(storage: &Storage, actor: &Actor) -> StorageResult<Reference> {
    let organisation = &storage.organisation;
    let (services, staff, themes) =
        (organisation.services().await?, organisation.staff_members(None).await?, organisation.themes().await?);
    let services: Vec<ReferenceService> = services
        .into_iter()
        .filter(|service| actor.covers(service.id))
        .map(|service| ReferenceService {
            id: service.id,
            name: service.name,
            time_zone: service.time_zone,
            shift_pattern: service.shift_pattern,
        })
        .collect();
    let since = CheckFilter {
        from_ms: Some(storage.now_ms() - RECENT_MS),
        limit: RECENT_CHECKS_READ,
        ..CheckFilter::default()
    };
    let mut last_observed = HashMap::new();
    // Newest first, so the first seen is the latest.
    for kept in visible_checks(storage, actor, since).await?.into_iter().flatten() {
        last_observed.entry((kept.check.staff_id, kept.check.service_id)).or_insert(kept.observed_at_ms);
    }
    let staff = staff
        .into_iter()
        .filter(|member| !member.has_left)
        .flat_map(|member| {
            member
                .service_ids
                .iter()
                .filter(|service| services.iter().any(|s| s.id == **service))
                .map(|service| ReferenceStaff {
                    id: member.id,
                    name: member.name.clone(),
                    service_id: *service,
                    last_observed_ms: last_observed.get(&(member.id, *service)).copied(),
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let themes = themes
        .into_iter()
        .map(|theme| ReferenceTheme {
            id: theme.id,
            name: theme.name,
            kind: theme.kind,
            expected_standard: theme.expected_standard,
            criteria: theme.criteria,
            version: Some(theme.version),
        })
        .collect();
    Ok(Reference { services, staff, themes, rechecks: rechecks_for(storage, actor).await? })
}

/// What the improving cycles in `actor`'s services still need from re-checks.
async fn rechecks_for(storage: &Storage, actor: &Actor) -> StorageResult<Vec<ReferenceRecheck>> {
    let open = CycleFilter { open: Some(true), ..CycleFilter::default() };
    let users = storage.accounts.users().await?;
    let mut rechecks = Vec::new();
    let rechecking: Vec<_> = visible_cycles(storage, actor, open)
        .await?
        .unwrap_or_default()
        .into_iter()
        .filter(|cycle| cycle.stage() == Stage::Rechecking)
        .collect();
    for judged in JudgedCycle::load_all(storage, rechecking).await? {
        let needs = match (judged.cycle.plan(), &judged.judgement) {
            (Some(plan), Some(judgement)) => RecheckNeeds::of(&plan, judgement, &judged.checks),
            _ => None,
        };
        let Some(needs) = needs else { continue };
        let leader_names = needs
            .action_leaders
            .iter()
            .filter_map(|id| users.iter().find(|user| user.id == *id).map(|user| user.name.clone()))
            .collect();
        rechecks.push(ReferenceRecheck {
            cycle_id: judged.cycle.id,
            service_id: judged.cycle.service_id,
            theme_id: judged.cycle.theme_id,
            staff_ids: judged.cycle.staff_ids.clone(),
            needs,
            leader_names,
        });
    }
    Ok(rechecks)
}
