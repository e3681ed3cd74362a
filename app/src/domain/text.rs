//! Validated free text. Names and descriptions are trimmed and bounded once, at the edge, so the
//! rest of the code (and the database) never sees an empty or runaway value.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum TextError {
    #[error("{field} is required")]
    Empty { field: String },
    #[error("{field} is too long: at most {max} characters, this has {actual}")]
    TooLong { field: String, max: usize, actual: usize },
}

/// Trimmed text of one to `MAX` characters (characters, not bytes, so names in any script
/// get the same allowance).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BoundedText<const MAX: usize>(String);

/// A person's, service's or theme's name.
pub type Name = BoundedText<120>;
/// A job title or team.
pub type ShortText = BoundedText<80>;
/// A paragraph: an expected standard, a descriptor, an example observed.
pub type LongText = BoundedText<4000>;

impl<const MAX: usize> BoundedText<MAX> {
    /// `field` names the value in the error message ("Service name is required").
    pub fn parse(field: &str, raw: &str) -> Result<Self, TextError> {
        let trimmed = raw.trim();
        let actual = trimmed.chars().count();
        if actual == 0 {
            return Err(TextError::Empty { field: field.to_owned() });
        }
        if actual > MAX {
            return Err(TextError::TooLong { field: field.to_owned(), max: MAX, actual });
        }
        Ok(BoundedText(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<const MAX: usize> TryFrom<String> for BoundedText<MAX> {
    type Error = TextError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        BoundedText::parse("text", &value)
    }
}

impl<const MAX: usize> From<BoundedText<MAX>> for String {
    fn from(value: BoundedText<MAX>) -> Self {
        value.0
    }
}

impl<const MAX: usize> fmt::Display for BoundedText<MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surrounding_space_is_trimmed() {
        assert_eq!(Name::parse("Name", "  Larch House \n").unwrap().as_str(), "Larch House");
    }

    #[test]
    fn blank_text_is_refused_with_the_field_named() {
        let error = Name::parse("Service name", "   ").unwrap_err();
        assert_eq!(error.to_string(), "Service name is required");
    }

    #[test]
    fn a_120_character_name_is_valid_and_121_is_too_long() {
        assert!(Name::parse("Name", &"a".repeat(120)).is_ok());
        let error = Name::parse("Name", &"a".repeat(121)).unwrap_err();
        assert_eq!(error.to_string(), "Name is too long: at most 120 characters, this has 121");
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        assert!(Name::parse("Name", &"é".repeat(120)).is_ok());
    }

    #[test]
    fn deserialising_applies_the_same_rules() {
        assert!(serde_json::from_str::<Name>(r#""""#).is_err());
        assert_eq!(serde_json::from_str::<Name>(r#"" Ada ""#).unwrap().as_str(), "Ada");
    }
}
