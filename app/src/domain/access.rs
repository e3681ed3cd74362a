//! Who may see and do what, per service. This is the one place that decides; the server asks it
//! before every read and write, and the browser asks it only to hide what would be refused.

use super::review::ReviewKind;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    ShiftLeader,
    TeamLeader,
    DeputyManager,
    RegisteredManager,
    QualityLead,
    ProviderAdmin,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::ShiftLeader,
        Role::TeamLeader,
        Role::DeputyManager,
        Role::RegisteredManager,
        Role::QualityLead,
        Role::ProviderAdmin,
    ];

    /// The code used on the command line, in the API and in the database.
    pub fn code(self) -> &'static str {
        match self {
            Role::ShiftLeader => "shift-leader",
            Role::TeamLeader => "team-leader",
            Role::DeputyManager => "deputy-manager",
            Role::RegisteredManager => "registered-manager",
            Role::QualityLead => "quality-lead",
            Role::ProviderAdmin => "provider-admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::ShiftLeader => "Shift leader",
            Role::TeamLeader => "Team leader",
            Role::DeputyManager => "Deputy manager",
            Role::RegisteredManager => "Registered manager",
            Role::QualityLead => "Quality lead",
            Role::ProviderAdmin => "Provider admin",
        }
    }

    /// Provider admins and quality leads work across the whole provider, sampling records and
    /// comparing services (`docs/domain.md`, section 1); everyone else acts only in the services
    /// assigned to them.
    pub fn spans_all_services(self) -> bool {
        matches!(self, Role::ProviderAdmin | Role::QualityLead)
    }
}

/// Those who review practice rather than record it (`docs/domain.md` §7): they see trends.
const REVIEWERS: [Role; 4] = [Role::TeamLeader, Role::DeputyManager, Role::RegisteredManager, Role::QualityLead];

/// The signed-in person, as the policy sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: Uuid,
    pub roles: Vec<Role>,
    /// The services the person is assigned to; ignored for roles that span all services.
    pub service_ids: Vec<Uuid>,
}

/// Everything the server guards. Actions about one service name it, so the policy can check
/// the person's scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Service names, rotas and staff counts; the practice themes.
    ViewProviderOverview,
    /// A service's staff list and records about its staff.
    ViewService(Uuid),
    CreateService,
    EditService(Uuid),
    ManageStaff(Uuid),
    ManageUsers(Uuid),
    /// Users who span all services (provider admins and quality leads) or have no service yet.
    ManageProviderUsers,
    ManageThemes,
    ViewAuditTrail,
    /// A service's improvement cycles, and the re-checks they ask for.
    ViewCycles(Uuid),
    /// A service's trends: its charts and the counts behind them.
    ViewTrends(Uuid),
    /// A service's early warnings: seeing them, and acknowledging or dismissing one.
    ActOnWarnings(Uuid),
    /// Step 1: record a concern and open a cycle.
    OpenCycle(Uuid),
    /// Step 2: set the expected standard and focus criteria.
    SetStandard(Uuid),
    /// Step 3: record a targeted action.
    RecordAction(Uuid),
    /// Step 5: the governance review, which may close the cycle.
    ReviewCycle(Uuid),
    /// A cycle that has not improved or has reverted: reinforce the standard and start again.
    EscalateCycle(Uuid),
    /// The service's sustainment rule.
    EditSustainmentRule(Uuid),
    /// A service's reviews: what is due or overdue, and those recorded.
    ViewReviews(Uuid),
    /// Record a review of this kind at the service: for the roles it falls to.
    RecordReview(Uuid, ReviewKind),
    /// How often each review is due at the service.
    EditReviewCadence(Uuid),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny,
}

impl Actor {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    fn spans_all_services(&self) -> bool {
        self.roles.iter().any(|role| role.spans_all_services())
    }

    /// Whether the person works in `service`, by assignment or by a provider-wide role.
    pub fn covers(&self, service: Uuid) -> bool {
        self.spans_all_services() || self.service_ids.contains(&service)
    }

    /// The services the person may act in, or `None` for all of them.
    pub fn service_scope(&self) -> Option<&[Uuid]> {
        (!self.spans_all_services()).then_some(self.service_ids.as_slice())
    }

