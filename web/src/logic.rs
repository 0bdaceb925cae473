//! The panel's pure logic: parsing what a person typed, filtering, sorting and paging, and
//! turning errors into sentences. No DOM here, so it is tested natively.

use std::collections::BTreeSet;

use wa_groups::model::{
    Group, GroupId, Participant, ParticipantChange, ParticipantResult, Role, UserId,
};
use wa_groups::provider::ProviderKind;
use wa_groups::{Error, ErrorCode};

/// Splits what a person typed into entries (commas, semicolons, spaces between entries
/// are kept inside a phone number, so only `,`, `;` and new lines separate).
pub fn split_entries(text: &str) -> Vec<String> {
    text.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The subject limit of a provider, in characters.
pub fn subject_limit(provider: ProviderKind) -> usize {
    match provider {
        ProviderKind::Waha => wa_groups::provider::waha::SUBJECT_MAX_CHARS,
        ProviderKind::Wavy => wa_groups::provider::wavy::SUBJECT_MAX_CHARS,
        ProviderKind::Evolution => wa_groups::provider::evolution::SUBJECT_MAX_CHARS,
    }
}

/// Groups whose subject or id contains `query` (case-insensitive); all when it is blank.
pub fn filter_groups<'a>(groups: &'a [Group], query: &str) -> Vec<&'a Group> {
    let query = query.trim().to_lowercase();
    groups
        .iter()
        .filter(|g| {
            query.is_empty()
                || g.subject.to_lowercase().contains(&query)
                || g.id.as_str().to_lowercase().contains(&query)
        })
        .collect()
}

/// Appends the groups of `more` not already in `seen` (a listing read in chunks may repeat
/// a group when the account changes between two chunks).
pub fn append_unseen(
    groups: &mut Vec<Group>,
    seen: &mut BTreeSet<GroupId>,
    more: impl IntoIterator<Item = Group>,
) {
    for group in more {
        if seen.insert(group.id.clone()) {
            groups.push(group);
        }
    }
}

/// A whole account as [`load_account`] read it.
#[derive(Debug)]
pub struct Account {
    /// Every group once, in the server's order.
    pub groups: Vec<Group>,
    /// The server answered groups already read instead of the next ones (it ignores
    /// `offset`), so `groups` may hold fewer than it counts.
    pub repeated: bool,
}

/// Reads the rest of an account after its `first` page, `chunk` groups a request, where
/// `fetch(offset)` asks the server for up to `chunk` groups from `offset` on (`Ok(None)`:
/// the load is no longer wanted, and neither is its result).
///
/// It stops at a short chunk, once it holds the `count` the server gave, or when a chunk
/// brings no group it has not seen: a server that ignores `limit`/`offset` (older WAHA)
/// answers the same groups every time, and asking again would never end. As every request
/// but the last adds a group and stops at `count`, it makes at most `count + 1` requests,
/// whatever the server answers.
pub async fn load_account<E>(
    first: &[Group],
    count: usize,
    chunk: usize,
    mut fetch: impl AsyncFnMut(usize) -> Result<Option<Vec<Group>>, E>,
) -> Result<Option<Account>, E> {
    // The count is the server's word: do not reserve more than a big account on it.
    let mut groups = Vec::with_capacity(count.min(10_000).max(first.len()));
    let mut seen = BTreeSet::new();
    append_unseen(&mut groups, &mut seen, first.iter().cloned());
    // Offsets count the server's positions, so step by what each answer held.
    let mut offset = first.len();
    let mut repeated = false;
    while groups.len() < count {
        let Some(more) = fetch(offset).await? else {
            return Ok(None);
        };
        let got = more.len();
        let before = groups.len();
        append_unseen(&mut groups, &mut seen, more);
        if got > 0 && groups.len() == before {
            repeated = true;
            break;
        }
        if got < chunk {
            break;
        }
        offset += got;
    }
    Ok(Some(Account { groups, repeated }))
}

/// Why the list holds fewer groups than the server counts (see [`Account::repeated`]), the
/// paging parameter it ignores as the technical detail.
pub fn short_account(loaded: usize, count: usize) -> String {
    with_detail(
        &format!(
            "Showing {loaded} of the {count} groups the server counts: asked for the next \
             ones, it answered groups already shown."
        ),
        "the server ignores `offset` in GET /groups",
    )
}

/// The line above the groups: the count (pending while it is unknown), and how many match
/// when a search is applied.
pub fn groups_summary(total: Option<usize>, matches: Option<usize>) -> String {
    match (total, matches) {
        (None, _) => "Counting groups…".to_owned(),
        (Some(total), Some(hits)) if hits != total => format!("{hits} of {total} groups match"),
        (Some(total), _) => format!("{total} group{}", if total == 1 { "" } else { "s" }),
    }
}

/// What the groups table says when it has no row. A search says what it searched (the
/// whole account) and never suggests creating a group that may exist.
pub fn empty_text(query: &str, total: Option<usize>, page: usize) -> String {
    let query = query.trim();
    match total {
        _ if !query.is_empty() => {
            let among = match total {
                Some(0) => ": the account has no groups yet".to_owned(),
                Some(1) => " (the account's only group)".to_owned(),
                Some(n) => format!(" among all {n} groups of the account"),
                None => String::new(),
            };
            format!("No group matches “{}”{among}.", isolate(query))
        }
        Some(0) => "No groups yet. Create one above.".to_owned(),
        _ if page > 0 => "Nothing on this page.".to_owned(),
        _ => "No groups to show.".to_owned(),
    }
}

/// The groups list's address for a search, a page (from 0) and a sort (as the sort menu
/// names it): `/?q=…&page=…&sort=…`, leaving out what is as the list opens.
pub fn list_href(query: &str, page: usize, sort: &str) -> String {
    let mut params = Vec::new();
    if !query.is_empty() {
        params.push(format!("q={}", url_encode(query)));
    }
    if page > 0 {
        params.push(format!("page={}", page + 1));
    }
    if sort != "subject-asc" {
        params.push(format!("sort={}", url_encode(sort)));
    }
    if params.is_empty() {
        "/".to_owned()
    } else {
        format!("/?{}", params.join("&"))
    }
}

/// `text` percent-encoded for a query string (UTF-8; letters, digits and `-_.~` kept).
fn url_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `query` without what people put in numbers as they write them (`+`, spaces, dashes,
/// dots, brackets): `+55 (11) 99999-0001` becomes `5511999990001`.
pub fn number_key(query: &str) -> String {
    query
        .chars()
        .filter(|c| !matches!(c, '+' | '-' | '.' | '(' | ')' | '[' | ']') && !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

/// Participants whose id or phone contains `query` written as a number ([`number_key`]),
/// or whose role contains it.
pub fn filter_participants<'a>(
    participants: &'a [Participant],
    query: &str,
) -> Vec<&'a Participant> {
    let query = query.trim().to_lowercase();
    let number = number_key(&query);
    participants
        .iter()
        .filter(|p| {
            query.is_empty()
                || (!number.is_empty()
                    && (p.id.as_str().contains(&number)
                        || p.phone.as_deref().is_some_and(|ph| ph.contains(&number))))
                || role_label(p.role).to_lowercase().contains(&query)
        })
        .collect()
}

/// A role as a person reads it.
pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Superadmin => "Owner",
        Role::Admin => "Admin",
        Role::Member => "Member",
    }
}

/// How an id reads: a phone number, or a privacy id (LID) that is not one.
pub fn id_kind(participant: &Participant) -> &'static str {
    if participant.id.as_str().ends_with("@lid") {
        "LID"
    } else {
        "phone"
    }
}

