//! Forms sent without script. Every form on a page posts to its server function (`/fn/…`);
//! where script runs, the enhancer sends it as JSON and shows the answer in place. Without
//! script the browser posts the form itself, URL-encoded or (with a file) as multipart, and this
//! layer turns it into the same call: the fields go to the server function as JSON, and its
//! answer becomes a redirect — on to the next page (or the record the save made), or back to the
//! page the form was on, with what was sent and why it was refused left in the session for that
//! page to show beside each field.

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use recheck_app::components::form::{FORM_ECHO_KEY, FormEcho};
use recheck_app::error::AppError;
use recheck_app::form::{
    BACK_FIELD, FormFields, MAX_FIELDS, NEVER_ECHOED, NEXT_FIELD, SEND_TO_HEADER, too_many_fields,
};
use recheck_app::pages::account::change_password_path;
use recheck_app::pages::sign_in::{safe_return_path, sign_in_path};
use tower_sessions::Session;

/// A form, file included, may be this large.
const MAX_FORM_BYTES: usize = 4_000_000;
/// A refused form larger than this is not sent back into its page, only its refusals.
const MAX_ECHOED_BYTES: usize = 64_000;

enum Encoding {
    UrlEncoded,
    Multipart,
}

/// How a call to a server function is sent. Anything but JSON (from the page's script) or a
/// form (from the browser itself) is refused: a `text/plain` body is what another site's form
/// can send without the browser asking first.
enum Call {
    Json,
    PlainForm(Encoding),
    Unexpected,
}

fn server_function_call(request: &Request) -> Option<Call> {
    if request.method() != Method::POST || !request.uri().path().starts_with("/fn/") {
        return None;
    }
    let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|kind| kind.to_str().ok()).unwrap_or("");
    let media_type = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    Some(match media_type.as_str() {
        "application/json" => Call::Json,
        "application/x-www-form-urlencoded" => Call::PlainForm(Encoding::UrlEncoded),
        "multipart/form-data" => Call::PlainForm(Encoding::Multipart),
        _ => Call::Unexpected,
    })
}

async fn read_fields(request: Request, encoding: Encoding) -> Result<Vec<(String, String)>, String> {
    match encoding {
        Encoding::UrlEncoded => {
            let bytes = to_bytes(request.into_body(), MAX_FORM_BYTES)
                .await
                .map_err(|_| "The form is too large, or broke off before it was complete.".to_owned())?;
            Ok(form_urlencoded::parse(&bytes).into_owned().collect())
        }
        Encoding::Multipart => {
            let mut multipart =
                Multipart::from_request(request, &()).await.map_err(|_| "The form could not be read.".to_owned())?;
            let mut pairs = Vec::new();
            while let Some(field) = multipart.next_field().await.map_err(|_| "The form broke off.".to_owned())? {
                let name = field.name().unwrap_or_default().to_owned();
                let value =
                    field.text().await.map_err(|_| "A file in the form could not be read as text.".to_owned())?;
                pairs.push((name, value));
            }
            Ok(pairs)
        }
    }
}

/// Takes the field `name` out of `pairs`, as a path on this site.
fn take_path(pairs: &mut Vec<(String, String)>, name: &str) -> String {
    let value = pairs.iter().position(|(field, _)| field == name).map(|at| pairs.remove(at).1);
    safe_return_path(value.as_deref()).to_owned()
}

fn see_other(path: &str) -> Response {
    Redirect::to(path).into_response()
}

/// What a refusal says above the form's buttons, beside what it says at each field.
fn summary(error: &AppError) -> String {
    match error {
        AppError::Invalid(refusals) if refusals.len() == 1 => "One detail needs correcting; it is marked above.".into(),
        AppError::Invalid(refusals) => format!("{} details need correcting; each is marked above.", refusals.len()),
        other => other.to_string(),
    }
}

/// Leptos answers a call whose arguments it cannot read with 500, whatever the error says; the
/// status is made the one the error names (400 for a form that cannot be read), as a function's
/// own refusals already have.
async fn with_the_status_of_its_error(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, MAX_FORM_BYTES).await.unwrap_or_default();
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = error.status_code();
    }
    Response::from_parts(parts, Body::from(bytes))
}

pub async fn answer_plain_forms(request: Request, next: Next) -> Response {
    let encoding = match server_function_call(&request) {
        None => return next.run(request).await,
        Some(Call::Json) => return with_the_status_of_its_error(next.run(request).await).await,
        Some(Call::PlainForm(encoding)) => encoding,
        Some(Call::Unexpected) => {
            return crate::api::error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "This address takes a form or JSON (Content-Type application/x-www-form-urlencoded, multipart/form-data or application/json).",
            );
        }
    };
    let endpoint = request.uri().path().trim_start_matches("/fn/").to_owned();
    let session = request.extensions().get::<Session>().cloned();
    let (mut parts, body) = request.into_parts();
    let mut pairs = match read_fields(Request::from_parts(parts.clone(), body), encoding).await {
        Ok(pairs) if pairs.len() > MAX_FIELDS => return (StatusCode::BAD_REQUEST, too_many_fields()).into_response(),
        Ok(pairs) => pairs,
        Err(problem) => return (StatusCode::BAD_REQUEST, problem).into_response(),
    };
    let (on_success, back) = (take_path(&mut pairs, NEXT_FIELD), take_path(&mut pairs, BACK_FIELD));
    let fields = FormFields(pairs);
    let json = serde_json::json!({ "fields": fields }).to_string();
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
    parts.headers.remove(header::CONTENT_LENGTH);
    let response = next.run(Request::from_parts(parts, Body::from(json))).await;
    if response.status().is_success() {
        let sent_to = response.headers().get(SEND_TO_HEADER).and_then(|to| to.to_str().ok());
        let mut redirect = see_other(&sent_to.map_or(on_success, |to| safe_return_path(Some(to)).to_owned()));
        // The server function's cookies (a one-time password waiting to be shown) go with it.
        for cookie in response.headers().get_all(header::SET_COOKIE) {
            redirect.headers_mut().append(header::SET_COOKIE, cookie.clone());
        }
        return redirect;
    }
    let status = response.status();
    let bytes = to_bytes(response.into_body(), MAX_FORM_BYTES).await.unwrap_or_default();
    let error = serde_json::from_slice::<AppError>(&bytes)
        .unwrap_or_else(|_| AppError::ServerFn(format!("the server answered {status}")));
    match error {
        AppError::Unauthenticated => return see_other(&sign_in_path(&back, None)),
        AppError::PasswordChangeRequired => return see_other(&change_password_path(&back)),
        _ => {}
    }
    let mut echoed: Vec<(String, String)> =
        fields.0.into_iter().filter(|(name, _)| !NEVER_ECHOED.contains(&name.as_str())).collect();
    // The echo waits in the session, which every request reads: a form that large is not kept.
    if echoed.iter().map(|(name, value)| name.len() + value.len()).sum::<usize>() > MAX_ECHOED_BYTES {
        echoed.clear();
    }
    let echo = FormEcho {
        endpoint,
        fields: FormFields(echoed),
        summary: summary(&error),
        refusals: match error {
            AppError::Invalid(refusals) => refusals,
            _ => Vec::new(),
        },
    };
    if let Some(session) = session
        && session.insert(FORM_ECHO_KEY, echo).await.is_err()
    {
        tracing::error!("a refused form's answer could not be kept in the session");
    }
    see_other(&back)
}