    /// Whether the person has one of `roles` and works in `service`.
    /// Whether one of `roles` is the person's and reaches `service` in its own right: a role that
    /// spans all services, or one held in a service they are assigned to. (Another role that
    /// spans all services lends it nothing.)
    fn acts_as(&self, service: Uuid, roles: &[Role]) -> bool {
        roles.iter().any(|role| self.has(*role) && (role.spans_all_services() || self.service_ids.contains(&service)))
    }

    fn manages(&self, service: Uuid) -> bool {
        self.has(Role::ProviderAdmin) || (self.has(Role::RegisteredManager) && self.service_ids.contains(&service))
    }

    /// Whether any service's trends are for this person.
    pub fn sees_trends(&self) -> bool {
        self.has(Role::QualityLead) || self.service_ids.iter().any(|service| self.acts_as(*service, &REVIEWERS))
    }

    /// Whether any service's warnings are for this person.
    pub fn sees_warnings(&self) -> bool {
        self.has(Role::QualityLead)
            || self.service_ids.iter().any(|service| self.may(Action::ActOnWarnings(*service)) == Decision::Allow)
    }

    /// Whether any service's reviews are for this person: everyone with a role in a service has
    /// reviews to record or oversee.
    pub fn sees_reviews(&self) -> bool {
        !self.roles.is_empty() && (self.spans_all_services() || !self.service_ids.is_empty())
    }

    /// Whether a review of `kind` at `service` is shown to the person: it falls to them, or they
    /// oversee the service's reviews (its deputy and registered managers, and the provider-wide
    /// roles, who see every service's).
    pub fn sees_review(&self, service: Uuid, kind: ReviewKind) -> bool {
        self.may(Action::RecordReview(service, kind)) == Decision::Allow
            || self.acts_as(
                service,
                &[Role::DeputyManager, Role::RegisteredManager, Role::QualityLead, Role::ProviderAdmin],
            )
    }

    /// Whether any administration page has something for this person.
    pub fn administers_anything(&self) -> bool {
        self.has(Role::ProviderAdmin) || self.service_ids.iter().any(|service| self.manages(*service))
    }

    /// Whether the person may add or change a staff member who works in `service_ids`: each of
    /// those services must be one they manage. Staff in no service are the provider admin's.
    pub fn may_manage_staff(&self, service_ids: &[Uuid]) -> Decision {
        self.may_in_every(service_ids, Action::ManageStaff)
    }

    /// Whether the person may add or change a user who has `roles` in `service_ids`. Users who
    /// span all services, or have no service, are the provider admin's; a registered manager
    /// manages the users of their own services only.
    pub fn may_manage_user(&self, roles: &[Role], service_ids: &[Uuid]) -> Decision {
        if roles.iter().any(|role| role.spans_all_services()) {
            return self.may(Action::ManageProviderUsers);
        }
        self.may_in_every(service_ids, Action::ManageUsers)
    }

    fn may_in_every(&self, service_ids: &[Uuid], action: fn(Uuid) -> Action) -> Decision {
        if service_ids.is_empty() {
            return self.may(Action::ManageProviderUsers);
        }
        let allowed = service_ids.iter().all(|service| self.may(action(*service)) == Decision::Allow);
        if allowed { Decision::Allow } else { Decision::Deny }
    }

