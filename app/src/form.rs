//! A submitted form as name–value pairs, the way the browser collects it. Administration forms
//! send these pairs to their server function, which reads and validates them in one place; the
//! browser needs no per-form code, which keeps the wasm small.
//!
//! Repeated rows (the shifts of a pattern, a theme's criteria) are named `rows.KEY.field`; the
//! key only groups a row's fields, and rows keep the order they had on the page.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Every form carries where to go once saved and the page it was sent from, for the server to
/// answer a form sent without script.
pub const NEXT_FIELD: &str = "_next";
pub const BACK_FIELD: &str = "_back";

/// The header with which a save's answer names the page of the record it made, for the browser
/// to go on to instead of the form's usual next page.
pub const SEND_TO_HEADER: &str = "x-recheck-send-to";

/// For a server function that made a record: the person goes on to `path` (its page) once saved.
#[cfg(feature = "ssr")]
pub fn send_to(path: &str) {
    if let (Some(response), Ok(value)) =
        (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(path))
    {
        response.insert_header(http::HeaderName::from_static(SEND_TO_HEADER), value);
    }
}

/// Fields whose values are never sent back into a page a refused form returns to: passwords, and
/// a staff file, which would otherwise wait in the session.
pub const NEVER_ECHOED: &[&str] = &["current", "new", "confirm", "password", "csv"];

/// The id of the control for the field `name`; its refusal is shown in `<id>-error`.
pub fn field_id(name: &str) -> String {
    format!("field-{}", name.replace('.', "-"))
}

/// What describes the control `id` to assistive technology: its hint (if any) and its error slot.
pub fn described_by(id: &str, has_hint: bool) -> String {
    if has_hint { format!("{id}-hint {id}-error") } else { format!("{id}-error") }
}

/// `text` percent-encoded for a URL: every byte but letters, digits, `-_.~` and those in `keep`.
pub fn percent_encode(text: &str, keep: &[u8]) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => char::from(byte).to_string(),
            other if keep.contains(&other) => char::from(other).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Name–value pairs as a URL's query string.
pub fn query_string(pairs: &[(String, String)]) -> String {
    let pairs: Vec<String> = pairs
        .iter()
        .map(|(name, value)| format!("{}={}", percent_encode(name, b""), percent_encode(value, b"")))
        .collect();
    pairs.join("&")
}

/// Far more fields than any of Recheck's forms has (a theme's, the largest, has about 80): a form
/// with more is refused as it is read, so no page's checks can be made to take long.
pub const MAX_FIELDS: usize = 2_000;

pub fn too_many_fields() -> String {
    format!("The form has more than {MAX_FIELDS} fields.")
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FormFields(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for FormFields {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Pairs;
        impl<'de> serde::de::Visitor<'de> for Pairs {
            type Value = FormFields;

            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(formatter, "at most {MAX_FIELDS} name–value pairs")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut pairs: A) -> Result<FormFields, A::Error> {
                let mut fields = Vec::new();
                while let Some(pair) = pairs.next_element::<(String, String)>()? {
                    if fields.len() == MAX_FIELDS {
                        return Err(serde::de::Error::custom(too_many_fields()));
                    }
                    fields.push(pair);
                }
                Ok(FormFields(fields))
            }
        }
        deserializer.deserialize_seq(Pairs)
    }
}

impl FormFields {
    /// The first value named `name`, or "" when there is none.
    pub fn text(&self, name: &str) -> &str {
        self.0.iter().find(|(field, _)| field == name).map(|(_, value)| value.as_str()).unwrap_or("")
    }