/// How a person is shown: their number as people write it for a phone id
/// ([`written_phone`]), the id itself otherwise (a LID).
pub fn person(id: &UserId) -> String {
    match phone_digits(id.as_str()) {
        Some(digits) => written_phone(digits),
        None => id.to_string(),
    }
}

/// The calling codes of two digits (ITU E.164); `1` and `7` have one digit, the rest three.
const TWO_DIGIT_CODES: &[u8] =
    b"2027303132333436394041434445464748495152535455565758606162636465668182848690919293949598";

/// A phone number (digits, with its country code) as people write it:
/// `5511999990001` → `+55 11 99999-0001`, `15554030001` → `+1 555 403 0001`, others in
/// groups of three after the country code. What does not look like a number is kept.
pub fn written_phone(digits: &str) -> String {
    let bytes = digits.as_bytes();
    if !(8..=15).contains(&bytes.len()) || !bytes.iter().all(u8::is_ascii_digit) {
        return format!("+{digits}");
    }
    let code = match bytes[0] {
        b'1' | b'7' => 1,
        _ if TWO_DIGIT_CODES.chunks(2).any(|c| c == &bytes[..2]) => 2,
        _ => 3,
    };
    let (code, rest) = digits.split_at(code);
    let mut out = format!("+{code}");
    let groups: Vec<&str> = match (code, rest.len()) {
        // Brazil: area code, then 4 or 5 digits, a dash and 4.
        ("55", 10 | 11) => {
            let (area, number) = rest.split_at(2);
            let (a, b) = number.split_at(number.len() - 4);
            out.push_str(&format!(" {area} {a}-{b}"));
            return out;
        }
        // North America: 3-3-4.
        ("1", 10) => vec![&rest[..3], &rest[3..6], &rest[6..]],
        _ => {
            let mut groups = Vec::new();
            let mut rest = rest;
            while rest.len() > 4 {
                let (group, more) = rest.split_at(3);
                groups.push(group);
                rest = more;
            }
            groups.push(rest);
            groups
        }
    };
    for group in groups {
        out.push(' ');
        out.push_str(group);
    }
    out
}

