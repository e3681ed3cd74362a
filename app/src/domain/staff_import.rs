//! Importing a staff list from a spreadsheet saved as CSV, with columns name, job title, team
//! and service. Every row is checked and every problem reported against its line before anything
//! is saved; a file with any problem imports nothing.

use serde::{Deserialize, Serialize};

/// Large enough for any provider's staff list, small enough to check in one request.
pub const MAX_IMPORT_ROWS: usize = 2_000;
pub const MAX_IMPORT_BYTES: usize = 1_000_000;

/// The column headings, as the file's first row must name them (in any order and case).
pub const COLUMNS: [&str; 4] = ["name", "job title", "team", "service"];

/// One data row as read, with whatever is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    /// The line in the file, counting the heading row as line 1.
    pub line: u64,
    pub name: String,
    pub job_title: String,
    pub team: String,
    pub service: String,
    pub problems: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub rows: Vec<ImportRow>,
    /// Problems with the file as a whole: no heading row, a missing column, too many rows.
    pub problems: Vec<String>,
}

impl ImportPreview {
    pub fn rows_with_problems(&self) -> usize {
        self.rows.iter().filter(|row| !row.problems.is_empty()).count()
    }

    pub fn is_importable(&self) -> bool {
        self.problems.is_empty() && !self.rows.is_empty() && self.rows_with_problems() == 0
    }
}

#[cfg(feature = "ssr")]
pub use reading::read_staff_csv;

#[cfg(feature = "ssr")]
mod reading {
    use super::*;
    use crate::domain::organisation::{NewStaffMember, Service, StaffMember};
    use crate::domain::text::{Name, ShortText};
    use uuid::Uuid;

    /// Headings are compared without case, spaces or underscores ("Job title", "job_title").
    fn normalise(heading: &str) -> String {
        heading.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
    }

