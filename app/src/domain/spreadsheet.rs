//! What a CSV export must do so that a spreadsheet opens it as text and nothing else
//! (`docs/domain.md` §10, exports).

use std::borrow::Cow;

/// Written before the first row, so that Excel reads the file as UTF-8 (names such as "Zoë"
/// and "Łukasz" would otherwise come out garbled).
pub const BYTE_ORDER_MARK: &str = "\u{feff}";

/// A cell a spreadsheet could take for a formula, because it starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return, is made plain text with a leading apostrophe, which spreadsheets
/// read as "this is text" (OWASP's advice against CSV injection). Any other cell is as it was.
/// Free text is what staff and observers type, so an export never trusts it.
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_that_could_be_a_formula_is_made_text() {
        for risky in ["=HYPERLINK(\"http://evil.example\")", "+1", "-2+3", "@SUM(A1:A9)", "\tTab", "\rReturn"] {
            assert_eq!(spreadsheet_safe(risky), format!("'{risky}"), "{risky:?}");
        }
    }

    #[test]
    fn any_other_cell_is_left_as_it_is() {
        for plain in ["", "Dorota Nowak", "O'Brien, Siobhán", "3", "Said \"no\"\nthen yes", " =spaced", "'quoted"] {
            assert!(matches!(spreadsheet_safe(plain), Cow::Borrowed(same) if same == plain), "{plain:?}");
        }
    }
}
