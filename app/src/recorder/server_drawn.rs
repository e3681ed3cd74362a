//! The parts of the recorder the server draws too: the first step (whom to observe) on the home
//! page, and the sync status line on every page. The browser redraws them from the same markup
//! once the recorder starts, from what the device keeps, so nothing moves under a finger.

use crate::domain::recording::{DueRecheck, ReferenceService, ReferenceStaff, StaffGroup};
use maud::{Markup, html};

/// The first step: whom to observe.
pub fn staff_step(search: &str, choices: &Markup, notice: Option<&str>, draft_of: Option<&str>) -> String {
    html! {
        @if let Some(notice) = notice {
            p.notice role="status" { (notice) }
        }
        @if let Some(who) = draft_of {
            div.draft-banner {
                p { "You have a check of " strong { (who) } " that is not saved yet." }
                div.button-row {
                    button.button type="button" data-action="resume" { "Carry on with it" }
                    button.button.button--secondary type="button" data-action="discard" { "Discard it" }
                }
            }
        }
        div.field {
            label for="staff-search" { "Who are you observing?" }
            input #staff-search .recorder__search type="search" autocomplete="off" enterkeyhint="search"
                placeholder="Search by name" value=(search);
        }
        div #staff-choices aria-live="polite" { (choices) }
    }
    .into_string()
}

/// The re-checks due on this shift first (one tap goes straight to the check form), then the
/// staff to choose from, in their groups.
pub fn staff_choices(
    due: &[DueRecheck],
    choices: &[(StaffGroup, &ReferenceStaff)],
    services: &[ReferenceService],
) -> Markup {
    let several_services = services.len() > 1;
    let service_name =
        |id| services.iter().find(|service| service.id == id).map_or("", |service| service.name.as_str());
    let groups = [StaffGroup::ThisShift, StaffGroup::Recently, StaffGroup::Everyone];
    html! {
        @if services.is_empty() {
            p { "You are not linked to a service, so there is nobody to observe yet. An administrator can add you to one." }
        } @else if choices.is_empty() {
            p { "Nobody matches that name." }
        }
        @if !due.is_empty() {
            h2.recorder__group { "Re-checks due this shift" }
            ul.pick-list {
                @for recheck in due {
                    li {
                        button.pick.pick--recheck type="button" data-action="recheck" data-staff=(recheck.staff_id)
                            data-service=(recheck.service_id) data-theme=(recheck.theme_id) {
                            span.pick__name { (recheck.words) }
                        }
                    }
                }
            }
        }
        @for group in groups {
            @let members: Vec<&ReferenceStaff> = choices.iter().filter(|(g, _)| *g == group).map(|(_, m)| *m).collect();
            @if !members.is_empty() {
                h2.recorder__group { (group.heading()) }
                ul.pick-list {
                    @for member in members {
                        li {
                            button.pick type="button" data-action="staff" data-staff=(member.id) data-service=(member.service_id) {
                                span.pick__name { (member.name) }
                                @if several_services {
                                    span.pick__detail { (service_name(member.service_id)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A check the server refused, as the status area lists it.
pub struct Refused<'a> {
    pub id: String,
    pub what: String,
    pub reason: &'a str,
}

/// The sync status every page shows.
pub fn status(summary: &str, refused: &[Refused], busy: bool) -> String {
    html! {
        div.sync-status__line {
            p role="status" { (summary) }
            button.header-button type="button" data-action="sync-now" aria-busy=(busy) { "Sync now" }
        }
        @if !refused.is_empty() {
            ul.sync-status__refused aria-label="Checks the server did not accept" {
                @for check in refused {
                    li {
                        p {
                            strong { "Not accepted: " } (check.what) ". " (check.reason)
                            // The server's reasons are clauses; the sentence needs its full stop.
                            @if !check.reason.ends_with('.') { "." }
                        }
                        div.button-row {
                            button.button.button--small type="button" data-action="correct" data-check=(check.id) { "Correct it" }
                            button.button.button--secondary.button--small type="button" data-action="drop" data-check=(check.id) { "Discard" }
                        }
                    }
                }
            }
        }
    }
    .into_string()
}