    pub fn may(&self, action: Action) -> Decision {
        let allowed = match action {
            Action::ViewProviderOverview => !self.roles.is_empty(),
            Action::ViewService(service) => !self.roles.is_empty() && self.covers(service),
            Action::CreateService | Action::ManageProviderUsers | Action::ManageThemes | Action::ViewAuditTrail => {
                self.has(Role::ProviderAdmin)
            }
            Action::EditService(service)
            | Action::ManageStaff(service)
            | Action::ManageUsers(service)
            | Action::EditSustainmentRule(service)
            | Action::EditReviewCadence(service) => self.manages(service),
            Action::ViewCycles(service) => !self.roles.is_empty() && self.covers(service),
            // docs/domain.md §7: those who review practice, not those who record it.
            Action::ViewTrends(service) => self.acts_as(service, &REVIEWERS),
            // docs/domain.md §8: warnings are for the people who act on them.
            Action::ActOnWarnings(service) => {
                self.acts_as(service, &[Role::DeputyManager, Role::RegisteredManager, Role::QualityLead])
            }
            // docs/domain.md §2: who does each step of a cycle.
            Action::OpenCycle(service) => self
                .acts_as(service, &[Role::TeamLeader, Role::DeputyManager, Role::RegisteredManager, Role::QualityLead]),
            Action::SetStandard(service) | Action::EscalateCycle(service) => {
                self.acts_as(service, &[Role::DeputyManager, Role::RegisteredManager])
            }
            Action::RecordAction(service) => self
                .acts_as(service, &[Role::TeamLeader, Role::DeputyManager, Role::RegisteredManager, Role::QualityLead]),
            Action::ReviewCycle(service) => self.acts_as(service, &[Role::RegisteredManager]),
            Action::ViewReviews(service) => !self.roles.is_empty() && self.covers(service),
            // docs/domain.md §8: each review falls to the roles named there.
            Action::RecordReview(service, kind) => self.acts_as(service, kind.roles()),
        };
        if allowed { Decision::Allow } else { Decision::Deny }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOME: Uuid = Uuid::from_u128(1);
    const OTHER: Uuid = Uuid::from_u128(2);

    fn actor(role: Role, services: &[Uuid]) -> Actor {
        Actor { user_id: Uuid::from_u128(99), roles: vec![role], service_ids: services.to_vec() }
    }

    /// Every role, assigned to HOME only, against every action on HOME and on OTHER.
    #[test]
    fn the_role_table() {
        use Decision::{Allow as A, Deny as D};
        #[rustfmt::skip]
        let table: [(Role, [Decision; 35]); 6] = [
            //                        overview view  view  create edit  edit  staff staff users users prov. themes audit
            //                                 home  other        home  other home  other home  other users
            //                        cycles cycles open open std  std  action action review review escal. escal. rule rule
            //                        home   other  home other home other home other home  other  home   other  home other
            //                        trends trends warn. warn. reviews      cadence
            //                        home   other  home  other home other home other
            (Role::ShiftLeader,       [A,      A,    D,    D,     D,    D,    D,    D,    D,    D,    D,     D,    D,
                                       A,     D,     D,   D,    D,   D,    D,    D,     D,    D,     D,     D,     D,   D,
                                       D,     D, D,     D,    A,   D,    D,   D]),
            (Role::TeamLeader,        [A,      A,    D,    D,     D,    D,    D,    D,    D,    D,    D,     D,    D,
                                       A,     D,     A,   D,    D,   D,    A,    D,     D,    D,     D,     D,     D,   D,
                                       A,     D, D,     D,    A,   D,    D,   D]),
            (Role::DeputyManager,     [A,      A,    D,    D,     D,    D,    D,    D,    D,    D,    D,     D,    D,
                                       A,     D,     A,   D,    A,   D,    A,    D,     D,    D,     A,     D,     D,   D,
                                       A,     D, A,     D,    A,   D,    D,   D]),
            (Role::RegisteredManager, [A,      A,    D,    D,     A,    D,    A,    D,    A,    D,    D,     D,    D,
                                       A,     D,     A,   D,    A,   D,    A,    D,     A,    D,     A,     D,     A,   D,
                                       A,     D, A,     D,    A,   D,    A,   D]),
            (Role::QualityLead,       [A,      A,    A,    D,     D,    D,    D,    D,    D,    D,    D,     D,    D,
                                       A,     A,     A,   A,    D,   D,    A,    A,     D,    D,     D,     D,     D,   D,
                                       A,     A, A,     A,    A,   A,    D,   D]),
            (Role::ProviderAdmin,     [A,      A,    A,    A,     A,    A,    A,    A,    A,    A,    A,     A,    A,
                                       A,     A,     D,   D,    D,   D,    D,    D,     D,    D,     D,     D,     A,   A,
                                       D,     D, D,     D,    A,   A,    A,   A]),
        ];
        let actions = [
            Action::ViewProviderOverview,
            Action::ViewService(HOME),
            Action::ViewService(OTHER),
            Action::CreateService,
            Action::EditService(HOME),
            Action::EditService(OTHER),
            Action::ManageStaff(HOME),
            Action::ManageStaff(OTHER),
            Action::ManageUsers(HOME),
            Action::ManageUsers(OTHER),
            Action::ManageProviderUsers,
            Action::ManageThemes,
            Action::ViewAuditTrail,
            Action::ViewCycles(HOME),
            Action::ViewCycles(OTHER),
            Action::OpenCycle(HOME),
            Action::OpenCycle(OTHER),
            Action::SetStandard(HOME),
            Action::SetStandard(OTHER),
            Action::RecordAction(HOME),
            Action::RecordAction(OTHER),
            Action::ReviewCycle(HOME),
            Action::ReviewCycle(OTHER),
            Action::EscalateCycle(HOME),
            Action::EscalateCycle(OTHER),
            Action::EditSustainmentRule(HOME),
            Action::EditSustainmentRule(OTHER),
            Action::ViewTrends(HOME),
            Action::ViewTrends(OTHER),
            Action::ActOnWarnings(HOME),
            Action::ActOnWarnings(OTHER),
            Action::ViewReviews(HOME),
            Action::ViewReviews(OTHER),
            Action::EditReviewCadence(HOME),
            Action::EditReviewCadence(OTHER),
        ];
        for (role, expected) in table {
            let person = actor(role, &[HOME]);
            for (action, decision) in actions.iter().zip(expected) {
                assert_eq!(person.may(*action), decision, "{role:?} {action:?}");
            }
        }
    }

    /// Who records each review at HOME, and who sees it there and at OTHER.
    #[test]
    fn who_records_and_sees_each_review() {
        use ReviewKind::*;
        #[rustfmt::skip]
        let records: [(Role, [bool; 5]); 6] = [
            //                         shift  weekly audit  superv. themes
            (Role::ShiftLeader,       [true,  false, false, false,  false]),
            (Role::TeamLeader,        [false, true,  false, false,  false]),
            (Role::DeputyManager,     [false, false, true,  true,   false]),
            (Role::RegisteredManager, [false, false, true,  true,   false]),
            (Role::QualityLead,       [false, false, false, false,  true]),
            (Role::ProviderAdmin,     [false, false, false, false,  false]),
        ];
        let kinds = [ShiftRecords, WeeklyPractice, AuditFindings, SupervisionImpact, ThemeGovernance];
        for (role, expected) in records {
            let person = actor(role, &[HOME]);
            for (kind, records) in kinds.iter().zip(expected) {
                let decision = if records { Decision::Allow } else { Decision::Deny };
                assert_eq!(person.may(Action::RecordReview(HOME, *kind)), decision, "{role:?} {kind:?}");
                let elsewhere = role.spans_all_services() && records;
                assert_eq!(person.may(Action::RecordReview(OTHER, *kind)) == Decision::Allow, elsewhere);
                let oversees = matches!(
                    role,
                    Role::DeputyManager | Role::RegisteredManager | Role::QualityLead | Role::ProviderAdmin
                );
                assert_eq!(person.sees_review(HOME, *kind), records || oversees, "{role:?} sees {kind:?}");
                assert_eq!(person.sees_review(OTHER, *kind), role.spans_all_services(), "{role:?} elsewhere");
            }
        }
    }

    #[test]
    fn someone_with_no_roles_may_do_nothing() {
        let nobody = Actor { user_id: Uuid::from_u128(5), roles: vec![], service_ids: vec![HOME] };
        assert_eq!(nobody.may(Action::ViewProviderOverview), Decision::Deny);
        assert_eq!(nobody.may(Action::ViewService(HOME)), Decision::Deny);
    }

    #[test]
    fn a_registered_manager_of_two_services_manages_both() {
        let manager = actor(Role::RegisteredManager, &[HOME, OTHER]);
        assert_eq!(manager.may(Action::ManageStaff(OTHER)), Decision::Allow);
    }

    #[test]
    fn roles_combine_so_the_broadest_wins() {
        let person = Actor {
            user_id: Uuid::from_u128(7),
            roles: vec![Role::ShiftLeader, Role::QualityLead],
            service_ids: vec![],
        };
        assert!(person.covers(OTHER));
        assert_eq!(person.service_scope(), None);
        assert_eq!(actor(Role::ShiftLeader, &[HOME]).service_scope(), Some(&[HOME][..]));
    }

    #[test]
    fn staff_and_users_are_managed_only_where_every_service_is_the_managers() {
        use Decision::{Allow, Deny};
        let manager = actor(Role::RegisteredManager, &[HOME]);
        assert_eq!(manager.may_manage_staff(&[HOME]), Allow);
        assert_eq!(manager.may_manage_staff(&[HOME, OTHER]), Deny, "shared with a service they do not manage");
        assert_eq!(manager.may_manage_staff(&[]), Deny);
        assert_eq!(manager.may_manage_user(&[Role::ShiftLeader, Role::RegisteredManager], &[HOME]), Allow);
        assert_eq!(manager.may_manage_user(&[Role::ShiftLeader], &[OTHER]), Deny);
        assert_eq!(manager.may_manage_user(&[Role::QualityLead], &[HOME]), Deny, "provider-wide role");
        assert_eq!(manager.may_manage_user(&[Role::ShiftLeader], &[]), Deny);
        let admin = actor(Role::ProviderAdmin, &[]);
        assert_eq!(admin.may_manage_staff(&[]), Allow);
        assert_eq!(admin.may_manage_user(&[Role::ProviderAdmin], &[]), Allow);
        assert_eq!(admin.may_manage_user(&[Role::ShiftLeader], &[HOME, OTHER]), Allow);
        let leader = actor(Role::ShiftLeader, &[HOME]);
        assert_eq!(leader.may_manage_staff(&[HOME]), Deny);
        assert_eq!(leader.may_manage_user(&[Role::ShiftLeader], &[HOME]), Deny);
    }

    #[test]
    fn a_role_acts_only_where_it_reaches_whatever_else_the_person_holds() {
        let admin_and_deputy = Actor {
            user_id: Uuid::from_u128(8),
            roles: vec![Role::ProviderAdmin, Role::DeputyManager],
            service_ids: vec![HOME],
        };
        for action in [Action::ActOnWarnings, Action::ViewTrends, Action::SetStandard, Action::OpenCycle] {
            assert_eq!(admin_and_deputy.may(action(HOME)), Decision::Allow, "{:?}", action(HOME));
            assert_eq!(admin_and_deputy.may(action(OTHER)), Decision::Deny, "{:?}", action(OTHER));
        }
        assert_eq!(actor(Role::QualityLead, &[]).may(Action::ActOnWarnings(OTHER)), Decision::Allow);
    }

    #[test]
    fn trends_are_offered_to_those_who_review_practice() {
        assert!(actor(Role::QualityLead, &[]).sees_trends());
        assert!(actor(Role::TeamLeader, &[HOME]).sees_trends());
        assert!(!actor(Role::TeamLeader, &[]).sees_trends(), "no service yet");
        assert!(!actor(Role::ShiftLeader, &[HOME]).sees_trends());
        assert!(!actor(Role::ProviderAdmin, &[]).sees_trends());
        assert!(actor(Role::DeputyManager, &[HOME]).sees_warnings());
        assert!(actor(Role::QualityLead, &[]).sees_warnings());
        assert!(!actor(Role::TeamLeader, &[HOME]).sees_warnings(), "team leaders see trends, not warnings");
    }

    #[test]
    fn only_managers_and_admins_see_administration() {
        assert!(actor(Role::ProviderAdmin, &[]).administers_anything());
        assert!(actor(Role::RegisteredManager, &[HOME]).administers_anything());
        assert!(!actor(Role::RegisteredManager, &[]).administers_anything());
        for role in [Role::ShiftLeader, Role::TeamLeader, Role::DeputyManager, Role::QualityLead] {
            assert!(!actor(role, &[HOME]).administers_anything(), "{role:?}");
        }
    }

    #[test]
    fn role_codes_round_trip_and_match_the_command_line() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
            assert_eq!(serde_json::to_string(&role).unwrap(), format!("\"{}\"", role.code()));
        }
        assert_eq!(Role::from_code("manager"), None);
    }
}
