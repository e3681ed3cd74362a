//! The sign-in page: a plain form that posts to the server (see the server's `sign_in` module),
//! so it works before the page's wasm has loaded and adds nothing to the download. The server
//! sends the person back here with `?error=` when it refuses.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Only paths on this site, so a crafted link cannot send someone elsewhere after signing in:
/// one that starts with a single `/` and holds nothing but the ordinary characters of a path and
/// its query and fragment (RFC 3986's, percent-encoded otherwise). Browsers drop tabs and line breaks from a
/// URL, so `/<tab>/evil.example` would arrive as `//evil.example`; a backslash reads as a slash;
/// and a control character cannot go into the `Location` header at all.
pub fn safe_return_path(next: Option<&str>) -> &str {
    let ordinary = |byte: u8| byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?%#".contains(&byte);
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && path.bytes().all(ordinary) => path,
        _ => "/",
    }
}

/// The sign-in page's address, bringing the person back to `next` afterwards, with the reason
/// they were sent back if the server refused them.
pub fn sign_in_path(next: &str, refusal: Option<SignInRefusal>) -> String {
    let next = encode_path(next);
    match refusal {
        Some(refusal) => format!("/sign-in?error={}&next={next}", refusal.code()),
        None => format!("/sign-in?next={next}"),
    }
}

/// `path` made safe to carry in a query string.
pub fn encode_path(path: &str) -> String {
    crate::form::percent_encode(path, b"/")
}

/// Why the server sent someone back to sign in again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInRefusal {
    WrongCredentials,
    Throttled,
    OneTimePasswordExpired,
    Unavailable,
}

impl SignInRefusal {
    pub fn code(self) -> &'static str {
        match self {
            SignInRefusal::WrongCredentials => "wrong",
            SignInRefusal::Throttled => "throttled",
            SignInRefusal::OneTimePasswordExpired => "expired",
            SignInRefusal::Unavailable => "unavailable",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        [
            SignInRefusal::WrongCredentials,
            SignInRefusal::Throttled,
            SignInRefusal::OneTimePasswordExpired,
            SignInRefusal::Unavailable,
        ]
        .into_iter()
        .find(|refusal| refusal.code() == code)
    }

    fn message(self) -> String {
        match self {
            SignInRefusal::WrongCredentials => crate::auth::WRONG_CREDENTIALS.to_owned(),
            // The page cannot know which limit was reached, or how long ago.
            SignInRefusal::Throttled => {
                "Too many failed sign-ins from here. Wait a quarter of an hour, or longer after many, then try again."
                    .to_owned()
            }
            SignInRefusal::OneTimePasswordExpired => crate::auth::ONE_TIME_PASSWORD_EXPIRED.to_owned(),
            SignInRefusal::Unavailable => crate::error::AppError::Unavailable.to_string(),
        }
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.with(|query| safe_return_path(query.get("next").as_deref()).to_owned());
    let refusal = move || query.with(|query| query.get("error").as_deref().and_then(SignInRefusal::from_code));
    view! {
        <Title text="Sign in" />
        <div class="narrow">
            <h1>"Sign in"</h1>
            <form class="form" method="post" action="/sign-in">
                <input type="hidden" name="next" value=next />
                <div class="field">
                    <label for="email">"Email address"</label>
                    <input id="email" name="email" type="email" autocomplete="username" required autofocus />
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required />
                </div>
                {move || refusal().map(|refusal| view! { <p class="error" role="alert">{refusal.message()}</p> })}
                <button type="submit" class="button">"Sign in"</button>
            </form>
            <p class="muted">"Forgotten your password? Ask your registered manager or provider admin to set a new one."</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_signing_in() {
        assert_eq!(safe_return_path(Some("/themes")), "/themes");
        assert_eq!(safe_return_path(None), "/");
        assert_eq!(safe_return_path(Some("/checks?service=1&staff=2%20x")), "/checks?service=1&staff=2%20x");
        assert_eq!(safe_return_path(Some("/admin/themes?edit=1#versions")), "/admin/themes?edit=1#versions");
        assert_eq!(
            safe_return_path(Some("/%09/evil.example")),
            "/%09/evil.example",
            "an encoded tab stays in the path"
        );
        for unsafe_path in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "themes",
            "/\t/evil.example",
            "/\r\n/evil.example",
            "/\n/evil.example",
            "/ /evil.example",
            "/\u{0}x",
            "/caf\u{e9}",
        ] {
            assert_eq!(safe_return_path(Some(unsafe_path)), "/", "{unsafe_path}");
        }
    }

    #[test]
    fn the_return_path_is_encoded_into_the_sign_in_address() {
        assert_eq!(sign_in_path("/themes", None), "/sign-in?next=/themes");
        assert_eq!(
            sign_in_path("/a b&c", Some(SignInRefusal::WrongCredentials)),
            "/sign-in?error=wrong&next=/a%20b%26c"
        );
    }

    #[test]
    fn refusal_codes_round_trip_and_unknown_codes_show_nothing() {
        for refusal in [
            SignInRefusal::WrongCredentials,
            SignInRefusal::Throttled,
            SignInRefusal::OneTimePasswordExpired,
            SignInRefusal::Unavailable,
        ] {
            assert_eq!(SignInRefusal::from_code(refusal.code()), Some(refusal));
        }
        assert_eq!(SignInRefusal::from_code("<script>"), None);
        assert!(SignInRefusal::Throttled.message().starts_with("Too many failed sign-ins from here."));
        assert!(SignInRefusal::OneTimePasswordExpired.message().contains("has expired"));
    }
}
