//! Staff: add, change, record leavers (who keep their history), and import a staff list from a
//! CSV file with a preview first.

use super::ServiceChoice;
use crate::domain::organisation::StaffMember;
use crate::domain::staff_import::ImportPreview;
use crate::error::AppError;
use crate::form::FormFields;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffAdmin {
    /// The services whose staff this person manages.
    pub services: Vec<ServiceChoice>,
    /// Their staff, leavers included, by name.
    pub staff: Vec<StaffMember>,
}

/// The services among `services` whose staff `actor` manages; someone who manages none is refused.
fn managed_services<'a>(
    actor: &crate::domain::access::Actor,
    services: &'a [crate::domain::organisation::Service],
) -> Result<Vec<&'a crate::domain::organisation::Service>, AppError> {
    use crate::domain::access::Decision;
    let managed: Vec<_> =
        services.iter().filter(|service| actor.may_manage_staff(&[service.id]) == Decision::Allow).collect();
    if managed.is_empty() && actor.may_manage_staff(&[]) == Decision::Deny {
        return Err(AppError::Forbidden);
    }
    Ok(managed)
}

async fn staff_admin(actor: &crate::domain::access::Actor) -> Result<StaffAdmin, AppError> {
    use crate::domain::access::Decision;
    let storage = crate::error::storage()?;
    let all_services = storage.organisation.services().await?;
    let services = managed_services(actor, &all_services)?;
    let staff = storage
        .organisation
        .staff_members(None)
        .await?
        .into_iter()
        .filter(|member| actor.may_manage_staff(&member.service_ids) == Decision::Allow)
        .collect();
    let services = services.into_iter().map(|s| ServiceChoice { id: s.id, name: s.name.clone() }).collect();
    Ok(StaffAdmin { services, staff })
}

#[server(prefix = "/fn", endpoint = "admin/save_staff", input = leptos::server_fn::codec::Json)]
pub async fn save_staff_member(fields: FormFields) -> Result<StaffMember, AppError> {
    crate::error::respond(
        async move {
            use crate::domain::access::Decision;
            use crate::domain::organisation::NewStaffMember;
            use crate::domain::text::{Name, ShortText};
            use crate::error::Validation;
            let (actor, author) = crate::auth::require_author().await?;
            let storage = crate::error::storage()?;
            let id = fields.id("id").map_err(AppError::BadRequest)?;
            let existing = match id {
                Some(id) => Some(storage.organisation.staff_member(id).await?),
                None => None,
            };
            match &existing {
                Some(existing) => crate::auth::authorise_decision(actor.may_manage_staff(&existing.service_ids))?,
                // Someone who manages no staff anywhere is refused before their input is read.
                None => drop(managed_services(&actor, &storage.organisation.services().await?)?),
            }
            let mut validation = Validation::default();
            let name = validation.check("name", Name::parse("The name", fields.text("name")));
            let job_title = validation.check("job_title", ShortText::parse("The job title", fields.text("job_title")));
            let team = match fields.text("team").trim() {
                "" => Some(None),
                team => validation.check("team", ShortText::parse("The team", team)).map(Some),
            };
            let service_ids = super::read_service_ids(&fields, "services", &mut validation);
            if service_ids.is_empty() {
                validation.reject("services", "Choose at least one service.");
            } else if actor.may_manage_staff(&service_ids) == Decision::Deny {
                validation.reject("services", "You may only choose services whose staff you manage.");
            }
            let member = match (name, job_title, team) {
                (Some(name), Some(job_title), Some(team)) => {
                    Some(NewStaffMember::new(name, job_title, team, service_ids))
                }
                _ => None,
            };
            let mut member = validation.finish(member)?;
            let saved = match existing {
                Some(existing) => {
                    member.id = existing.id;
                    storage.update_staff_member(member, fields.ticked("has_left"), &author).await?
                }
                None => storage.add_staff_members(vec![member], &author).await?.remove(0),
            };
            let notice = if saved.has_left {
                format!("Saved {}, who has left.", saved.name)
            } else {
                format!("Saved {}.", saved.name)
            };
            super::saved(notice).await;
            Ok(saved)
        }
        .await,
    )
}

async fn read_import(
    csv: &str,
) -> Result<
    (ImportPreview, Option<Vec<crate::domain::organisation::NewStaffMember>>, crate::domain::audit::Author),
    AppError,
> {
    let (actor, author) = crate::auth::require_author().await?;
    let storage = crate::error::storage()?;
    let all_services = storage.organisation.services().await?;
    let managed = managed_services(&actor, &all_services)?;
    let existing = storage.organisation.staff_members(None).await?;
    let may_manage = |service| managed.iter().any(|s| s.id == service);
    let (preview, staff) = crate::domain::staff_import::read_staff_csv(csv, &all_services, &existing, may_manage);
    Ok((preview, staff, author))
}

const PENDING_IMPORT_KEY: &str = "pending_import";

