//! Practice themes: name, expected standard, check kind, CQC quality statements, and criteria
//! with what each point of the 1–4 scale looks like.

use crate::domain::theme::PracticeTheme;
use crate::error::AppError;
use crate::form::FormFields;
use leptos::prelude::*;

async fn themes_admin(actor: &crate::domain::access::Actor) -> Result<Vec<PracticeTheme>, AppError> {
    crate::auth::authorise(actor, crate::domain::access::Action::ManageThemes)?;
    Ok(crate::error::storage()?.organisation.themes().await?)
}

#[server(prefix = "/fn", endpoint = "admin/save_theme", input = leptos::server_fn::codec::Json)]
pub async fn save_theme(fields: FormFields) -> Result<PracticeTheme, AppError> {
    crate::error::respond(
        async move {
            let (actor, author) = crate::auth::require_author().await?;
            crate::auth::authorise(&actor, crate::domain::access::Action::ManageThemes)?;
            let storage = crate::error::storage()?;
            let id = fields.id("id").map_err(AppError::BadRequest)?;
            let mut theme = reading::read_theme(&fields)?;
            let result = match id {
                Some(id) => {
                    theme.id = id;
                    storage.update_theme(theme, &author).await
                }
                None => storage.add_theme(theme, &author).await,
            };
            let saved = super::saved_named(result, |saved| &saved.name).await?;
            // On to the theme itself, where its versions show what the save changed.
            crate::form::send_to(&format!("/admin/themes?edit={}#versions", saved.id));
            Ok(saved)
        }
        .await,
    )
}

mod reading {
    use crate::domain::cqc::QualityStatement;
    use crate::domain::text::{LongText, Name};
    use crate::domain::theme::{CheckKind, NewCriterion, NewTheme};
    use crate::error::{AppError, Validation};
    use crate::form::FormFields;

    fn read_criterion(
        fields: &FormFields,
        row: &str,
        number: usize,
        validation: &mut Validation,
    ) -> Option<NewCriterion> {
        let id = validation.check(&format!("{row}.id"), fields.id(&format!("{row}.id")));
        let title = validation.check(
            &format!("{row}.title"),
            Name::parse(&format!("Criterion {number}'s title"), fields.text(&format!("{row}.title"))),
        );
        let descriptors: Vec<Option<LongText>> = (1..=4)
            .map(|point| {
                let field = format!("{row}.descriptor_{point}");
                validation.check(&field, LongText::parse(&format!("What {point} looks like"), fields.text(&field)))
            })
            .collect();
        let [Some(first), Some(second), Some(third), Some(fourth)] = <[_; 4]>::try_from(descriptors).ok()? else {
            return None;
        };
        let mut criterion = NewCriterion::new(title?, [first, second, third, fourth]);
        if let Some(Some(id)) = id {
            criterion.id = id;
        }
        Some(criterion)
    }