    /// Every value named `name`, as ticked checkboxes send them.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(field, _)| field == name).map(|(_, value)| value.as_str()).collect()
    }

    /// Whether a checkbox named `name` was ticked.
    pub fn ticked(&self, name: &str) -> bool {
        self.0.iter().any(|(field, _)| field == name)
    }

    /// The record being edited: `None` when the field is empty (a new record).
    pub fn id(&self, name: &str) -> Result<Option<Uuid>, String> {
        match self.text(name).trim() {
            "" => Ok(None),
            raw => Uuid::parse_str(raw).map(Some).map_err(|_| format!("“{raw}” is not a record id")),
        }
    }

    /// The row prefixes (`shifts.4`) of the rows named `group`, in page order. A row with nothing
    /// in it but its record id is left out: it is the spare row of a form sent without script,
    /// or a row the person cleared to remove it.
    pub fn rows(&self, group: &str) -> Vec<String> {
        let mut prefixes: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut filled = std::collections::HashSet::new();
        for (field, value) in &self.0 {
            let Some(rest) = field.strip_prefix(group).and_then(|rest| rest.strip_prefix('.')) else {
                continue;
            };
            let Some((key, name)) = rest.split_once('.') else {
                continue;
            };
            let prefix = format!("{group}.{key}");
            if name != "id" && !value.trim().is_empty() {
                filled.insert(prefix.clone());
            }
            if seen.insert(prefix.clone()) {
                prefixes.push(prefix);
            }
        }
        prefixes.retain(|prefix| filled.contains(prefix));
        prefixes
    }

    pub fn with(mut self, name: &str, value: &str) -> Self {
        self.0.push((name.to_owned(), value.to_owned()));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> FormFields {
        pairs.iter().fold(FormFields::default(), |fields, (name, value)| fields.with(name, value))
    }

    #[test]
    fn single_values_checkboxes_and_missing_fields() {
        let form = fields(&[("name", "Larch"), ("days", "saturday"), ("days", "sunday"), ("left", "on")]);
        assert_eq!(form.text("name"), "Larch");
        assert_eq!(form.text("missing"), "");
        assert_eq!(form.all("days"), ["saturday", "sunday"]);
        assert!(form.ticked("left"));
        assert!(!form.ticked("disabled"));
    }

    #[test]
    fn a_form_of_more_than_the_most_fields_is_refused_as_it_is_read() {
        let pairs = |count: usize| serde_json::to_string(&vec![("name", "x"); count]).unwrap();
        let most: FormFields = serde_json::from_str(&pairs(MAX_FIELDS)).unwrap();
        assert_eq!(most.0.len(), MAX_FIELDS);
        let refusal = serde_json::from_str::<FormFields>(&pairs(MAX_FIELDS + 1)).unwrap_err().to_string();
        assert!(refusal.contains("more than 2000 fields"), "{refusal}");
        let round_trip: FormFields = serde_json::from_str(&serde_json::to_string(&most).unwrap()).unwrap();
        assert_eq!(round_trip, most);
    }

    #[test]
    fn ids_are_optional_but_must_be_well_formed() {
        let id = Uuid::from_u128(7);
        assert_eq!(fields(&[("id", "")]).id("id"), Ok(None));
        assert_eq!(fields(&[("id", &id.to_string())]).id("id"), Ok(Some(id)));
        assert!(fields(&[("id", "seven")]).id("id").is_err());
    }

    #[test]
    fn rows_keep_page_order_whatever_their_keys() {
        let form = fields(&[
            ("shifts.9.kind", "early"),
            ("shifts.9.start", "07:00"),
            ("shifts.2.kind", "night"),
            ("shiftsx.1.kind", "no"),
            ("shifts.x", "no"),
            ("shifts.12.kind", "late"),
        ]);
        assert_eq!(form.rows("shifts"), ["shifts.9", "shifts.2", "shifts.12"]);
        assert_eq!(form.text("shifts.2.kind"), "night");
    }

    #[test]
    fn query_strings_are_percent_encoded() {
        let pairs = vec![("staff".to_owned(), "a b&c".to_owned()), ("after".to_owned(), "12.ab".to_owned())];
        assert_eq!(query_string(&pairs), "staff=a%20b%26c&after=12.ab");
    }

    #[test]
    fn rows_with_nothing_in_them_but_their_id_are_left_out() {
        let form = fields(&[
            ("criteria.0.id", "0193"),
            ("criteria.0.title", "Pace"),
            ("criteria.1.id", "0194"),
            ("criteria.1.title", " "),
            ("criteria.1.descriptor_1", ""),
            ("criteria.spare.id", ""),
            ("criteria.spare.title", ""),
            ("criteria.2.title", ""),
            ("criteria.2.descriptor_4", "Always"),
        ]);
        assert_eq!(form.rows("criteria"), ["criteria.0", "criteria.2"]);
    }
}