/// A previewed file, kept until it is imported. Only the preview's own Import button names its
/// token, so a stale file left by a preview the person walked away from is never imported by
/// another form sent without one.
#[derive(serde::Serialize, serde::Deserialize)]
struct PendingImport {
    token: Uuid,
    csv: String,
}

async fn pending_import(session: &tower_sessions::Session) -> Option<PendingImport> {
    session.get::<PendingImport>(PENDING_IMPORT_KEY).await.ok().flatten()
}

async fn session() -> Result<tower_sessions::Session, AppError> {
    leptos_axum::extract().await.map_err(|_| AppError::Unavailable)
}

/// Checks the file in `csv` and keeps it for the import that may follow, so the person sees every
/// row and problem before anything is saved.
#[server(prefix = "/fn", endpoint = "admin/preview_staff_import", input = leptos::server_fn::codec::Json)]
pub async fn preview_staff_import(fields: FormFields) -> Result<ImportPreview, AppError> {
    crate::error::respond(
        async move {
            let csv = fields.text("csv");
            let (preview, _, _) = read_import(csv).await?;
            // Kept in the session, which every request reads, only if it could be imported at all.
            if csv.len() > crate::domain::staff_import::MAX_IMPORT_BYTES {
                return Err(AppError::Invalid(vec![crate::error::FieldError {
                    field: "csv".into(),
                    message: preview.problems.join(" "),
                }]));
            }
            let pending = PendingImport { token: Uuid::new_v4(), csv: csv.to_owned() };
            session().await?.insert(PENDING_IMPORT_KEY, pending).await.map_err(|_| AppError::Unavailable)?;
            Ok(preview)
        }
        .await,
    )
}

/// Adds every staff member in the file (`csv`, or else the one last previewed), or none: the
/// file is checked again, as the staff list may have changed since the preview.
#[server(prefix = "/fn", endpoint = "admin/import_staff", input = leptos::server_fn::codec::Json)]
pub async fn import_staff(fields: FormFields) -> Result<usize, AppError> {
    crate::error::respond(
        async move {
            let session = session().await?;
            let csv = match fields.text("csv") {
                "" => pending_import(&session)
                    .await
                    .filter(|pending| fields.text("pending") == pending.token.to_string())
                    .map(|pending| pending.csv)
                    .unwrap_or_default(),
                csv => csv.to_owned(),
            };
            let (preview, staff, author) = read_import(&csv).await?;
            let Some(staff) = staff else {
                let rows = preview.rows_with_problems();
                let mut problems = preview.problems;
                if rows > 0 {
                    problems.push(format!("{rows} rows have problems; preview the file to see them."));
                }
                return Err(AppError::BadRequest(format!("Nothing was imported. {}", problems.join(" "))));
            };
            let storage = crate::error::storage()?;
            let count = storage.add_staff_members(staff, &author).await?.len();
            let _ = session.remove::<PendingImport>(PENDING_IMPORT_KEY).await;
            super::saved(format!("Imported {count} staff.")).await;
            Ok(count)
        }
        .await,
    )
}

pub async fn render(
    actor: &crate::domain::access::Actor,
    query: &super::Query,
) -> Result<crate::pages::Page, AppError> {
    use super::Editing;
    let admin = staff_admin(actor).await?;
    let editing = Editing::from_query(query).open(&admin.staff, |member| member.id)?;
    let session = session().await?;
    // Reading a page changes nothing: walking away from a preview leaves its file unimportable
    // by anything but its own button, until the next preview replaces it.
    let preview = match (query.get("import"), pending_import(&session).await) {
        ("preview", Some(pending)) => Some((read_import(&pending.csv).await?.0, pending.token)),
        _ => None,
    };
    let show_leavers = query.get("leavers") == "shown";
    let leavers = admin.staff.iter().filter(|member| member.has_left).count();
    let services = admin.services.clone();
    let body = view! {
        <div class="toolbar">
            <a class="button" href="/admin/staff?edit=new">"Add a staff member"</a>
            <a class="button button--secondary" href="#import">"Import from a CSV file"</a>
        </div>
        {editing.map(|member| view! { <StaffEditor member services=services.clone() /> })}
        {(leavers > 0).then(|| if show_leavers {
            view! { <p><a href="/admin/staff">"Hide those who have left"</a></p> }.into_any()
        } else {
            view! { <p><a href="/admin/staff?leavers=shown">{format!("Show the {leavers} who have left")}</a></p> }.into_any()
        })}
        {admin.staff.is_empty().then(|| view! { <p>"No staff yet. Add them one by one or import a list."</p> })}
        <ul class="record-list">
            {admin.staff.into_iter().filter(|member| show_leavers || !member.has_left).map(|member| {
                let details = [Some(member.job_title.clone()), member.team.clone(), Some(super::service_names(&admin.services, &member.service_ids))]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · ");
                view! {
                    <super::RecordItem
                        title=member.name
                        tag=member.has_left.then_some("Left")
                        details
                        change_href=format!("/admin/staff?edit={}", member.id)
                    />
                }
            }).collect_view()}
        </ul>
        <StaffImport preview />
    };
    super::page("Staff", None, body).await
}

