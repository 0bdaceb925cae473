//! RFC 4180 CSV for member lists, written by hand rather than with the `csv` crate: the
//! writer is a dozen lines, and the reader must report the line each record *starts* on
//! (a quoted cell may span lines) and keep going past a bad record, which is simplest to
//! do in one pass of our own; it adds nothing to the core's download beyond this file.

use super::{ImportError, ImportRow, MemberAction, MemberRow, ParsedMembers};
use crate::model::{Role, UserId};

/// The header row [`members_to_csv`] writes.
pub const MEMBERS_CSV_HEADER: &str = "groupId,groupSubject,id,phone,lid,role";

/// Writes export rows as CSV (RFC 4180: comma-separated, CRLF line ends, a header row, a
/// cell quoted when it holds `,`, `"`, CR or LF). A cell starting with `=`, `+`, `-`, `@`,
/// a tab or CR is prefixed with `'` so that a spreadsheet shows it as text instead of
/// running it as a formula (phone numbers are digits without `+`, so they never are).
///
/// ```
/// use wa_groups::members::{MemberRow, members_to_csv};
/// use wa_groups::model::{GroupId, Role, UserId};
/// let row = MemberRow::new(
///     GroupId::new("groupId", "120363000000000001@g.us")?,
///     "=HYPERLINK(\"http://evil\")",
///     UserId::parse("id", "5511988880000")?,
///     Some("5511988880000".into()),
///     None,
///     Role::Member,
/// );
/// assert_eq!(
///     members_to_csv(&[row]),
///     "groupId,groupSubject,id,phone,lid,role\r\n\
///      120363000000000001@g.us,\"'=HYPERLINK(\"\"http://evil\"\")\",5511988880000@c.us,5511988880000,,member\r\n"
/// );
/// # Ok::<(), wa_groups::Error>(())
/// ```
pub fn members_to_csv(rows: &[MemberRow]) -> String {
    let mut out = String::with_capacity(64 * (rows.len() + 1));
    out.push_str(MEMBERS_CSV_HEADER);
    out.push_str("\r\n");
    for row in rows {
        let role = match row.role {
            Role::Superadmin => "superadmin",
            Role::Admin => "admin",
            Role::Member => "member",
        };
        let cells = [
            row.group_id.as_str(),
            &row.group_subject,
            row.id.as_str(),
            row.phone.as_deref().unwrap_or(""),
            row.lid.as_ref().map_or("", UserId::as_str),
            role,
        ];
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_cell(&mut out, cell);
        }
        out.push_str("\r\n");
    }
    out
}

/// One cell: neutralised against formula injection, then quoted if it must be.
fn write_cell(out: &mut String, cell: &str) {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quoted = cell.contains([',', '"', '\r', '\n']);
    if quoted {
        out.push('"');
    }
    if risky {
        out.push('\'');
    }
    for c in cell.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quoted {
        out.push('"');
    }
}

/// A record as read: the line it starts on, its cells, or why it cannot be read.
struct Record {
    line: u32,
    cells: Result<Vec<String>, &'static str>,
}

/// Splits CSV text into records (RFC 4180; LF, CRLF or CR line ends; a leading BOM
/// ignored). A record whose quoting is broken is kept as an error and reading goes on.
fn records(text: &str) -> Vec<Record> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line: u32 = 1;
    while chars.peek().is_some() {
        let start = line;
        let mut cells = Vec::new();
        let mut cell = String::new();
        let mut broken: Option<&'static str> = None;
        let mut in_quotes = false;
        let mut after_quote = false;
        let mut at_cell_start = true;
        loop {
            let Some(c) = chars.next() else {
                if in_quotes {
                    broken.get_or_insert("a quoted cell is not closed");
                }
                break;
            };
            if c == '\n' || (c == '\r') {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                line += 1;
                if in_quotes {
                    cell.push('\n');
                    continue;
                }
                break;
            }
            if in_quotes {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        cell.push('"');
                    } else {
                        in_quotes = false;
                        after_quote = true;
                    }
                } else {
                    cell.push(c);
                }
                continue;
            }
            match c {
                ',' => {
                    cells.push(std::mem::take(&mut cell));
                    at_cell_start = true;
                    after_quote = false;
                    continue;
                }
                '"' if at_cell_start => in_quotes = true,
                _ if after_quote => {
                    broken.get_or_insert("text after a closing quote");
                }
                '"' => {
                    broken.get_or_insert("a quote inside an unquoted cell");
                }
                _ => cell.push(c),
            }
            at_cell_start = false;
        }
        cells.push(cell);
        let blank = cells.len() == 1 && cells[0].trim().is_empty() && broken.is_none();
        if !blank {
            out.push(Record {
                line: start,
                cells: broken.map_or(Ok(cells), Err),
            });
        }
    }
    out
}