/// The digits of a phone id (`5511…@c.us`, or bare digits as Wavy names people).
fn phone_digits(id: &str) -> Option<&str> {
    let digits = id.strip_suffix("@c.us").unwrap_or(id);
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// Whether `participant` is the person a result names (by id, or by phone number: GOWS
/// lists people by LID with their number beside it).
fn is_person(participant: &Participant, id: &UserId) -> bool {
    participant.id == *id
        || phone_digits(id.as_str()).is_some_and(|digits| {
            participant.phone.as_deref() == Some(digits)
                || phone_digits(participant.id.as_str()) == Some(digits)
        })
}

/// The key a member is selected by: the phone number, or the id where there is none.
pub fn participant_key(participant: &Participant) -> String {
    participant
        .phone
        .clone()
        .unwrap_or_else(|| participant.id.to_string())
}

/// How a member is shown: their number as people write it, or the id (a LID without a
/// known number).
pub fn participant_shown(participant: &Participant) -> String {
    match &participant.phone {
        Some(phone) => written_phone(phone),
        None => person(&participant.id),
    }
}

/// Everyone in `selected`, as a confirmation names them ("+55… (Admin)"), in the order of
/// `members`; a key no longer among them is named as it is.
pub fn selected_people(selected: &BTreeSet<String>, members: &[Participant]) -> Vec<String> {
    let mut named = Vec::new();
    let mut found = BTreeSet::new();
    for member in members {
        let key = participant_key(member);
        if selected.contains(&key) {
            named.push(format!(
                "{} ({})",
                participant_shown(member),
                role_label(member.role)
            ));
            found.insert(key);
        }
    }
    named.extend(
        selected
            .iter()
            .filter(|k| !found.contains(*k))
            .map(|k| person(&UserId::from_provider(k))),
    );
    named
}

/// The group's only admin (owner or admin), when it has exactly one: leaving it as that
/// person leaves the group without an admin anyone chose.
pub fn sole_admin(members: &[Participant]) -> Option<&Participant> {
    let mut admins = members.iter().filter(|p| p.role != Role::Member);
    match (admins.next(), admins.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// The warning of a leave confirmation for a group whose only admin is `admin`; `subject`
/// names the group when several are being left.
pub fn sole_admin_warning(admin: &Participant, subject: Option<&str>) -> String {
    let group = match subject {
        Some(subject) => format!("“{}”", isolate(subject)),
        None => "This group".to_owned(),
    };
    format!(
        "{group} has one admin, {}. If that is you, promote someone first: once you leave, no \
         admin you chose is left to manage it.",
        participant_shown(admin)
    )
}

/// The warning of a confirmation to leave several groups: those of them (subject, admin)
/// with a single admin, and how many were not checked.
pub fn sole_admin_groups_warning(
    groups: &[(String, &Participant)],
    unchecked: usize,
) -> Option<String> {
    let mut parts = Vec::new();
    if !groups.is_empty() {
        let named: Vec<String> = groups
            .iter()
            .map(|(subject, admin)| {
                format!("“{}” ({})", isolate(subject), participant_shown(admin))
            })
            .collect();
        let (n, have) = match groups.len() {
            1 => ("1 of these groups".to_owned(), "has"),
            n => (format!("{n} of these groups"), "have"),
        };
        parts.push(format!(
            "{n} {have} a single admin: {}. If that is you, promote someone first: once you \
             leave, no admin you chose is left to manage them.",
            named.join(", ")
        ));
    }
    if unchecked > 0 {
        parts.push(format!(
            "{unchecked} of the groups were not checked for their admins."
        ));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// Why deleting is not offered, when the provider cannot delete groups.
pub fn cannot_delete_reason(provider: ProviderKind, engine: Option<&str>) -> String {
    match (provider, engine) {
        (ProviderKind::Waha, Some(engine)) => format!(
            "WAHA's {engine} engine cannot delete groups (only WEBJS can). You can leave the group instead."
        ),
        (ProviderKind::Waha, None) => {
            "This WAHA server cannot delete groups (only the WEBJS engine can). You can leave the group instead.".to_owned()
        }
        (ProviderKind::Wavy, _) => {
            "Wavy cannot delete groups. You can leave the group instead.".to_owned()
        }
        (ProviderKind::Evolution, _) => {
            "Evolution API cannot delete groups. You can leave the group instead.".to_owned()
        }
    }
}

/// What a change does, as a person says it: ("Added", "added").
fn change_words(change: ParticipantChange) -> (&'static str, &'static str) {
    match change {
        ParticipantChange::Add => ("Added", "added"),
        ParticipantChange::Remove => ("Removed", "removed"),
        ParticipantChange::Promote => ("Promoted", "promoted to admin"),
        ParticipantChange::Demote => ("Demoted", "demoted to member"),
    }
}

/// The toast after a member change: "Promoted 2 of 2", or what did not happen.
pub fn change_summary(change: ParticipantChange, done: usize, total: usize) -> String {
    let (verb, _) = change_words(change);
    if done == total {
        format!("{verb} {done} of {total}")
    } else {
        format!(
            "{verb} {done} of {total}: {} not {}; see why below",
            total - done,
            change_words(change).1
        )
    }
}

/// Why a person's change did not happen, from the provider's per-person answer (the
/// status and the provider's words go in [`result_detail`]).
pub fn failure_reason(result: &ParticipantResult) -> String {
    if result.reason == Some(wa_groups::model::RefusalReason::BudgetExceeded) {
        return "not sent: today's safety limit for adds is used up".to_owned();
    }
    let known = match result.status {
        Some(403) => Some(
            "their privacy settings do not let others add them; send them the invite link instead",
        ),
        Some(409) => Some("already a member"),
        Some(404) => Some("not found on WhatsApp"),
        _ => None,
    };
    match (known, result.message.as_deref().map(str::trim)) {
        (Some(known), _) => known.to_owned(),
        (None, Some(message)) if !message.is_empty() => message.to_owned(),
        (None, _) => "the provider refused it".to_owned(),
    }
}

/// The technical detail of one person's result: the id as the provider spells it, the
/// status and the provider's own words.
fn result_detail(result: &ParticipantResult) -> String {
    let mut detail = result.id.to_string();
    if let Some(status) = result.status {
        detail.push_str(&format!(" · status {status}"));
    }
    if let Some(message) = result.message.as_deref().filter(|m| !m.trim().is_empty()) {
        detail.push_str(&format!(" · {message}"));
    }
    detail
}

/// One person's outcome of a member change, checked against the group as read back after
/// it (`after`; `None` when it could not be read).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResultLine {
    /// The change is what the group now shows.
    pub ok: bool,
    /// The sentence, with its technical detail ([`with_detail`]).
    pub text: String,
}

/// The line for one person after `change`: "done" only when the provider said so AND the
/// group read back agrees; a result the read-back contradicts is never done. `before` is
/// the group as shown when the change was asked for: a refusal of what already held
/// ("already a member") is a plain refusal, not a contradiction.
pub fn result_line(
    change: ParticipantChange,
    result: &ParticipantResult,
    before: Option<&[Participant]>,
    after: Option<&[Participant]>,
) -> ResultLine {
    let who = person(&result.id);
    let (_, done) = change_words(change);
    let role_in = |members: &[Participant]| {
        members
            .iter()
            .find(|p| is_person(p, &result.id))
            .map(|p| p.role)
    };
    let holds = |role: Option<Role>| match change {
        ParticipantChange::Add => role.is_some(),
        ParticipantChange::Remove => role.is_none(),
        ParticipantChange::Promote => matches!(role, Some(Role::Admin | Role::Superadmin)),
        ParticipantChange::Demote => role == Some(Role::Member),
    };
    let now = after.map(role_in);
    let held_before = before.map(|b| holds(role_in(b)));
    let shown = |role: Option<Role>| match role {
        Some(role) => format!("the group still shows them as {}", role_label(role)),
        None => "they are not in the group".to_owned(),
    };
    let (ok, text) = match (result.ok, now.map(holds)) {
        (true, Some(true)) => (true, format!("{who} was {done}")),
        (true, None) => (
            true,
            format!(
                "{who} was {done}, as the provider reports (the group could not be read back to check)"
            ),
        ),
        (true, Some(false)) => (
            false,
            format!(
                "{who} was not {done}: the provider reported success, but {}",
                shown(now.flatten())
            ),
        ),
        (false, Some(true)) if held_before != Some(true) => (
            false,
            format!(
                "{who}: the provider reported a failure ({}), yet the group read back shows them {done}",
                failure_reason(result)
            ),
        ),
        (false, _) => (false, refusal(change, result)),
    };
    let text = match (result.invited, result.invite_error.as_deref()) {
        (Some(true), _) => {
            format!("{who} was not added (their privacy settings refuse adds): invited by link")
        }
        (Some(false), Some(why)) => format!("{text}; the invite link could not be sent ({why})"),
        _ => text,
    };
    ResultLine {
        ok,
        text: with_detail(&text, &result_detail(result)),
    }
}

/// A person's change refused by the provider, as an admin says it: "+55 11 99999-0001 is
/// already a member", "… was not added: …".
fn refusal(change: ParticipantChange, result: &ParticipantResult) -> String {
    let who = person(&result.id);
    match (change, result.status) {
        (ParticipantChange::Add, Some(409)) => format!("{who} is already a member"),
        _ => format!(
            "{who} was not {}: {}",
            change_words(change).1,
            failure_reason(result)
        ),
    }
}

/// What to tell after creating a group with first members: the toast, and one line per
/// person who was not added (empty when everyone was, or the provider does not say).
pub fn creation_outcome(
    subject: &str,
    added: Option<&[ParticipantResult]>,
) -> (bool, String, Vec<String>) {
    let subject = isolate(subject);
    let Some(added) = added.filter(|a| !a.is_empty()) else {
        return (true, format!("Created “{subject}”"), Vec::new());
    };
    let failed: Vec<String> = added
        .iter()
        .filter(|r| !r.ok)
        .map(|r| with_detail(&refusal(ParticipantChange::Add, r), &result_detail(r)))
        .collect();
    let total = added.len();
    if failed.is_empty() {
        let s = if total == 1 { "" } else { "s" };
        (
            true,
            format!("Created “{subject}” with {total} member{s} added"),
            failed,
        )
    } else {
        (
            false,
            format!(
                "Created “{subject}”, but {} of {total} people were not added",
                failed.len()
            ),
            failed,
        )
    }
}

/// Marks where a sentence for a person ends and its technical detail begins (drawn one
/// click away, in a "Technical detail" disclosure).
const DETAIL: char = '\u{1F}';

/// `text` followed by its technical `detail`, kept one click away when shown.
pub fn with_detail(text: &str, detail: &str) -> String {
    format!("{text}{DETAIL}{detail}")
}

/// The sentence of `text`, and its technical detail when it has one ([`with_detail`]).
pub fn split_detail(text: &str) -> (&str, Option<&str>) {
    match text.split_once(DETAIL) {
        Some((said, detail)) => (said, Some(detail)),
        None => (text, None),
    }
}

/// `text` as an isolated piece of a sentence (Unicode FSI … PDI, the text form of `<bdi>`):
/// its own direction, and no bidi control inside it (`\u{202E}`) reaches past it.
pub fn isolate(text: &str) -> String {
    // Isolate marks inside the text could close this isolate early: they are invisible,
    // so leave them out.
    let inner: String = text
        .chars()
        .filter(|c| !('\u{2066}'..='\u{2069}').contains(c))
        .collect();
    format!("\u{2068}{inner}\u{2069}")
}

/// Whether `text` holds the invisible characters that change the direction of the text
/// around them (embeddings, overrides, isolates, marks): a name with them may not read as
/// it is stored (`\u{202E}gnp.exe` shows as `exe.png`).
pub fn has_bidi_controls(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
    })
}

/// The warning of a confirmation naming a group whose name has direction controls.
pub fn bidi_warning(subject: &str) -> Option<String> {
    has_bidi_controls(subject).then(|| {
        "The group's name holds invisible characters that change the direction of its text: \
         it may not read as it is stored. Check the group's id before you confirm."
            .to_owned()
    })
}

/// Splits `text` into its pieces: `(true, piece)` for each one [`isolate`]d, `(false, …)`
/// for the sentence around them; the FSI/PDI marks themselves are left out (the panel draws
/// isolated pieces as `<bdi>`).
pub fn isolated_pieces(text: &str) -> Vec<(bool, &str)> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('\u{2068}') {
        let Some(len) = rest[start..].find('\u{2069}') else {
            break;
        };
        if start > 0 {
            pieces.push((false, &rest[..start]));
        }
        pieces.push((true, &rest[start + '\u{2068}'.len_utf8()..start + len]));
        rest = &rest[start + len + '\u{2069}'.len_utf8()..];
    }
    if !rest.is_empty() {
        pieces.push((false, rest));
    }
    pieces
}

/// The number of pages for `total` items, `per_page` a page (at least one page).
pub fn page_count(total: usize, per_page: usize) -> usize {
    total.div_ceil(per_page.max(1)).max(1)
}

/// The slice of `items` on page `page` (0-based), clamped.
pub fn page_of<T>(items: &[T], page: usize, per_page: usize) -> &[T] {
    let start = (page * per_page).min(items.len());
    let end = (start + per_page).min(items.len());
    &items[start..end]
}

/// A sentence for an admin: what failed and what to do about it, in their words; the
/// error as the library reports it (`invalid participants[1]: …`, `HTTP 409`, an
/// operation's name) is its technical detail ([`with_detail`]).
pub fn describe(err: &Error) -> String {
    let said = match err {
        Error::InvalidInput { field, reason } => {
            // The library quotes what was typed in backticks; people read quotes (and
            // what was typed keeps its own direction).
            let mut quoted = String::new();
            for (i, piece) in reason.split('`').enumerate() {
                if i > 0 {
                    quoted.push_str(if i % 2 == 1 {
                        "“\u{2068}"
                    } else {
                        "\u{2069}”"
                    });
                }
                quoted.push_str(piece);
            }
            let joint = if reason.starts_with('`') { ": " } else { " " };
            format!(
                "{}{joint}{quoted}. Correct it and try again.",
                field_name(field)
            )
        }
        Error::Unsupported {
            operation,
            provider,
        } => format!(
            "{} cannot {}.",
            provider_name(provider),
            operation_words(operation)
        ),
        Error::Status { code, message, .. }
            if *code == ErrorCode::Forbidden && message.starts_with(GATEWAY_REFUSAL) =>
        {
            gateway_refused(&message[GATEWAY_REFUSAL.len()..])
        }
        Error::Status { code, message, .. } => {
            let lead = match code {
                ErrorCode::Unauthorized => {
                    "The server did not accept the credentials: check the API key, or the user \
                     name and token."
                }
                ErrorCode::Forbidden => {
                    "The account is not allowed to do this (is it an admin of the group?)."
                }
                ErrorCode::NotFound => {
                    "The server does not know this group or session; it may have been removed."
                }
                ErrorCode::Conflict => "The server refused it: it conflicts with what it holds.",
                ErrorCode::RateLimited => {
                    "The server is limiting requests; wait a moment and try again."
                }
                ErrorCode::InvalidInput => "The server refused what was sent.",
                ErrorCode::Unsupported => "The server cannot do this.",
                _ => "The server failed to do it. Try again; if it persists, check its logs.",
            };
            match message.trim() {
                "" => lead.to_owned(),
                message => format!("{lead} It said: “{}”.", isolate(message)),
            }
        }
        Error::Timeout(_) => format!("{}. Try again in a moment.", no_answer(err)),
        Error::Network(_) => {
            "Could not reach the server: check its address and that it is running.".to_owned()
        }
        Error::Decode(_) => "The server's answer could not be understood.".to_owned(),
        Error::BudgetExceeded { kind, limit, .. } => format!(
            "Nothing was sent: the safety limit of {limit} {kind} per 24 hours is used up, to \
             keep the account from being restricted. Try again later, or change the limit \
             under “Safety limits” on the Groups page."
        ),
        _ => "Stopped before the server answered.".to_owned(),
    };
    with_detail(&said, &format!("{err} ({})", err.code()))
}

/// Put by the panel's transport before the message of the gateway's own refusal, so that
/// [`describe`] tells it from a provider's 403 passed through the gateway.
pub const GATEWAY_REFUSAL: &str = "refused by the wa-groups gateway: ";

/// The gateway's own refusal, marked: its 403s have the body `{"error": "forbidden",
/// "message": …}` and nothing else (a provider's 403, passed through, has its own shape).
/// Returns the body to hand on, its message behind [`GATEWAY_REFUSAL`]; `None` for any
/// other answer.
pub fn mark_gateway_refusal(status: u16, body: &[u8]) -> Option<Vec<u8>> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let object = value
        .as_object()
        .filter(|o| o.len() == 2 && status == 403)?;
    let message = object.get("message")?.as_str()?;
    (object.get("error")?.as_str()? == "forbidden").then(|| {
        let marked =
            serde_json::to_string(&format!("{GATEWAY_REFUSAL}{message}")).unwrap_or_default();
        format!(r#"{{"error":"forbidden","message":{marked}}}"#).into_bytes()
    })
}

/// The gateway's refusal (`why`, as it says it) for an admin.
fn gateway_refused(why: &str) -> String {
    match why {
        "a viewer may only read" => "Your role (viewer) can only read.".to_owned(),
        "admins only" => "Only the gateway's admins may do this.".to_owned(),
        why => format!("The gateway refused it: “{}”.", isolate(why)),
    }
}

/// A field the library names (`participants[1]`, `baseUrl`) as an admin knows it.
fn field_name(field: &str) -> String {
    if let Some(i) = field
        .strip_prefix("participants[")
        .and_then(|rest| rest.strip_suffix(']')?.parse::<usize>().ok())
    {
        return format!("Number {}", i + 1);
    }
    match field {
        "participants" => "The numbers",
        "subject" => "The subject",
        "description" => "The description",
        "text" => "The message",
        "code" => "The invite link",
        "baseUrl" => "The server address",
        "apiKey" => "The API key",
        "image" => "The image",
        _ => "What was typed",
    }
    .to_owned()
}

/// A provider as the library names it (`waha (GOWS)`, `wavy`) as an admin knows it.
fn provider_name(provider: &str) -> String {
    provider
        .replacen("waha", "WAHA", 1)
        .replacen("wavy", "Wavy", 1)
}

/// An operation as the library names it (`promoteAdmins`) as words (`promote admins`).
pub fn operation_words(operation: &str) -> String {
    let mut words = String::new();
    for c in operation.chars() {
        if c.is_ascii_uppercase() {
            words.push(' ');
        }
        words.push(c.to_ascii_lowercase());
    }
    words
}

/// The time limit of every request the panel sends: a server that hangs ends in an error
/// that says so, never in an endless spinner. Reads that time out are tried again (the
/// core's retry policy); changes are not, as they may have been made.
pub const REQUEST_TIMEOUT_MS: u32 = 20_000;

/// What every sentence about an outcome nobody knows says.
const MAY_OR_MAY_NOT: &str = "may or may not have been";

/// Why no answer came, for [`describe_change`] and [`describe_send`].
fn no_answer(err: &Error) -> String {
    match err {
        // A no-break space keeps "20 s" together on a narrow screen.
        Error::Timeout(ms) => format!(
            "No answer from the server within {}\u{a0}s",
            ms.div_ceil(1000)
        ),
        _ => "The connection failed before the server answered".to_owned(),
    }
}

/// A sentence for a change that failed. When no answer came (a timeout, a dropped
/// connection) the change may have been made all the same: say so, and ask to check before
/// trying again rather than to repeat it.
pub fn describe_change(err: &Error) -> String {
    if is_uncertain(err) {
        with_detail(
            &format!(
                "{}: the change {MAY_OR_MAY_NOT} made. Check what the server holds before \
                 trying again.",
                no_answer(err)
            ),
            &err.to_string(),
        )
    } else {
        describe(err)
    }
}

/// [`describe_change`] for a message sent to a group, which the panel cannot read back.
pub fn describe_send(err: &Error) -> String {
    if is_uncertain(err) {
        with_detail(
            &format!(
                "{}: the message {MAY_OR_MAY_NOT} sent. Look in the group (in WhatsApp) \
                 before sending it again.",
                no_answer(err)
            ),
            &err.to_string(),
        )
    } else {
        describe(err)
    }
}

/// Whether a change that failed with `err` may have been made all the same.
pub fn is_uncertain(err: &Error) -> bool {
    matches!(err.code(), ErrorCode::Timeout | ErrorCode::Network)
}

/// Whether `sentence` (from [`describe_change`]) says the outcome is unknown.
pub fn is_uncertain_text(sentence: &str) -> bool {
    sentence.contains(MAY_OR_MAY_NOT)
}

/// Whether `url` may be shown as a link: only `https:` (invite links, icons).
pub fn is_safe_link(url: &str) -> bool {
    url.starts_with("https://") && !url.contains(['"', '<', '>', ' '])
}

/// A provider's timestamp as milliseconds since 1970 (what `Date` takes): providers give
/// seconds, a few milliseconds; a time in seconds stays below 10^11 until the year 5138.
pub fn unix_ms(time: u64) -> f64 {
    if time < 100_000_000_000 {
        time as f64 * 1000.0
    } else {
        time as f64
    }
}

/// The human size of `bytes` (integer arithmetic: float formatting with a precision would
/// pull a second float printer into the panel's wasm).
pub fn human_size(bytes: usize) -> String {
    const MB: usize = 1024 * 1024;
    if bytes >= MB {
        // In u64: ten times a big file does not fit wasm32's usize.
        let tenths = (bytes as u64 * 10 + MB as u64 / 2) / MB as u64;
        format!("{}.{} MB", tenths / 10, tenths % 10)
    } else if bytes >= 1024 {
        format!("{} KB", (bytes + 512) / 1024)
    } else {
        format!("{bytes} B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wa_groups::model::UserId;

    fn group(id: &str, subject: &str) -> Group {
        Group::new(GroupId::new("id", id).unwrap(), subject)
    }

    #[test]
    fn entries_split_on_commas_semicolons_and_lines_but_not_spaces() {
        assert_eq!(
            split_entries("+55 11 98888-0000, 5511;\n\n 77 "),
            vec!["+55 11 98888-0000", "5511", "77"]
        );
        assert!(split_entries(" , ;\n").is_empty());
    }

    #[test]
    fn search_matches_subject_or_id_ignoring_case() {
        let groups = [group("1@g.us", "Family"), group("2@g.us", "Ops team")];
        let hits: Vec<&str> = filter_groups(&groups, "OPS")
            .iter()
            .map(|g| g.subject.as_str())
            .collect();
        assert_eq!(hits, ["Ops team"]);
        assert_eq!(filter_groups(&groups, "1@g").len(), 1);
        assert_eq!(filter_groups(&groups, "  ").len(), 2);
    }

    #[test]
    fn chunks_append_only_groups_not_seen_yet() {
        let mut all = Vec::new();
        let mut seen = BTreeSet::new();
        append_unseen(
            &mut all,
            &mut seen,
            [group("1@g.us", "A"), group("2@g.us", "B")],
        );
        append_unseen(
            &mut all,
            &mut seen,
            [group("2@g.us", "B"), group("3@g.us", "C")],
        );
        let ids: Vec<&str> = all.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, ["1@g.us", "2@g.us", "3@g.us"]);
    }

    /// Runs a future that never waits (the fake servers below answer at once).
    fn now<T>(future: impl Future<Output = T>) -> T {
        let mut future = std::pin::pin!(future);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match future.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(value) => value,
            std::task::Poll::Pending => panic!("the fake server answers at once"),
        }
    }

    fn account(n: usize) -> Vec<Group> {
        (0..n)
            .map(|i| group(&format!("{i}@g.us"), &format!("Group {i:04}")))
            .collect()
    }

    type Fetched = Result<Option<Vec<Group>>, String>;
    /// How many requests a fake server answered.
    type Requests = std::rc::Rc<std::cell::Cell<usize>>;

    /// A server with `groups` that answers `limit`/`offset` requests through `answer`,
    /// and gives up after `MAX` requests (a loop would otherwise never end the test).
    fn server(
        groups: &[Group],
        answer: impl Fn(&[Group], usize, usize) -> Vec<Group>,
    ) -> (impl AsyncFnMut(usize) -> Fetched, Requests) {
        const MAX: usize = 50;
        let requests = std::rc::Rc::new(std::cell::Cell::new(0));
        let counted = requests.clone();
        let groups = groups.to_vec();
        let fetch = async move |offset: usize| {
            counted.set(counted.get() + 1);
            if counted.get() > MAX {
                return Err(format!("still loading after {MAX} requests"));
            }
            Ok(Some(answer(&groups, CHUNK, offset)))
        };
        (fetch, requests)
    }

    const CHUNK: usize = 250;

    fn ids(groups: &[Group]) -> Vec<&str> {
        groups.iter().map(|g| g.id.as_str()).collect()
    }

    #[test]
    fn an_account_loads_in_chunks_and_stops_at_the_count() {
        let groups = account(600);
        let (fetch, requests) = server(&groups, |all, limit, offset| {
            all.iter().skip(offset).take(limit).cloned().collect()
        });
        let loaded = now(load_account(&groups[..50], 600, CHUNK, fetch))
            .unwrap()
            .unwrap();
        assert_eq!(ids(&loaded.groups), ids(&groups));
        assert!(!loaded.repeated);
        assert_eq!(requests.get(), 3, "offsets 50, 300 and 550");
    }

    #[test]
    fn no_request_is_made_past_the_count() {
        // 550 groups: the second full chunk ends the account; no empty chunk is asked for.
        let groups = account(550);
        let (fetch, requests) = server(&groups, |all, limit, offset| {
            all.iter().skip(offset).take(limit).cloned().collect()
        });
        let loaded = now(load_account(&groups[..50], 550, CHUNK, fetch))
            .unwrap()
            .unwrap();
        assert_eq!(loaded.groups.len(), 550);
        assert_eq!(requests.get(), 2);
    }

    #[test]
    fn a_server_that_ignores_limit_and_offset_is_read_once_not_forever() {
        // Older WAHA: every request answers the whole account.
        let groups = account(600);
        let (fetch, requests) = server(&groups, |all, _, _| all.to_vec());
        let first = &groups[..]; // what `limit=50` brought
        let loaded = now(load_account(first, 600, CHUNK, fetch))
            .unwrap()
            .unwrap();
        assert_eq!(ids(&loaded.groups), ids(&groups));
        assert_eq!(requests.get(), 0, "the first answer held the whole count");

        // ... and when the core cut the first answer to `limit`, every later one repeats.
        let (fetch, requests) = server(&groups, |all, _, _| all.to_vec());
        let loaded = now(load_account(&groups[..50], 600, CHUNK, fetch))
            .unwrap()
            .unwrap();
        assert_eq!(ids(&loaded.groups), ids(&groups));
        assert!(!loaded.repeated, "the first chunk brought the rest");
        assert_eq!(requests.get(), 1);
    }

    #[test]
    fn a_server_that_ignores_offset_stops_when_a_chunk_brings_nothing_new() {
        // Honours `limit` but always answers from the start: the second chunk repeats.
        let groups = account(600);
        let (fetch, requests) = server(&groups, |all, limit, _| all[..limit].to_vec());
        let loaded = now(load_account(&groups[..50], 600, CHUNK, fetch))
            .unwrap()
            .unwrap();
        assert_eq!(ids(&loaded.groups), ids(&groups[..250]));
        assert!(
            loaded.repeated,
            "the panel says the account is short of its count"
        );
        assert_eq!(requests.get(), 2);
    }

    #[test]
    fn a_server_inventing_groups_forever_is_read_up_to_its_count() {
        let groups = account(50);
        let fresh = std::cell::Cell::new(0);
        let (fetch, requests) = server(&groups, move |_, limit, _| {
            fresh.set(fresh.get() + 1);
            (0..limit)
                .map(|i| group(&format!("new-{}-{i}@g.us", fresh.get()), "New"))
                .collect()
        });
        let loaded = now(load_account(&groups, 600, CHUNK, fetch))
            .unwrap()
            .unwrap();
        assert_eq!(loaded.groups.len(), 800);
        assert_eq!(requests.get(), 3);
    }

    #[test]
    fn a_load_no_longer_wanted_ends_without_a_result() {
        let groups = account(600);
        let loaded = now(load_account(&groups[..50], 600, CHUNK, async |_| {
            Ok::<_, String>(None)
        }));
        assert!(loaded.unwrap().is_none());
    }

    #[test]
    fn the_summary_counts_matches_and_waits_for_the_count() {
        assert_eq!(groups_summary(None, None), "Counting groups…");
        assert_eq!(groups_summary(Some(1), None), "1 group");
        assert_eq!(groups_summary(Some(5000), None), "5000 groups");
        assert_eq!(groups_summary(Some(5000), Some(5000)), "5000 groups");
        assert_eq!(
            groups_summary(Some(5000), Some(3)),
            "3 of 5000 groups match"
        );
    }

    #[test]
    fn participants_filter_by_phone_and_role() {
        let members = [
            Participant::new(UserId::from_provider("5511988880000@c.us"), Role::Admin),
            Participant::new(UserId::from_provider("7669@lid"), Role::Member),
        ];
        assert_eq!(filter_participants(&members, "98888").len(), 1);
        assert_eq!(filter_participants(&members, "admin").len(), 1);
        assert_eq!(id_kind(&members[1]), "LID");
    }

    #[test]
    fn list_href_keeps_what_is_not_the_default() {
        assert_eq!(list_href("", 0, "subject-asc"), "/");
        assert_eq!(
            list_href("Book club & co", 2, "id-desc"),
            "/?q=Book%20club%20%26%20co&page=3&sort=id-desc"
        );
        assert_eq!(list_href("Açaí", 0, "subject-asc"), "/?q=A%C3%A7a%C3%AD");
    }

    #[test]
    fn participants_filter_matches_numbers_as_people_write_them() {
        let members = [
            Participant::new(UserId::from_provider("5511999990001@c.us"), Role::Member),
            Participant::new(UserId::from_provider("5511988880000@c.us"), Role::Admin),
            Participant::new(UserId::from_provider("7669@lid"), Role::Member),
        ];
        for written in [
            "+55 11 99999-0001",
            "+55 (11) 99999-0001",
            "55-11-9999-90001",
            "[11] 99999 0001",
            " 99999-0001 ",
        ] {
            let hits = filter_participants(&members, written);
            assert_eq!(hits.len(), 1, "{written:?}");
            assert_eq!(hits[0].id.as_str(), "5511999990001@c.us", "{written:?}");
        }
        assert_eq!(filter_participants(&members, "+55 11").len(), 2);
        assert_eq!(
            filter_participants(&members, "(76) 69").len(),
            1,
            "a LID too"
        );
        assert_eq!(filter_participants(&members, "Admin").len(), 1);
        assert_eq!(filter_participants(&members, "+1 555").len(), 0);
    }

    #[test]
    fn paging_clamps_and_counts() {
        let items: Vec<u32> = (0..105).collect();
        assert_eq!(page_count(105, 50), 3);
        assert_eq!(page_count(0, 50), 1);
        assert_eq!(page_of(&items, 2, 50), &items[100..]);
        assert!(page_of(&items, 9, 50).is_empty());
    }

    #[test]
    fn only_https_links_are_links() {
        assert!(is_safe_link("https://chat.whatsapp.com/AbC"));
        assert!(!is_safe_link("javascript:alert(1)"));
        assert!(!is_safe_link("http://chat.whatsapp.com/AbC"));
        assert!(!is_safe_link("https://x\"onmouseover=\"y"));
    }

    fn member(id: &str, role: Role) -> Participant {
        Participant::new(UserId::from_provider(id), role)
    }

    fn result(id: &str, ok: bool, status: Option<u16>, message: Option<&str>) -> ParticipantResult {
        let id = UserId::from_provider(id);
        if ok {
            ParticipantResult::ok(id)
        } else {
            ParticipantResult::failed(id, status, message.unwrap_or(""))
        }
    }

    #[test]
    fn a_refused_owner_demote_is_never_done() {
        let after = [member("5511900000000@c.us", Role::Superadmin)];
        let refused = result(
            "5511900000000@c.us",
            false,
            None,
            Some("is the group's owner: WhatsApp does not demote the owner"),
        );
        let line = result_line(
            ParticipantChange::Demote,
            &refused,
            Some(&after),
            Some(&after),
        );
        assert!(!line.ok);
        assert_eq!(
            split_detail(&line.text),
            (
                "+55 11 90000-0000 was not demoted to member: is the group's owner: WhatsApp does not demote the owner",
                Some(
                    "5511900000000@c.us · is the group's owner: WhatsApp does not demote the owner"
                )
            )
        );
        assert!(!line.text.contains("done"));
    }

    #[test]
    fn success_the_group_read_back_contradicts_is_not_done() {
        // The provider says ok (WEBJS's bare {"status":200}); the re-read says Owner.
        let after = [member("5511900000000@c.us", Role::Superadmin)];
        let said_ok = result("5511900000000@c.us", true, None, None);
        let line = result_line(ParticipantChange::Demote, &said_ok, None, Some(&after));
        assert!(!line.ok);
        assert!(
            line.text.contains("the group still shows them as Owner"),
            "{}",
            line.text
        );
        let line = result_line(ParticipantChange::Remove, &said_ok, None, Some(&after));
        assert!(!line.ok, "{}", line.text);
        // Promoted, and the re-read agrees (matched by phone: GOWS lists a LID with it).
        let mut lid = member("7669@lid", Role::Admin);
        lid.phone = Some("5511988880000".into());
        let promoted = result("5511988880000@c.us", true, None, None);
        let line = result_line(ParticipantChange::Promote, &promoted, None, Some(&[lid]));
        assert_eq!(
            line,
            ResultLine {
                ok: true,
                text: with_detail(
                    "+55 11 98888-0000 was promoted to admin",
                    "5511988880000@c.us"
                )
            }
        );
        // Removed: gone from the re-read. Wavy names people by bare digits.
        let removed = result("5519988880000", true, None, None);
        assert!(result_line(ParticipantChange::Remove, &removed, None, Some(&[])).ok);
        // No re-read: the provider's word, said as such.
        let line = result_line(ParticipantChange::Add, &removed, None, None);
        assert!(
            line.ok && line.text.contains("could not be read back"),
            "{}",
            line.text
        );
    }

    #[test]
    fn a_reported_failure_the_group_contradicts_says_both() {
        let after = [member("5511988880000@c.us", Role::Member)];
        let failed = result("5511988880000@c.us", false, Some(500), Some("timeout"));
        let line = result_line(ParticipantChange::Add, &failed, Some(&[]), Some(&after));
        assert!(!line.ok);
        assert!(
            line.text.contains("reported a failure (timeout)")
                && line.text.contains("shows them added"),
            "{}",
            line.text
        );
        // Already a member before: a plain refusal.
        let already = result("5511988880000@c.us", false, Some(409), None);
        let line = result_line(ParticipantChange::Add, &already, Some(&after), Some(&after));
        assert_eq!(
            line,
            ResultLine {
                ok: false,
                text: with_detail(
                    "+55 11 98888-0000 is already a member",
                    "5511988880000@c.us · status 409"
                )
            }
        );
    }

    #[test]
    fn summaries_say_what_did_not_happen() {
        assert_eq!(
            change_summary(ParticipantChange::Promote, 2, 2),
            "Promoted 2 of 2"
        );
        assert_eq!(
            change_summary(ParticipantChange::Demote, 0, 1),
            "Demoted 0 of 1: 1 not demoted to member; see why below"
        );
    }

    #[test]
    fn a_creation_names_who_was_not_added_and_why() {
        let added = [
            result("15554030001@c.us", false, Some(403), Some("add_request")),
            result("5511988880000@c.us", true, None, None),
        ];
        let (all, summary, failed) = creation_outcome("Book club", Some(&added));
        assert!(!all);
        assert_eq!(
            summary,
            "Created “\u{2068}Book club\u{2069}”, but 1 of 2 people were not added"
        );
        assert_eq!(
            failed,
            [with_detail(
                "+1 555 403 0001 was not added: their privacy settings do not let others add them; send them the invite link instead",
                "15554030001@c.us · status 403 · add_request"
            )]
        );
        let (all, summary, failed) = creation_outcome("Book club", Some(&added[1..]));
        assert!(all && failed.is_empty());
        assert_eq!(
            summary,
            "Created “\u{2068}Book club\u{2069}” with 1 member added"
        );
        let (all, summary, _) = creation_outcome("Book club", None);
        assert!(all);
        assert_eq!(summary, "Created “\u{2068}Book club\u{2069}”");
        assert_eq!(
            failure_reason(&result("1@c.us", false, Some(409), None)),
            "already a member"
        );
        assert_eq!(
            failure_reason(&result("1@c.us", false, Some(500), Some(" "))),
            "the provider refused it"
        );
    }

    #[test]
    fn user_text_is_isolated_and_split_back_into_pieces() {
        let name = "\u{202E}gnp.exe";
        let sentence = format!("Delete “{}” for everyone?", isolate(name));
        assert_eq!(
            isolated_pieces(&sentence),
            [
                (false, "Delete “"),
                (true, name),
                (false, "” for everyone?")
            ]
        );
        // An isolate mark inside the name cannot close the isolate early.
        assert_eq!(isolate("a\u{2069}\u{202E}b"), "\u{2068}a\u{202E}b\u{2069}");
        assert_eq!(isolated_pieces("plain"), [(false, "plain")]);
        assert_eq!(
            isolated_pieces("open \u{2068}never closed"),
            [(false, "open \u{2068}never closed")]
        );
        assert_eq!(person(&UserId::from_provider("7669@lid")), "7669@lid");
        assert!(has_bidi_controls(name) && bidi_warning(name).is_some());
        assert!(!has_bidi_controls("نادي الكتاب") && bidi_warning("Book club").is_none());
    }

    #[test]
    fn a_confirmation_names_everyone_selected() {
        let mut lid = member("7669@lid", Role::Admin);
        lid.phone = None;
        let members = [
            member("5511988880001@c.us", Role::Member),
            lid,
            member("5511988880003@c.us", Role::Member),
        ];
        let selected: BTreeSet<String> = ["5511988880003", "7669@lid", "5511988889999"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(
            selected_people(&selected, &members),
            [
                "7669@lid (Admin)",
                "+55 11 98888-0003 (Member)",
                "+55 11 98888-9999"
            ]
        );
        assert_eq!(participant_key(&members[0]), "5511988880001");
    }

    #[test]
    fn a_change_without_an_answer_may_or_may_not_have_been_made() {
        let timeout = Error::Timeout(REQUEST_TIMEOUT_MS);
        let said = describe_change(&timeout);
        assert_eq!(
            split_detail(&said),
            (
                "No answer from the server within 20\u{a0}s: the change may or may not have been \
                 made. Check what the server holds before trying again.",
                Some("timed out after 20000 ms")
            )
        );
        assert!(is_uncertain_text(&said));
        let lost = Error::Network("connection reset".into());
        assert!(describe_send(&lost).starts_with("The connection failed before the server answered: the message may or may not have been sent."));
        assert!(is_uncertain_text(&describe_send(&lost)));
        // A refusal is certain: nothing was made, and the sentence says why.
        let refused = Error::Status {
            code: ErrorCode::Forbidden,
            status: 403,
            message: "not an admin".into(),
            retry_after_ms: None,
        };
        assert!(!is_uncertain_text(&describe_change(&refused)));
        assert!(describe_change(&refused).contains("not an admin"));
    }

    #[test]
    fn a_single_admin_is_found_and_named() {
        let owner = member("5511900000000@c.us", Role::Superadmin);
        let admin = member("5511900000001@c.us", Role::Admin);
        let plain = member("5511900000002@c.us", Role::Member);
        assert_eq!(sole_admin(&[owner.clone(), plain.clone()]), Some(&owner));
        assert_eq!(sole_admin(&[owner.clone(), admin, plain.clone()]), None);
        assert_eq!(
            sole_admin(&[plain]),
            None,
            "no admin at all: nothing to warn about"
        );
        assert_eq!(
            sole_admin_warning(&owner, Some("Book club")),
            "“\u{2068}Book club\u{2069}” has one admin, +55 11 90000-0000. If that is you, promote \
             someone first: once you leave, no admin you chose is left to manage it."
        );
        assert!(sole_admin_warning(&owner, None).starts_with("This group has one admin"));
        let both = [("A".to_owned(), &owner), ("B".to_owned(), &owner)];
        assert_eq!(
            sole_admin_groups_warning(&both, 3).unwrap(),
            "2 of these groups have a single admin: “\u{2068}A\u{2069}” (+55 11 90000-0000), \
             “\u{2068}B\u{2069}” (+55 11 90000-0000). If that is you, promote someone first: once \
             you leave, no admin you chose is left to manage them. 3 of the groups were not \
             checked for their admins."
        );
        assert!(
            sole_admin_groups_warning(&both[..1], 0)
                .unwrap()
                .starts_with("1 of these groups has")
        );
        assert_eq!(sole_admin_groups_warning(&[], 0), None);
    }

    #[test]
    fn deleting_says_why_it_is_not_offered() {
        assert_eq!(
            cannot_delete_reason(ProviderKind::Waha, Some("NOWEB")),
            "WAHA's NOWEB engine cannot delete groups (only WEBJS can). You can leave the group instead."
        );
        assert!(cannot_delete_reason(ProviderKind::Waha, None).contains("only the WEBJS engine"));
        assert!(cannot_delete_reason(ProviderKind::Wavy, None).starts_with("Wavy cannot"));
    }

    #[test]
    fn an_empty_search_says_what_it_searched_and_suggests_no_duplicate() {
        let said = empty_text(" Book club ", Some(300), 0);
        assert_eq!(
            said,
            "No group matches “\u{2068}Book club\u{2069}” among all 300 groups of the account."
        );
        assert!(!said.contains("Create"));
        assert_eq!(
            empty_text("", Some(0), 0),
            "No groups yet. Create one above."
        );
        assert_eq!(empty_text("", Some(60), 3), "Nothing on this page.");
    }

    #[test]
    fn numbers_are_written_as_people_write_them() {
        assert_eq!(written_phone("5511999990001"), "+55 11 99999-0001");
        assert_eq!(written_phone("551133334444"), "+55 11 3333-4444");
        assert_eq!(written_phone("15554030001"), "+1 555 403 0001");
        assert_eq!(written_phone("447911123456"), "+44 791 112 3456");
        assert_eq!(written_phone("351912345678"), "+351 912 345 678");
        // Too short or long for a phone number, or not digits: kept as they are.
        assert_eq!(written_phone("7669"), "+7669");
        assert_eq!(
            person(&UserId::from_provider("5511999990001@c.us")),
            "+55 11 99999-0001"
        );
        assert_eq!(
            person(&UserId::from_provider("5511999990001")),
            "+55 11 99999-0001"
        );
        assert_eq!(person(&UserId::from_provider("7669@lid")), "7669@lid");
        // What the filter matches is what is shown.
        let shown = written_phone("5511999990001");
        let members = [member("5511999990001@c.us", Role::Member)];
        assert_eq!(filter_participants(&members, &shown).len(), 1);
    }

    #[test]
    fn an_add_of_a_member_says_they_already_are_one() {
        let already = result("5511999990001@c.us", false, Some(409), Some("conflict"));
        let members = [member("5511999990001@c.us", Role::Member)];
        let line = result_line(
            ParticipantChange::Add,
            &already,
            Some(&members),
            Some(&members),
        );
        assert_eq!(
            split_detail(&line.text),
            (
                "+55 11 99999-0001 is already a member",
                Some("5511999990001@c.us · status 409 · conflict")
            )
        );
    }

    fn said(err: &Error) -> (String, String) {
        let text = describe(err);
        let (said, detail) = split_detail(&text);
        (said.to_owned(), detail.unwrap_or_default().to_owned())
    }

    #[test]
    fn errors_are_said_for_an_admin_with_the_technical_detail_apart() {
        let (text, detail) = said(&Error::invalid(
            "participants[1]",
            "`not-a-phone` is not a phone number or a user id",
        ));
        assert_eq!(
            text,
            "Number 2: “\u{2068}not-a-phone\u{2069}” is not a phone number or a user id. \
             Correct it and try again."
        );
        assert_eq!(
            detail,
            "invalid participants[1]: `not-a-phone` is not a phone number or a user id (invalid_input)"
        );
        let (text, _) = said(&Error::invalid("subject", "must not be empty"));
        assert_eq!(
            text,
            "The subject must not be empty. Correct it and try again."
        );

        let (text, detail) = said(&Error::Unsupported {
            operation: "promoteAdmins",
            provider: "waha (GOWS)".into(),
        });
        assert_eq!(text, "WAHA (GOWS) cannot promote admins.");
        assert!(detail.contains("promoteAdmins"), "{detail}");
        let (text, _) = said(&Error::Unsupported {
            operation: "deleteGroup",
            provider: "wavy".into(),
        });
        assert_eq!(text, "Wavy cannot delete group.");

        let (text, detail) = said(&Error::Status {
            code: ErrorCode::Unauthorized,
            status: 401,
            message: String::new(),
            retry_after_ms: None,
        });
        assert!(text.contains("API key") && !text.contains("401"), "{text}");
        assert_eq!(detail, "HTTP 401:  (unauthorized)");
        let (text, _) = said(&Error::Timeout(20_000));
        assert_eq!(
            text,
            "No answer from the server within 20\u{a0}s. Try again in a moment."
        );
        // Nothing an admin reads names an operation, a field or a status code.
        for err in [
            Error::Network("TypeError: Failed to fetch".into()),
            Error::Decode("expected value at line 1".into()),
            Error::Aborted,
        ] {
            let (text, detail) = said(&err);
            assert!(
                !text.contains("error") && !text.contains("line 1"),
                "{text}"
            );
            assert!(!detail.is_empty());
        }
        assert_eq!(split_detail("plain"), ("plain", None));
    }

    #[test]
    fn timestamps_in_seconds_or_milliseconds_become_milliseconds() {
        assert_eq!(unix_ms(1_732_526_981), 1_732_526_981_000.0);
        assert_eq!(unix_ms(1_732_526_981_000), 1_732_526_981_000.0);
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(human_size(900), "900 B");
        assert_eq!(human_size(1536), "2 KB");
        assert_eq!(human_size(5 * 1024 * 1024), "5.0 MB");
        assert_eq!(human_size(5 * 1024 * 1024 + 300 * 1024), "5.3 MB");
    }

    #[test]
    fn a_short_account_says_what_is_shown_and_keeps_the_parameter_apart() {
        let said = short_account(50, 600);
        assert_eq!(
            split_detail(&said),
            (
                "Showing 50 of the 600 groups the server counts: asked for the next ones, it \
                 answered groups already shown.",
                Some("the server ignores `offset` in GET /groups")
            )
        );
    }

    #[test]
    fn limits_follow_the_provider() {
        assert_eq!(subject_limit(ProviderKind::Wavy), 25);
        assert_eq!(subject_limit(ProviderKind::Waha), 100);
    }

    #[test]
    fn the_gateway_refusing_a_viewer_says_their_role_can_only_read() {
        let gateway = br#"{"error":"forbidden","message":"a viewer may only read"}"#;
        let marked = mark_gateway_refusal(403, gateway).expect("the gateway's own 403");
        let value: serde_json::Value = serde_json::from_slice(&marked).unwrap();
        let refused = |message: &str| Error::Status {
            code: ErrorCode::Forbidden,
            status: 403,
            message: message.to_owned(),
            retry_after_ms: None,
        };
        let (text, detail) = said(&refused(value["message"].as_str().unwrap()));
        assert_eq!(text, "Your role (viewer) can only read.");
        assert!(detail.contains("a viewer may only read"), "{detail}");
        // A provider's 403 passed through keeps its own shape, and its own sentence.
        let waha = br#"{"statusCode":403,"message":"Forbidden","error":"Forbidden"}"#;
        assert_eq!(mark_gateway_refusal(403, waha), None);
        assert_eq!(
            mark_gateway_refusal(404, br#"{"error":"forbidden","message":"x"}"#),
            None
        );
        let (text, _) = said(&refused("Forbidden"));
        assert!(
            text.starts_with("The account is not allowed to do this"),
            "{text}"
        );
    }

    #[test]
    fn budget_refusals_and_invites_are_said_in_words() {
        let err = Error::BudgetExceeded {
            kind: "adds",
            limit: 50,
            retry_after_ms: Some(1_000),
        };
        let text = describe(&err);
        assert!(
            text.starts_with("Nothing was sent: the safety limit of 50 adds per 24 hours"),
            "{text}"
        );
        let held = result("5511900000001@c.us", false, None, Some("not sent"))
            .with_reason(wa_groups::model::RefusalReason::BudgetExceeded);
        let line = result_line(ParticipantChange::Add, &held, Some(&[]), Some(&[]));
        assert!(
            line.text.contains("safety limit for adds is used up"),
            "{}",
            line.text
        );
        let mut invited = result("15554030001@c.us", false, Some(403), Some("privacy"))
            .with_reason(wa_groups::model::RefusalReason::Privacy);
        invited.invited = Some(true);
        let line = result_line(ParticipantChange::Add, &invited, Some(&[]), Some(&[]));
        assert!(
            !line.ok
                && line.text.contains(
                    "was not added (their privacy settings refuse adds): invited by link"
                ),
            "{}",
            line.text
        );
        invited.invited = Some(false);
        invited.invite_error = Some("HTTP 500".into());
        let line = result_line(ParticipantChange::Add, &invited, Some(&[]), Some(&[]));
        assert!(
            line.text
                .contains("the invite link could not be sent (HTTP 500)"),
            "{}",
            line.text
        );
    }
}