#[component]
fn StaffEditor(member: Option<StaffMember>, services: Vec<ServiceChoice>) -> impl IntoView {
    use crate::components::form::{Checkbox, ChoiceGroup, SaveForm, TextField};
    let heading = member.as_ref().map_or("Add a staff member".to_owned(), |m| format!("Change {}", m.name));
    let selected: Vec<String> = match &member {
        Some(member) => member.service_ids.iter().map(ToString::to_string).collect(),
        // Someone who manages one service is adding to that one.
        None if services.len() == 1 => vec![services[0].id.to_string()],
        None => Vec::new(),
    };
    let existing = member.is_some();
    let (id, name, job_title, team, has_left) = match member {
        Some(m) => (m.id.to_string(), m.name, m.job_title, m.team.unwrap_or_default(), m.has_left),
        None => Default::default(),
    };
    view! {
        <section class="card editor" aria-labelledby="editor-heading">
            <h2 id="editor-heading">{heading}</h2>
            <SaveForm endpoint="admin/save_staff" next="/admin/staff" submit_label="Save staff member" cancel="/admin/staff">
                <input type="hidden" name="id" value=id />
                <TextField name="name" label="Name" value=name autocomplete="off" />
                <TextField name="job_title" label="Job title" value=job_title hint="For example: care assistant, senior carer, nurse." />
                <TextField name="team" label="Team (optional)" value=team />
                <ChoiceGroup name="services" legend="Works at" options=super::service_options(&services) selected />
                {existing.then(|| view! {
                    <Checkbox name="has_left" label="Has left (their checks and history are kept)" checked=has_left />
                })}
            </SaveForm>
        </section>
    }
}

#[component]
fn StaffImport(preview: Option<(ImportPreview, Uuid)>) -> impl IntoView {
    use crate::components::form::{FieldMessage, SaveForm};
    use crate::domain::staff_import::COLUMNS;
    view! {
        <section class="card" id="import" aria-labelledby="import-heading">
            <h2 id="import-heading">"Import staff from a CSV file"</h2>
            <p>
                "Save the spreadsheet as CSV with a first row naming the columns "
                <strong>{COLUMNS.join(", ")}</strong>
                ". Team may be left empty; service is the service's name. You will see every row, and any problems, \
                 before anything is saved; a file with a problem imports nothing."
            </p>
            <SaveForm endpoint="admin/preview_staff_import" next="/admin/staff?import=preview#import" submit_label="Preview" sends_file=true>
                <div class="field">
                    <label for="field-csv">"CSV file"</label>
                    <input id="field-csv" name="csv" type="file" accept=".csv,text/csv" aria-describedby="field-csv-error" />
                    <FieldMessage name="csv" />
                </div>
            </SaveForm>
            {preview.map(|(preview, token)| view! { <ImportPreviewTable preview token /> })}
        </section>
    }
}

#[component]
fn ImportPreviewTable(preview: ImportPreview, token: Uuid) -> impl IntoView {
    use crate::components::form::SaveForm;
    let importable = preview.is_importable();
    let bad_rows = preview.rows_with_problems();
    let count = preview.rows.len();
    let summary = if importable {
        format!("{count} staff ready to import.")
    } else if bad_rows > 0 {
        format!(
            "{bad_rows} of {count} rows have problems. Correct them in your file, then preview it again; nothing has been saved."
        )
    } else {
        "The file cannot be imported; nothing has been saved.".to_owned()
    };
    view! {
        <div class="import-preview">
            <h3>"Preview"</h3>
            <p class=if importable { "notice" } else { "error" }>{summary}</p>
            {(!preview.problems.is_empty()).then(|| view! {
                <ul class="error">{preview.problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            })}
            {importable.then(|| view! {
                <SaveForm endpoint="admin/import_staff" next="/admin/staff" submit_label=format!("Import {count} staff")
                    cancel="/admin/staff">
                    <input type="hidden" name="pending" value=token.to_string() />
                </SaveForm>
            })}
            {(count > 0).then(|| view! {
                <div class="table-scroll" role="region" aria-label="Rows in the file" tabindex="0">
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">"Line"</th>
                                <th scope="col">"Name"</th>
                                <th scope="col">"Job title"</th>
                                <th scope="col">"Team"</th>
                                <th scope="col">"Service"</th>
                                <th scope="col">"Problems"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {preview.rows.into_iter().map(|row| {
                                let bad = !row.problems.is_empty();
                                view! {
                                    <tr class:row--bad=bad>
                                        <td>{row.line}</td>
                                        <td>{row.name}</td>
                                        <td>{row.job_title}</td>
                                        <td>{row.team}</td>
                                        <td>{row.service}</td>
                                        <td>{if bad { row.problems.join(" ") } else { "None".to_owned() }}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </div>
    }
}
