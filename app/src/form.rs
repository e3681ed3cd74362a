//! A submitted form as name–value pairs, the way the browser collects it. Administration forms
//! send these pairs to their server function, which reads and validates them in one place; the
//! browser needs no per-form code, which keeps the wasm small.
//!
//! Repeated rows (the shifts of a pattern, a theme's criteria) are named `rows.KEY.field`; the
//! key only groups a row's fields, and rows keep the order they had on the page.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The id of the control for the field `name`; its refusal is shown in `<id>-error`.
pub fn field_id(name: &str) -> String {
    format!("field-{}", name.replace('.', "-"))
}

/// What describes the control `id` to assistive technology: its hint (if any) and its error slot.
pub fn described_by(id: &str, has_hint: bool) -> String {
    if has_hint { format!("{id}-hint {id}-error") } else { format!("{id}-error") }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormFields(pub Vec<(String, String)>);

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

    /// The row prefixes (`shifts.4`) of the rows named `group`, in page order.
    pub fn rows(&self, group: &str) -> Vec<String> {
        let mut prefixes: Vec<String> = Vec::new();
        for (field, _) in &self.0 {
            let Some(rest) = field.strip_prefix(group).and_then(|rest| rest.strip_prefix('.')) else {
                continue;
            };
            let Some((key, _)) = rest.split_once('.') else {
                continue;
            };
            let prefix = format!("{group}.{key}");
            if !prefixes.contains(&prefix) {
                prefixes.push(prefix);
            }
        }
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
}