    /// The theme the form describes, with a new id (the caller keeps an edited theme's).
    /// Criteria keep the ids the form carries, so an edited criterion stays the same one.
    pub fn read_theme(fields: &FormFields) -> Result<NewTheme, AppError> {
        let mut validation = Validation::default();
        let name = validation.check("name", Name::parse("The name", fields.text("name")));
        let standard = validation
            .check("expected_standard", LongText::parse("The expected standard", fields.text("expected_standard")));
        let kind = CheckKind::from_code(fields.text("kind"));
        if kind.is_none() {
            validation.reject("kind", "Choose how checks of this theme are made.");
        }
        let mut statements = Vec::new();
        for code in fields.all("statements") {
            match QualityStatement::ALL.iter().find(|statement| statement.code() == code) {
                Some(statement) => statements.push(*statement),
                None => validation.reject("statements", format!("“{code}” is not a CQC quality statement.")),
            }
        }
        let criteria: Vec<Option<NewCriterion>> = fields
            .rows("criteria")
            .iter()
            .enumerate()
            .map(|(index, row)| read_criterion(fields, row, index + 1, &mut validation))
            .collect();
        let theme = match (name, standard, kind, criteria.into_iter().collect::<Option<Vec<_>>>()) {
            (Some(name), Some(standard), Some(kind), Some(criteria)) => {
                validation.check("criteria", NewTheme::new(name, standard, kind, criteria, statements))
            }
            _ => None,
        };
        validation.finish(theme)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn criterion_fields(form: FormFields, key: &str, title: &str) -> FormFields {
            (1..=4).fold(form.with(&format!("criteria.{key}.title"), title), |form, point| {
                form.with(&format!("criteria.{key}.descriptor_{point}"), &format!("Level {point}"))
            })
        }

        fn base() -> FormFields {
            FormFields::default()
                .with("name", "Mealtimes")
                .with("expected_standard", "People choose what they eat.")
                .with("kind", "observation")
                .with("statements", "caring.independence_choice")
        }

        #[test]
        fn a_complete_form_makes_a_theme_and_keeps_criterion_ids() {
            let kept = uuid::Uuid::from_u128(77);
            let form = criterion_fields(base().with("criteria.3.id", &kept.to_string()), "3", "Choice offered");
            let form = criterion_fields(form.with("criteria.8.id", ""), "8", "Pace");
            let theme = read_theme(&form).unwrap();
            assert_eq!(theme.criteria.len(), 2);
            assert_eq!(theme.criteria[0].id, kept);
            assert_eq!(theme.criteria[1].title.as_str(), "Pace");
            assert_eq!(theme.kind, CheckKind::Observation);
        }

        #[test]
        fn problems_are_named_per_criterion_and_for_the_theme() {
            let mut form = criterion_fields(base(), "0", "");
            form.0.retain(|(name, _)| name != "kind");
            let form = form.with("kind", "gossip");
            let Err(AppError::Invalid(errors)) = read_theme(&form) else { panic!("should be refused") };
            let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
            assert!(fields.contains(&"criteria.0.title"), "{fields:?}");
            assert!(errors.iter().any(|e| e.field == "kind"), "{errors:?}");
            assert_eq!(
                errors.iter().find(|e| e.field == "criteria.0.title").unwrap().message,
                "Criterion 1's title is required."
            );
        }

        #[test]
        fn a_theme_needs_criteria_and_distinct_titles() {
            let Err(AppError::Invalid(errors)) = read_theme(&base()) else { panic!("no criteria") };
            assert_eq!(errors[0].message, "A practice theme needs at least one criterion.");
            let twice = criterion_fields(criterion_fields(base(), "1", "Pace"), "2", "pace");
            let Err(AppError::Invalid(errors)) = read_theme(&twice) else { panic!("repeated") };
            assert_eq!(errors[0].field, "criteria");
        }
    }
}

pub async fn render(
    actor: &crate::domain::access::Actor,
    query: &super::Query,
) -> Result<crate::pages::Page, AppError> {
    use super::Editing;
    let themes = themes_admin(actor).await?;
    let editing = Editing::from_query(query).open(&themes, |theme| theme.id)?;
    let versions = match editing.as_ref().and_then(|theme| theme.as_ref().map(|theme| theme.id)) {
        Some(theme_id) => crate::error::storage()?.organisation.theme_versions(Some(theme_id)).await?,
        None => Vec::new(),
    };
    let body = view! {
        <p><a class="button" href="/admin/themes?edit=new">"Add a practice theme"</a></p>
        {editing.map(|theme| view! { <ThemeEditor theme /> <VersionHistory versions /> })}
        <ul class="record-list">
            {themes.into_iter().map(|theme| {
                let details = format!("{} · {} criteria", theme.kind.label(), theme.criteria.len());
                view! {
                    <super::RecordItem title=theme.name details change_href=format!("/admin/themes?edit={}", theme.id) />
                }
            }).collect_view()}
        </ul>
    };
    super::page("Practice themes", None, body).await
}

