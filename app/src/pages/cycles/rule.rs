//! A service's sustainment rule: what re-checks must show before its improvements can be relied
//! on. Its registered manager may change the default; cycles already opened keep their plan.

use crate::domain::access::{Action, Actor, Decision};
use crate::domain::audit::Author;
use crate::domain::cycle::SustainmentRule;
use crate::domain::organisation::Service;
use crate::error::AppError;
use crate::form::FormFields;
use crate::pages::{Page, Query};
use crate::storage::Storage;
use leptos::prelude::*;
use uuid::Uuid;

#[server(prefix = "/fn", endpoint = "cycles/rule", input = leptos::server_fn::codec::Json)]
pub async fn save_sustainment_rule(fields: FormFields) -> Result<(), AppError> {
    crate::error::respond(
        async {
            let (actor, author) = crate::auth::require_author().await?;
            let (service, _) = keep_sustainment_rule(&*crate::error::storage()?, &actor, author, &fields).await?;
            crate::pages::admin::saved(format!("Saved the sustainment rule of {}.", service.name)).await;
            Ok(())
        }
        .await,
    )
}

/// A service's new sustainment rule, as [`save_sustainment_rule`] takes it: refused whole if it
/// cannot be met.
pub async fn keep_sustainment_rule(
    storage: &Storage,
    actor: &Actor,
    author: Author,
    fields: &FormFields,
) -> Result<(Service, SustainmentRule), AppError> {
    let service_id = fields.id("service").ok().flatten().ok_or(AppError::NotFound)?;
    let service = super::service(storage, service_id).await?;
    if actor.may(Action::ViewCycles(service.id)) == Decision::Deny {
        return Err(AppError::NotFound);
    }
    crate::auth::authorise(actor, Action::EditSustainmentRule(service.id))?;
    let mut validation = crate::error::Validation::default();
    let rule = super::chain::read_sustainment_rule(fields, &mut validation);
    let rule = validation.finish(rule)?;
    storage.set_sustainment_rule(service.id, &rule, &author).await?;
    Ok((service, rule))
}

pub async fn render(actor: &Actor, query: &Query) -> Result<Page, AppError> {
    use crate::components::form::SaveForm;
    let storage = crate::error::storage()?;
    let services: Vec<_> = storage
        .organisation
        .services()
        .await?
        .into_iter()
        .filter(|service| actor.may(Action::ViewCycles(service.id)) == Decision::Allow)
        .collect();
    let chosen = Uuid::parse_str(query.get("service")).ok().or_else(|| services.first().map(|service| service.id));
    let service =
        chosen.and_then(|id| services.iter().find(|service| service.id == id)).cloned().ok_or(AppError::NotFound)?;
    let rule = storage.cycles.sustainment_rule(service.id).await?;
    let editable = actor.may(Action::EditSustainmentRule(service.id)) == Decision::Allow;
    let here = format!("/cycles/rule?service={}", service.id);
    let service_id = service.id.to_string();
    let others = services
        .iter()
        .filter(|other| other.id != service.id)
        .map(|other| view! { <li><a href=format!("/cycles/rule?service={}", other.id)>{other.name.clone()}</a></li> })
        .collect_view();
    let fields = super::chain::rule_fields(&rule);
    let form = editable.then(|| {
        view! {
            <section class="card editor" aria-labelledby="rule-heading">
                <h2 id="rule-heading">"Change the rule"</h2>
                <SaveForm endpoint="cycles/rule" next=here.clone() submit_label="Save the rule">
                    <input type="hidden" name="service" value=service_id />
                    {fields}
                </SaveForm>
            </section>
        }
    });
    let body = view! {
        <p>{rule.in_words()}</p>
        <p class="muted">"Cycles opened before a change keep the plan they were opened with; a review may tighten a cycle's own plan."</p>
        {form}
        {(services.len() > 1).then(|| view! { <h2>"Other services"</h2> <ul>{others}</ul> })}
    };
    crate::pages::admin::page(&format!("Sustainment rule: {}", service.name), None, body).await
}