/// Reads a list of `phone,action` rows (`add`, `remove`, `promote` or `demote`; an empty
/// or missing action is `add`). A header row is optional: when the first row names a
/// `phone` column, that column (and an `action` column, if any) is read wherever it is, so
/// an export from [`members_to_csv`] reads back as a list to add. Numbers may be written
/// as people do (`+55 11 98888-0000`). Each unusable row is an error with its line and
/// reason: a bad number, a hidden one (no number), an unknown action, a repeat, broken
/// quoting. Nothing is dropped silently.
///
/// ```
/// use wa_groups::members::{MemberAction, parse_members_csv};
/// let parsed = parse_members_csv("\u{feff}phone,action\r\n+55 11 98888-0000,add\r\n\"5511977770000\",promote\r\nabc,add\r\n5511966660000,kick\r\n");
/// assert_eq!(parsed.rows.len(), 2);
/// assert_eq!(parsed.rows[0].phone, "5511988880000");
/// assert_eq!(parsed.rows[1].action, MemberAction::Promote);
/// assert_eq!(parsed.errors.iter().map(|e| e.line).collect::<Vec<_>>(), [4, 5]);
/// ```
pub fn parse_members_csv(text: &str) -> ParsedMembers {
    let mut parsed = ParsedMembers::default();
    let mut records = records(text).into_iter().peekable();
    let (mut phone_col, mut action_col) = (0, Some(1));
    if let Some(Record {
        cells: Ok(cells), ..
    }) = records.peek()
    {
        let named = |name: &str| {
            cells
                .iter()
                .position(|c| c.trim().eq_ignore_ascii_case(name))
        };
        if let Some(phone) = named("phone") {
            phone_col = phone;
            action_col = named("action");
            records.next();
        }
    }
    let mut seen: std::collections::HashMap<(String, MemberAction), u32> =
        std::collections::HashMap::new();
    for record in records {
        let line = record.line;
        let refuse = |reason: String| ImportError { line, reason };
        let cells = match record.cells {
            Ok(cells) => cells,
            Err(reason) => {
                parsed.errors.push(refuse(reason.to_owned()));
                continue;
            }
        };
        let raw_phone = cells.get(phone_col).map_or("", |c| c.trim());
        let raw_phone = raw_phone.strip_prefix('\'').unwrap_or(raw_phone).trim();
        let raw_action = action_col
            .and_then(|i| cells.get(i))
            .map_or("", |c| c.trim());
        let phone = match phone_of(raw_phone) {
            Ok(phone) => phone,
            Err(reason) => {
                parsed.errors.push(refuse(reason));
                continue;
            }
        };
        let action = match raw_action.to_ascii_lowercase().as_str() {
            "" | "add" => MemberAction::Add,
            "remove" => MemberAction::Remove,
            "promote" => MemberAction::Promote,
            "demote" => MemberAction::Demote,
            _ => {
                parsed.errors.push(refuse(format!(
                    "`{raw_action}` is not add, remove, promote or demote"
                )));
                continue;
            }
        };
        if let Some(first) = seen.get(&(phone.clone(), action)) {
            parsed.errors.push(refuse(format!(
                "repeats line {first} ({phone}, {})",
                action.as_str()
            )));
            continue;
        }
        seen.insert((phone.clone(), action), line);
        parsed.rows.push(ImportRow {
            line,
            phone,
            action,
        });
    }
    parsed
}

