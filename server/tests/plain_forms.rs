//! Forms sent without script, as a browser with script switched off sends them: URL-encoded (or
//! multipart, with a file) to the server function, answered with a redirect on success, or back
//! to the page with what was sent and each refusal beside its field.

mod support;

use recheck_app::domain::access::Role;
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use support::{TestApp, TestDatabase};

fn location(response: &reqwest::Response) -> String {
    response.headers()[LOCATION].to_str().unwrap().to_owned()
}

async fn page(app: &TestApp, path: &str) -> String {
    let response = app.client.get(app.url(path)).header("accept", "text/html").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

fn theme_form(name: &str, first_descriptor: &str) -> Vec<(&'static str, String)> {
    vec![
        ("_next", "/admin/themes".into()),
        ("_back", "/admin/themes?edit=new".into()),
        ("id", String::new()),
        ("name", name.into()),
        ("expected_standard", "People are helped to drink enough.".into()),
        ("kind", "observation".into()),
        ("criteria.0.id", String::new()),
        ("criteria.0.title", "Drinks offered".into()),
        ("criteria.0.descriptor_1", first_descriptor.into()),
        ("criteria.0.descriptor_2", "Sometimes".into()),
        ("criteria.0.descriptor_3", "Regularly".into()),
        ("criteria.0.descriptor_4", "Always, and preferences known".into()),
        // The spare row a page without script offers, left empty.
        ("criteria.spare.id", String::new()),
        ("criteria.spare.title", String::new()),
        ("criteria.spare.descriptor_1", String::new()),
    ]
}

async fn a_refused_form_comes_back_with_what_was_sent_and_each_refusal_beside_its_field(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    app.sign_in_as(&[Role::ProviderAdmin], &[]).await;
    let refused = app
        .client
        .post(app.url("/fn/admin/save_theme"))
        .form(&theme_form("Hydration & drinks", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&refused), "/admin/themes?edit=new");
    let html = page(&app, "/admin/themes?edit=new").await;
    assert!(html.contains("What 1 looks like is required."), "the refusal is beside its field");
    assert!(html.contains(r#"value="Hydration &amp; drinks""#), "what was typed is kept");
    assert!(html.contains("One detail needs correcting; it is marked above."));
    assert!(html.contains(r#"aria-invalid="true""#));
    let again = page(&app, "/admin/themes?edit=new").await;
    assert!(!again.contains("What 1 looks like is required."), "shown once, then the form is fresh");
    let themes = app.database.storage.organisation.themes().await.unwrap();
    assert_eq!(themes.len(), 3, "nothing was saved");
}

async fn a_saved_form_goes_on_to_the_record_it_made(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    app.sign_in_as(&[Role::ProviderAdmin], &[]).await;
    let saved =
        app.client.post(app.url("/fn/admin/save_theme")).form(&theme_form("Hydration", "Rarely")).send().await.unwrap();
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let themes = app.database.storage.organisation.themes().await.unwrap();
    let hydration = themes.iter().find(|theme| theme.name == "Hydration").expect("saved");
    assert_eq!(hydration.criteria.len(), 1, "the empty spare row is left out");
    assert_eq!(location(&saved), format!("/admin/themes?edit={}#versions", hydration.id));
    let html = page(&app, &location(&saved)).await;
    assert!(html.contains("Saved Hydration."));
    assert!(html.contains("Version 1 (current)"));
}

async fn a_file_is_sent_as_multipart_and_previewed(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    app.add_service("Larch House").await;
    app.sign_in_as(&[Role::ProviderAdmin], &[]).await;
    let csv = "name,job title,team,service\nNew Person,Carer,,Larch House\n";
    let form = reqwest::multipart::Form::new()
        .text("_next", "/admin/staff?import=preview#import")
        .text("_back", "/admin/staff")
        .part("csv", reqwest::multipart::Part::text(csv).file_name("staff.csv").mime_str("text/csv").unwrap());
    let sent = app.client.post(app.url("/fn/admin/preview_staff_import")).multipart(form).send().await.unwrap();
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&sent), "/admin/staff?import=preview#import");
    let html = page(&app, "/admin/staff?import=preview").await;
    assert!(html.contains("1 staff ready to import."), "{html}");
}

/// Sends the import form as the browser would without script, with `pending` if given.
async fn import(app: &TestApp, pending: Option<&str>) -> reqwest::Response {
    let mut form = vec![("_next", "/admin/staff"), ("_back", "/admin/staff?import=preview")];
    form.extend(pending.map(|token| ("pending", token)));
    app.client.post(app.url("/fn/admin/import_staff")).form(&form).send().await.unwrap()
}

async fn a_previewed_file_is_imported_only_by_its_own_button_and_reading_pages_changes_nothing(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    app.add_service("Larch House").await;
    app.sign_in_as(&[Role::ProviderAdmin], &[]).await;
    let csv = "name,job title,team,service\nNew Person,Carer,,Larch House\n";
    let form = [("_next", "/admin/staff?import=preview"), ("_back", "/admin/staff"), ("csv", csv)];
    let sent = app.client.post(app.url("/fn/admin/preview_staff_import")).form(&form).send().await.unwrap();
    assert_eq!(location(&sent), "/admin/staff?import=preview");
    let html = page(&app, "/admin/staff?import=preview").await;
    let token = html.split(r#"name="pending" value=""#).nth(1).and_then(|rest| rest.split('"').next()).unwrap();
    // Cancel is a link: following it, or any page, changes nothing; a form without the preview's
    // token (the file form sent with no file) imports nothing.
    assert!(!html.contains("import=cancel"));
    page(&app, "/admin/staff").await;
    let without = import(&app, None).await;
    assert_eq!(location(&without), "/admin/staff?import=preview");
    assert!(page(&app, "/admin/staff?import=preview").await.contains("Nothing was imported. The file is empty."));
    assert_eq!(location(&import(&app, Some("not-the-token")).await), "/admin/staff?import=preview");
    assert!(app.database.storage.organisation.staff_members(None).await.unwrap().is_empty());
    assert_eq!(location(&import(&app, Some(token)).await), "/admin/staff");
    assert_eq!(
        app.database.storage.organisation.staff_members(None).await.unwrap().len(),
        1,
        "imported by its own button"
    );
}

async fn files_too_large_and_forms_of_too_many_fields_are_refused_and_never_kept_in_the_session(
    database: TestDatabase,
) {
    let app = TestApp::spawn(database).await;
    app.add_service("Larch House").await;
    app.sign_in_as(&[Role::ProviderAdmin], &[]).await;
    let row = "Someone Else,Carer,,Larch House\n";
    let large = format!("name,job title,team,service\n{}", row.repeat(1_500_000 / row.len()));
    for endpoint in ["import_staff", "preview_staff_import"] {
        let form = [("_next", "/admin/staff?import=preview"), ("_back", "/admin/staff"), ("csv", large.as_str())];
        let sent = app.client.post(app.url(&format!("/fn/admin/{endpoint}"))).form(&form).send().await.unwrap();
        assert_eq!(location(&sent), "/admin/staff", "{endpoint}: refused, back to the form");
    }
    assert!(page(&app, "/admin/staff").await.contains("The file is larger than 1 MB."));
    let rows = app.database.session_rows().await;
    assert!(rows.iter().all(|row| row.len() < 64_000), "{:?}", rows.iter().map(String::len).collect::<Vec<_>>());
    // 50,000 rows of a service's shifts: refused as the form is read, before any row is looked at.
    let mut fields: Vec<(String, String)> = vec![("name".into(), "Larch House".into())];
    fields.extend((0..50_000).map(|row| (format!("shifts.{row}.kind"), "Early".into())));
    let as_json = serde_json::json!({ "fields": fields });
    let sent = app.client.post(app.url("/fn/admin/save_service")).json(&as_json).send().await.unwrap();
    let status = sent.status();
    let text = sent.text().await.unwrap();
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    assert!(text.contains("more than 2000 fields"), "{text}");
    let as_form = app.client.post(app.url("/fn/admin/save_service")).form(&fields).send().await.unwrap();
    assert_eq!(as_form.status(), StatusCode::BAD_REQUEST);
}

async fn a_stranger_s_form_is_sent_to_sign_in_first(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let sent =
        app.client.post(app.url("/fn/admin/save_theme")).form(&theme_form("Hydration", "Rarely")).send().await.unwrap();
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&sent), "/sign-in?next=/admin/themes%3Fedit%3Dnew");
}

async fn a_form_naming_another_site_to_return_to_stays_on_this_one(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    app.sign_in_as(&[Role::ProviderAdmin], &[]).await;
    let mut form = theme_form("Hydration", "Rarely");
    form[0].1 = "https://evil.example/".into();
    let sent = app.client.post(app.url("/fn/admin/save_theme")).form(&form).send().await.unwrap();
    assert!(location(&sent).starts_with("/admin/themes?edit="), "{}", location(&sent));
    let mut refused = theme_form("Hydration two", "");
    refused[1].1 = "//evil.example/".into();
    let sent = app.client.post(app.url("/fn/admin/save_theme")).form(&refused).send().await.unwrap();
    assert_eq!(location(&sent), "/");
}

async fn a_check_shows_the_theme_version_it_was_rated_against_after_the_theme_changes(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let service = app.add_service("Larch House").await.id;
    let staff = app.add_staff("Dorota Nowak", &[service]).await.id;
    app.sign_in_as(&[Role::ProviderAdmin], &[]).await;
    let saved =
        app.client.post(app.url("/fn/admin/save_theme")).form(&theme_form("Hydration", "Rarely")).send().await.unwrap();
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    app.sign_in_as(&[Role::ShiftLeader], &[service]).await;
    let reference: serde_json::Value =
        app.client.get(app.url("/api/v1/reference")).send().await.unwrap().json().await.unwrap();
    let theme = reference["themes"].as_array().unwrap().iter().find(|theme| theme["name"] == "Hydration").unwrap();
    let check = app.send_observation(&app.client, (service, staff, theme), |_| 1, false, 60).await;

    // The first descriptor is reworded: version 2. The check still reads as the observer saw it.
    app.sign_in_as(&[Role::ProviderAdmin], &[]).await;
    let mut reworded = theme_form("Hydration", "Seldom, and only when asked");
    reworded[2].1 = theme["id"].as_str().unwrap().to_owned();
    reworded[6].1 = theme["criteria"][0]["id"].as_str().unwrap().to_owned();
    let saved = app.client.post(app.url("/fn/admin/save_theme")).form(&reworded).send().await.unwrap();
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert!(page(&app, &location(&saved)).await.contains("Version 2 (current)"));
    let html = page(&app, &format!("/checks/{check}")).await;
    assert!(
        html.contains("Rated against version 1 of the theme, as shown here; the theme is now at version 2."),
        "{html}"
    );
    assert!(html.contains("Rarely") && !html.contains("Seldom"), "{html}");
}

on_both_backends!(
    a_check_shows_the_theme_version_it_was_rated_against_after_the_theme_changes,
    a_refused_form_comes_back_with_what_was_sent_and_each_refusal_beside_its_field,
    a_saved_form_goes_on_to_the_record_it_made,
    a_file_is_sent_as_multipart_and_previewed,
    a_previewed_file_is_imported_only_by_its_own_button_and_reading_pages_changes_nothing,
    files_too_large_and_forms_of_too_many_fields_are_refused_and_never_kept_in_the_session,
    a_stranger_s_form_is_sent_to_sign_in_first,
    a_form_naming_another_site_to_return_to_stays_on_this_one,
);