    /// Reads `text` and checks every row: the fields' lengths, that the service exists and
    /// `may_manage` it, and that nobody appears twice (in the file, or already on the
    /// service's list of current staff). The staff to add come back only when nothing is wrong.
    pub fn read_staff_csv(
        text: &str,
        services: &[Service],
        existing: &[StaffMember],
        may_manage: impl Fn(Uuid) -> bool,
    ) -> (ImportPreview, Option<Vec<NewStaffMember>>) {
        let mut preview = ImportPreview::default();
        if text.len() > MAX_IMPORT_BYTES {
            preview.problems.push(format!("The file is larger than {} MB.", MAX_IMPORT_BYTES / 1_000_000));
            return (preview, None);
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // Spreadsheets on Windows end lines with CR LF; one kind of line end keeps the line
        // numbers in the preview true to the file.
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let text = text.as_str();
        if text.trim().is_empty() {
            preview.problems.push("The file is empty.".to_owned());
            return (preview, None);
        }
        let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
        let headings: Vec<String> = match reader.headers() {
            Ok(headings) => headings.iter().map(normalise).collect(),
            Err(error) => {
                preview.problems.push(format!("The file could not be read as CSV: {error}."));
                return (preview, None);
            }
        };
        let column = |wanted: &str| headings.iter().position(|heading| *heading == normalise(wanted));
        let [name_at, job_at, team_at, service_at] = COLUMNS.map(column);
        for (heading, found) in COLUMNS.iter().zip([name_at, job_at, team_at, service_at]) {
            if found.is_none() {
                preview.problems.push(format!(
                    "The file has no “{heading}” column. Its first row must name the columns: {}.",
                    COLUMNS.join(", ")
                ));
            }
        }
        if !preview.problems.is_empty() {
            return (preview, None);
        }
        let mut staff = Vec::new();
        for record in reader.records() {
            if preview.rows.len() == MAX_IMPORT_ROWS {
                preview.problems.push(format!("The file has more than {MAX_IMPORT_ROWS} staff; split it into parts."));
                break;
            }
            let record = match record {
                Ok(record) => record,
                Err(error) => {
                    preview.problems.push(format!("The file could not be read as CSV: {error}."));
                    break;
                }
            };
            let field = |at: Option<usize>| at.and_then(|at| record.get(at)).unwrap_or("").to_owned();
            let mut row = ImportRow {
                line: record.position().map_or(0, |position| position.line()),
                name: field(name_at),
                job_title: field(job_at),
                team: field(team_at),
                service: field(service_at),
                problems: Vec::new(),
            };
            if let Some(member) = check_row(&mut row, &preview.rows, services, existing, &may_manage) {
                staff.push(member);
            }
            preview.rows.push(row);
        }
        if preview.rows.is_empty() && preview.problems.is_empty() {
            preview.problems.push("The file has a heading row but no staff in it.".to_owned());
        }
        let staff = preview.is_importable().then_some(staff);
        (preview, staff)
    }

    fn check_row(
        row: &mut ImportRow,
        earlier: &[ImportRow],
        services: &[Service],
        existing: &[StaffMember],
        may_manage: impl Fn(Uuid) -> bool,
    ) -> Option<NewStaffMember> {
        let mut problem = |text: String| row.problems.push(crate::error::sentence(&text));
        let name = Name::parse("The name", &row.name).map_err(|error| problem(error.to_string())).ok();
        let job_title = ShortText::parse("The job title", &row.job_title).map_err(|e| problem(e.to_string())).ok();
        let team = match row.team.as_str() {
            "" => Some(None),
            team => ShortText::parse("The team", team).map(Some).map_err(|e| problem(e.to_string())).ok(),
        };
        let service = services
            .iter()
            .find(|service| service.name.eq_ignore_ascii_case(&row.service) || service.id.to_string() == row.service);
        let service = match service {
            None if row.service.is_empty() => {
                problem("The service is required".to_owned());
                None
            }
            None => {
                problem(format!("There is no service called “{}”", row.service));
                None
            }
            Some(service) if !may_manage(service.id) => {
                problem(format!("You do not manage the staff of {}", service.name));
                None
            }
            Some(service) => Some(service),
        };
        if let (Some(name), Some(service)) = (&name, service) {
            let same_person = |other_name: &str| other_name.eq_ignore_ascii_case(name.as_str());
            if let Some(repeat) = earlier
                .iter()
                .find(|other| same_person(other.name.trim()) && other.service.eq_ignore_ascii_case(&row.service))
            {
                problem(format!("Repeats line {}", repeat.line));
            } else if existing
                .iter()
                .any(|member| !member.has_left && same_person(&member.name) && member.service_ids.contains(&service.id))
            {
                problem(format!("{name} is already on the staff list of {}", service.name));
            }
        }
        let member = NewStaffMember::new(name?, job_title?, team?, vec![service?.id]);
        row.problems.is_empty().then_some(member)
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::domain::shift::ShiftPattern;

        fn service(id: u128, name: &str) -> Service {
            Service {
                id: Uuid::from_u128(id),
                name: name.to_owned(),
                time_zone: "Europe/London".to_owned(),
                shift_pattern: ShiftPattern::care_home_default(),
            }
        }

        fn services() -> Vec<Service> {
            vec![service(1, "Larch House"), service(2, "Brookside")]
        }

        fn manages_larch(id: Uuid) -> bool {
            id == Uuid::from_u128(1)
        }

        fn read(text: &str) -> (ImportPreview, Option<Vec<NewStaffMember>>) {
            read_staff_csv(text, &services(), &[], manages_larch)
        }

        #[test]
        fn a_clean_file_gives_every_row_in_order() {
            let (preview, staff) = read(
                "\u{feff}Name,Job title,Team,Service\r\n\
                 Adam Hale,Care assistant,Nights,larch house\r\n\
                 \"Okafor, Amara\",Senior carer,,Larch House\r\n",
            );
            assert!(preview.is_importable(), "{preview:?}");
            let staff = staff.unwrap();
            assert_eq!(staff.len(), 2);
            assert_eq!(staff[1].name.as_str(), "Okafor, Amara");
            assert_eq!(staff[0].team.as_ref().map(|team| team.as_str()), Some("Nights"));
            assert_eq!(staff[1].team, None);
            assert_eq!(staff[0].service_ids, [Uuid::from_u128(1)]);
            assert_eq!(preview.rows[1].line, 3);
        }

        #[test]
        fn columns_may_come_in_any_order_and_spelling() {
            let (preview, staff) = read("SERVICE,team,job_title,name\nLarch House,Days,Cook,Ben Ames\n");
            assert_eq!(staff.unwrap()[0].job_title.as_str(), "Cook", "{preview:?}");
        }

        #[test]
        fn a_missing_column_is_a_problem_with_the_file() {
            let (preview, staff) = read("name,team,service\nAdam Hale,Nights,Larch House\n");
            assert!(staff.is_none());
            assert_eq!(preview.problems.len(), 1);
            assert!(preview.problems[0].starts_with("The file has no “job title” column."), "{preview:?}");
        }

        #[test]
        fn each_bad_row_says_what_is_wrong_and_nothing_is_imported() {
            let long_name = "x".repeat(121);
            let text = format!(
                "name,job title,team,service\n\
                 Adam Hale,Care assistant,,Larch House\n\
                 ,Care assistant,,Larch House\n\
                 {long_name},Care assistant,,Larch House\n\
                 Ben Ames,Cook,,Oak Lodge\n\
                 Cara Dunn,Nurse,,Brookside\n\
                 adam hale,Senior carer,,LARCH HOUSE\n\
                 Dee Ford,,,\n\
                 Eve Gray,Carer,Days,Larch House\n"
            );
            let (preview, staff) = read(&text);
            assert!(staff.is_none());
            let problems: Vec<(u64, Vec<String>)> =
                preview.rows.iter().map(|row| (row.line, row.problems.clone())).collect();
            assert_eq!(
                problems,
                [
                    (2, vec![]),
                    (3, vec!["The name is required.".to_owned()]),
                    (4, vec!["The name is too long: at most 120 characters, this has 121.".to_owned()]),
                    (5, vec!["There is no service called “Oak Lodge”.".to_owned()]),
                    (6, vec!["You do not manage the staff of Brookside.".to_owned()]),
                    (7, vec!["Repeats line 2.".to_owned()]),
                    (8, vec!["The job title is required.".to_owned(), "The service is required.".to_owned()]),
                    (9, vec![]),
                ]
            );
            assert_eq!(preview.rows_with_problems(), 6);
        }

        #[test]
        fn someone_already_on_the_list_is_not_added_twice_but_a_leaver_may_return() {
            let existing = |has_left| StaffMember {
                id: Uuid::from_u128(9),
                name: "Adam Hale".into(),
                job_title: "Carer".into(),
                team: None,
                service_ids: vec![Uuid::from_u128(1)],
                has_left,
                left_at_ms: None,
            };
            let text = "name,job title,team,service\nAdam Hale,Carer,,Larch House\n";
            let (preview, _) = read_staff_csv(text, &services(), &[existing(false)], manages_larch);
            assert_eq!(preview.rows[0].problems, ["Adam Hale is already on the staff list of Larch House."]);
            let (_, staff) = read_staff_csv(text, &services(), &[existing(true)], manages_larch);
            assert_eq!(staff.map(|staff| staff.len()), Some(1));
        }

        #[test]
        fn empty_files_are_refused() {
            assert_eq!(read(" \n").0.problems, ["The file is empty."]);
            let (preview, staff) = read("name,job title,team,service\n");
            assert_eq!((preview.problems[0].as_str(), staff), ("The file has a heading row but no staff in it.", None));
        }

        #[test]
        fn too_many_rows_is_a_problem_with_the_file() {
            let mut text = String::from("name,job title,team,service\n");
            for index in 0..=MAX_IMPORT_ROWS {
                text.push_str(&format!("Person {index},Carer,,Larch House\n"));
            }
            let (preview, staff) = read(&text);
            assert!(staff.is_none());
            assert_eq!(
                preview.problems,
                [format!("The file has more than {MAX_IMPORT_ROWS} staff; split it into parts.")]
            );
        }
    }
}