/// Every version of the theme, newest first, each with the standard and criteria its checks
/// were rated against.
#[component]
fn VersionHistory(versions: Vec<crate::domain::theme::ThemeVersion>) -> impl IntoView {
    use crate::domain::theme::SCALE_LABELS;
    use crate::pages::uk_time::wall_clock;
    let current = versions.iter().map(|version| version.version).max();
    view! {
        <section class="card" id="versions" aria-labelledby="versions-heading">
            <h2 id="versions-heading">"Versions"</h2>
            <p class="hint">
                "Changing the criteria, what 1 to 4 looks like or the expected standard makes a new version. Each \
                 check keeps the version it was rated against, so its scores keep their meaning."
            </p>
            <ol class="history" reversed>
                {versions.into_iter().rev().map(|version| {
                    let label = format!(
                        "Version {}{} · {} · {}",
                        version.version,
                        if Some(version.version) == current { " (current)" } else { "" },
                        wall_clock(version.made_at_ms, "Europe/London", "%-d %b %Y, %H:%M"),
                        version.made_by
                    );
                    view! {
                        <li>
                            <details class="disclosure">
                                <summary>{label}</summary>
                                <p><strong>"Expected standard: "</strong>{version.expected_standard}</p>
                                <ul>
                                    {version.criteria.into_iter().map(|criterion| {
                                        let scale = criterion.descriptors.iter().zip(SCALE_LABELS).enumerate()
                                            .map(|(index, (text, label))| format!("{} {label}: {text}", index + 1))
                                            .collect::<Vec<_>>()
                                            .join(" · ");
                                        view! { <li><strong>{criterion.title}</strong> " — " {scale}</li> }
                                    }).collect_view()}
                                </ul>
                            </details>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

fn criterion_row(key: &str, criterion: Option<crate::domain::theme::Criterion>) -> impl IntoView + use<> {
    use crate::components::form::{RemoveRowButton, TextField};
    use crate::domain::theme::SCALE_LABELS;
    let prefix = format!("criteria.{key}");
    let legend = criterion.as_ref().map_or("New criterion".to_owned(), |c| format!("Criterion: {}", c.title));
    let (criterion_id, title, descriptors) = match criterion {
        Some(c) => (c.id.to_string(), c.title, c.descriptors),
        None => Default::default(),
    };
    view! {
        <fieldset class="row criterion-row">
            <legend>{legend}</legend>
            <input type="hidden" name=format!("{prefix}.id") value=criterion_id />
            <TextField name=format!("{prefix}.title") label="Title" value=title />
            {descriptors.into_iter().enumerate().map(|(index, text)| view! {
                <TextField
                    name=format!("{prefix}.descriptor_{}", index + 1)
                    label=format!("{} · {}", index + 1, SCALE_LABELS[index])
                    value=text
                    multiline=true
                />
            }).collect_view()}
            <RemoveRowButton label="Remove this criterion" />
        </fieldset>
    }
}

#[component]
fn ThemeEditor(theme: Option<PracticeTheme>) -> impl IntoView {
    use crate::components::form::{ChoiceGroup, FieldMessage, RowList, SaveForm, SelectField, TextField};
    use crate::domain::cqc::QualityStatement;
    use crate::domain::theme::{CheckKind, MAX_CRITERIA, SCALE_LABELS};
    let heading = theme.as_ref().map_or("Add a practice theme".to_owned(), |t| format!("Change {}", t.name));
    // A new theme's kind is chosen on purpose, not left at whichever comes first.
    let mut kinds = vec![(String::new(), "Choose…".to_owned())];
    kinds.extend(CheckKind::ALL.iter().map(|kind| (kind.code().to_owned(), kind.label().to_owned())));
    let statements: Vec<(String, String)> = QualityStatement::ALL
        .iter()
        .map(|s| (s.code().to_owned(), format!("{}: {}", s.key_question().label(), s.title())))
        .collect();
    let criteria = theme.as_ref().map(|t| t.criteria.clone()).unwrap_or_default();
    let (id, name, standard, kind, chosen) = match theme {
        Some(t) => (
            t.id.to_string(),
            t.name,
            t.expected_standard,
            t.kind.code().to_owned(),
            t.quality_statements.iter().map(|s| s.code().to_owned()).collect(),
        ),
        None => Default::default(),
    };
    let no_criteria = criteria.is_empty();
    view! {
        <section class="card editor" aria-labelledby="editor-heading">
            <h2 id="editor-heading">{heading}</h2>
            <SaveForm endpoint="admin/save_theme" next="/admin/themes" submit_label="Save practice theme" cancel="/admin/themes">
                <input type="hidden" name="id" value=id />
                <TextField name="name" label="Name" value=name />
                <TextField name="expected_standard" label="Expected standard" value=standard multiline=true
                    hint="What good practice looks like, in words staff would use." />
                <SelectField name="kind" label="How checks are made" options=kinds selected=kind />
                <div class="statement-choices">
                    <ChoiceGroup name="statements" legend="CQC quality statements this theme evidences" options=statements selected=chosen />
                </div>
                <fieldset class="field" id="field-criteria" aria-describedby="field-criteria-hint field-criteria-error">
                    <legend>"Criteria"</legend>
                    <p class="hint" id="field-criteria-hint">
                        {format!("Each check rates every criterion from 1 to 4 ({}). Up to {MAX_CRITERIA} criteria.", SCALE_LABELS.join(", "))}
                    </p>
                    <RowList id="criterion-rows" add_label="Add a criterion" template=criterion_row("__key__", None).into_any()
                        spare=criterion_row("spare", None).into_any()>
                        {criteria.into_iter().enumerate().map(|(index, criterion)| criterion_row(&index.to_string(), Some(criterion))).collect_view()}
                        {no_criteria.then(|| criterion_row("0", None))}
                    </RowList>
                    <FieldMessage name="criteria" />
                </fieldset>
            </SaveForm>
        </section>
    }
}