/// A cell's phone number as digits, or why it is not one.
fn phone_of(raw: &str) -> Result<String, String> {
    if raw.is_empty() {
        return Err("no phone number (a hidden number cannot be imported)".into());
    }
    match UserId::parse("phone", raw) {
        Ok(id) => id
            .phone()
            .map(str::to_owned)
            .ok_or_else(|| format!("`{raw}` is a privacy id, not a phone number")),
        Err(_) => Err(format!(
            "`{raw}` is not a phone number (5 to 20 digits, optionally with + and spaces)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::GroupId;

    fn row(subject: &str, phone: Option<&str>) -> MemberRow {
        let id = match phone {
            Some(p) => UserId::from_provider(&format!("{p}@c.us")),
            None => UserId::from_provider("123456789@lid"),
        };
        MemberRow::new(
            GroupId::new("g", "120363000000000001@g.us").unwrap(),
            subject,
            id,
            phone.map(str::to_owned),
            None,
            Role::Member,
        )
    }

    #[test]
    fn every_formula_lead_is_neutralised_and_plain_text_is_not() {
        for lead in ["=", "+", "-", "@", "\t", "\r"] {
            let csv = members_to_csv(&[row(&format!("{lead}SUM(A1)"), Some("5511988880000"))]);
            let body = csv.lines().nth(1).unwrap();
            let subject = body.split(',').nth(1).unwrap().trim_start_matches('"');
            assert!(subject.starts_with('\''), "{lead:?}: {body:?}");
        }
        let csv = members_to_csv(&[row("Team 1", Some("5511988880000"))]);
        assert!(csv.contains(",Team 1,"), "{csv}");
        assert!(csv.contains(",5511988880000,"), "phones are left alone");
    }

    #[test]
    fn cells_with_commas_quotes_and_newlines_are_quoted() {
        let csv = members_to_csv(&[row("a,b \"c\"\nd", Some("5511988880000"))]);
        assert!(csv.contains("\"a,b \"\"c\"\"\nd\""), "{csv}");
    }

    #[test]
    fn header_is_optional_and_lf_crlf_cr_and_bom_are_all_read() {
        for text in [
            "5511988880000,add\n5511977770000,remove\n",
            "\u{feff}phone,action\r\n5511988880000,add\r\n5511977770000,remove",
            "Phone,Action\r5511988880000,add\r5511977770000,REMOVE\r",
        ] {
            let parsed = parse_members_csv(text);
            assert!(parsed.errors.is_empty(), "{text:?}: {:?}", parsed.errors);
            assert_eq!(
                parsed
                    .rows
                    .iter()
                    .map(|r| (r.phone.as_str(), r.action))
                    .collect::<Vec<_>>(),
                [
                    ("5511988880000", MemberAction::Add),
                    ("5511977770000", MemberAction::Remove)
                ],
                "{text:?}"
            );
        }
    }

    #[test]
    fn bad_rows_are_reported_with_their_line_and_reason() {
        let text = "phone,action\n5511988880000,add\n\n\"12,3\",add\nx,add\n5511977770000,ban\n76699677012110@lid,remove\n5511988880000,add\n\"55119\"x,add\n,add\n\"5511966660000,add\n";
        let parsed = parse_members_csv(text);
        assert_eq!(parsed.rows.len(), 1);
        let errors: Vec<(u32, &str)> = parsed
            .errors
            .iter()
            .map(|e| (e.line, e.reason.as_str()))
            .collect();
        let lines: Vec<u32> = errors.iter().map(|e| e.0).collect();
        assert_eq!(lines, [4, 5, 6, 7, 8, 9, 10, 11], "{errors:?}");
        assert!(errors[0].1.contains("not a phone number"));
        assert!(errors[2].1.contains("`ban`"));
        assert!(errors[3].1.contains("privacy id"));
        assert!(errors[4].1.contains("repeats line 2"));
        assert!(errors[5].1.contains("after a closing quote"));
        assert!(errors[6].1.contains("hidden"));
        assert!(errors[7].1.contains("not closed"));
    }

    #[test]
    fn a_quoted_cell_spanning_lines_is_one_record_starting_on_its_first_line() {
        let text = "phone,action,note\n5511988880000,add,\"two\nlines\"\nbad,add,x\n";
        let parsed = parse_members_csv(text);
        assert_eq!(parsed.rows[0].line, 2);
        assert_eq!(parsed.errors[0].line, 4);
    }

    #[test]
    fn an_export_reads_back_as_a_list_to_add() {
        let rows = [row("G", Some("5511988880000")), row("G", None)];
        let parsed = parse_members_csv(&members_to_csv(&rows));
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(parsed.rows[0].action, MemberAction::Add);
        assert_eq!(
            parsed.errors.len(),
            1,
            "the hidden number is reported, not dropped"
        );
        assert_eq!(parsed.errors[0].line, 3);
    }

    /// Property: whatever the subjects hold, `parse(write(rows))` gives back every phone, in
    /// order, on the line its row starts, and one error per row without a phone.
    #[test]
    fn property_csv_round_trips_phones() {
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        const PIECES: &[&str] = &[
            "a", ",", "\"", "\n", "\r\n", "\r", "=", "+", "-", "@", "\t", " ", "é", "ção", "😀",
            "'", "phone", "action",
        ];
        for case in 0..500 {
            let count = next(12) as usize;
            let mut rows = Vec::new();
            let mut expected = Vec::new();
            for i in 0..count {
                let subject: String = (0..next(8))
                    .map(|_| PIECES[next(PIECES.len() as u64) as usize])
                    .collect();
                let phone = (next(4) > 0).then(|| {
                    let len = 5 + next(11);
                    // Unique per row so that no row repeats another.
                    let mut p = format!("{}{:04}", 1 + next(9), i);
                    while (p.len() as u64) < len {
                        p.push(char::from(b'0' + next(10) as u8));
                    }
                    p
                });
                expected.push(phone.clone());
                rows.push(row(&subject, phone.as_deref()));
            }
            let csv = members_to_csv(&rows);
            let parsed = parse_members_csv(&csv);
            let phones: Vec<String> = parsed.rows.iter().map(|r| r.phone.clone()).collect();
            let want: Vec<String> = expected.iter().flatten().cloned().collect();
            assert_eq!(phones, want, "case {case}: {csv:?}");
            assert_eq!(
                parsed.errors.len(),
                expected.iter().filter(|p| p.is_none()).count(),
                "case {case}: {csv:?} {:?}",
                parsed.errors
            );
            // Each row's line is where its record starts: count the line breaks before it.
            let mut starts = Vec::new();
            let mut line = 2u32;
            for r in &rows {
                starts.push(line);
                line += 1
                    + r.group_subject.matches("\r\n").count() as u32
                    + r.group_subject
                        .replace("\r\n", "")
                        .matches(['\r', '\n'])
                        .count() as u32;
            }
            let mut all: Vec<u32> = parsed
                .rows
                .iter()
                .map(|r| r.line)
                .chain(parsed.errors.iter().map(|e| e.line))
                .collect();
            all.sort_unstable();
            assert_eq!(all, starts, "case {case}: {csv:?}");
        }
    }
}
