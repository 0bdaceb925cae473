use super::{Doc, Kind, Out, ToJson};

fn doc(text: &str) -> Doc<'_> {
    Doc::parse(text.as_bytes()).unwrap()
}

#[test]
fn reads_fields_skipping_null_and_what_is_not_an_object() {
    let d = doc(r#"{"a":"x","n":null,"b":true,"c":1.5,"list":[1,"2",{"k":3}],"o":{}}"#);
    let root = d.root();
    assert_eq!(root.kind(), Kind::Object);
    assert_eq!(root.get("a").and_then(|v| v.string()).as_deref(), Some("x"));
    assert!(root.get("n").is_none());
    assert!(root.has("n"));
    assert!(!root.has("missing"));
    assert_eq!(root.get("b").and_then(|v| v.boolean()), Some(true));
    assert_eq!(root.get("c").and_then(|v| v.number()), Some(1.5));
    assert_eq!(
        root.any(&["missing", "n", "a"])
            .and_then(|v| v.string())
            .as_deref(),
        Some("x")
    );
    let list = root.get("list").unwrap().items().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[2].get("k").and_then(|v| v.whole::<u8>()), Some(3));
    assert!(list[0].get("k").is_none(), "a number has no fields");
    assert!(
        root.get("list").unwrap().get("0").is_none(),
        "an array has no named fields"
    );
    assert!(root.get("a").unwrap().items().is_none());
    assert_eq!(root.get("o").unwrap().keys().unwrap(), Vec::<String>::new());
    assert_eq!(root.keys().unwrap(), ["a", "n", "b", "c", "list", "o"]);
    assert_eq!(doc("[1, {\"a\": null}]").root().text(), r#"[1,{"a":null}]"#);
    assert_eq!(
        doc("[-3, 2.5, 5511988880000]").root().text(),
        "[-3,2.5,5511988880000]"
    );
}

#[test]
fn objects_keep_the_order_of_the_text_as_json_parse_does() {
    // A repeated key keeps its first place and takes its last value.
    let d = doc(r#"{"z":1,"a":{"y":null,"b":2},"z":3}"#);
    let entries = d.root().entries().unwrap();
    let keys: Vec<_> = entries.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["z", "a"]);
    assert_eq!(entries[0].1.whole::<u8>(), Some(3));
    let inner = entries[1].1.entries().unwrap();
    assert_eq!(inner[0].0, "y");
    assert_eq!(inner[0].1.kind(), Kind::Null, "null values are kept");
    assert!(d.root().get("z").unwrap().entries().is_none());
    // The same in an object large enough to be indexed while it is built.
    let mut text: String = (0..40).map(|i| format!("\"k{i}\":{i},")).collect();
    text = format!("{{{text}\"k3\":\"again\",\"k\\u0033\":\"escaped\"}}");
    let big = doc(&text);
    let entries = big.root().entries().unwrap();
    assert_eq!(entries.len(), 40);
    assert_eq!(entries[3].0, "k3");
    assert_eq!(
        entries[3].1.string().as_deref(),
        Some("escaped"),
        "an escaped key is the same key"
    );
    assert_eq!(entries[39].1.whole::<u8>(), Some(39));
}

#[test]
fn refuses_what_is_not_json() {
    for bad in ["", "{", "<html>", "{\"a\":1,}", "[1 2]"] {
        assert!(Doc::parse(bad.as_bytes()).is_err(), "{bad:?}");
    }
    let not_utf8 = Doc::parse(&[b'"', 0xff, b'"']).err().unwrap();
    assert_eq!(not_utf8, "invalid UTF-8 at line 1 column 2");
    assert_eq!(
        Doc::parse(b"{\n  \"a\": tru }").err().unwrap(),
        "expected a value at line 2 column 8"
    );
    assert!(Doc::parse(b"[1] 2").is_err(), "one value, then nothing");
    let deep = format!("{}{}", "[".repeat(128), "]".repeat(128));
    assert!(
        Doc::parse(deep.as_bytes())
            .err()
            .unwrap()
            .starts_with("nested too deep")
    );
    let fine = format!("{}{}", "[".repeat(127), "]".repeat(127));
    assert!(Doc::parse(fine.as_bytes()).is_ok());
}

#[test]
fn whole_numbers_come_from_numbers_or_numeric_strings_and_nothing_else() {
    let read = |text: &str| doc(text).root().whole::<u32>();
    assert_eq!(read("7"), Some(7));
    assert_eq!(read("\" 12 \""), Some(12));
    assert_eq!(read("3.0"), Some(3));
    for odd in [
        "4294967296",
        "-1",
        "1.5",
        "1e300",
        "\"soon\"",
        "true",
        "null",
        "[1]",
        "{}",
    ] {
        assert_eq!(read(odd), None, "{odd}");
    }
}

#[test]
fn ids_are_strings_or_whole_numbers() {
    let read = |text: &str| doc(text).root().id_text();
    assert_eq!(read("5511988880000").as_deref(), Some("5511988880000"));
    assert_eq!(read("-7").as_deref(), Some("-7"));
    assert_eq!(read("\"ABC\"").as_deref(), Some("ABC"));
    assert_eq!(read("1.5"), None);
    assert_eq!(read("\"  \""), None);
    assert_eq!(read("true"), None);
}

#[test]
fn text_is_escaped_as_serde_json_escapes_it() {
    for s in [
        "",
        "plain",
        "quote \" and \\ backslash",
        "lines\n\r\ttab",
        "\u{0}\u{1}\u{8}\u{b}\u{c}\u{1f}\u{7f}",
        "ação 🎉 / </script>",
    ] {
        let mut out = Out::new();
        out.string(s);
        assert_eq!(out.finish(), serde_json::to_string(s).unwrap(), "{s:?}");
    }
}

#[test]
fn objects_arrays_and_numbers_are_written_compactly() {
    let mut out = Out::new();
    out.object(|o| {
        o.field("s", "x")
            .field_opt("skipped", None::<&str>)
            .field_opt("kept", Some(&0u32))
            .field("n", &u64::MAX)
            .field("i", &-5i64)
            .field("b", &false)
            .field("none", &None::<String>)
            .field("list", &vec!["a".to_owned(), "b".to_owned()]);
        o.name("nested").object(|_| {});
    });
    assert_eq!(
        out.finish(),
        r#"{"s":"x","kept":0,"n":18446744073709551615,"i":-5,"b":false,"none":null,"list":["a","b"],"nested":{}}"#
    );
    assert_eq!(vec![1u8, 2].to_json(), "[1,2]");
    assert_eq!(Vec::<u8>::new().to_json(), "[]");
}

mod shapes {
    use serde::Serialize;
    use serde::de::DeserializeOwned;

    use crate::bulk::{BulkOutcome, BulkReport};
    use crate::events::{EventKind, InboundEvent, RecipientType, ReplyTo};
    use crate::json::ToJson;
    use crate::json::input::{FromJson, from_text};
    use crate::members::{ImportError, ImportRow, MemberAction, MemberRow, ParsedMembers};
    use crate::model::{
        Group, GroupId, GroupSettings, Icon, JoinRequest, ListGroupsOptions, NewGroup, Participant,
        ParticipantResult, RefusalReason, Role, SentMessage, UserId,
    };
    use crate::provider::waha::{Engine, Waha};
    use crate::provider::{Provider, ProviderKind};
    use crate::safety::{BudgetLine, SafetyBudget};

    /// Written by hand exactly as serde_json writes it.
    fn same<T: ToJson + Serialize>(value: T) {
        assert_eq!(value.to_json(), serde_json::to_string(&value).unwrap());
    }

    fn gid(s: &str) -> GroupId {
        GroupId::new("id", s).unwrap()
    }

    fn uid(s: &str) -> UserId {
        UserId::parse("id", s).unwrap()
    }

    fn member(full: bool) -> Participant {
        Participant {
            id: uid("5511988880000"),
            phone: full.then(|| "5511988880000".to_owned()),
            lid: full.then(|| UserId::from_provider("123@lid")),
            name: full.then(|| "Ana \"A\"\n".to_owned()),
            role: Role::Superadmin,
        }
    }

    fn result(full: bool) -> ParticipantResult {
        ParticipantResult {
            id: uid("5511988880000"),
            ok: !full,
            status: full.then_some(403),
            message: full.then(|| "privacy".to_owned()),
            reason: full.then_some(RefusalReason::NotOnWhatsapp),
            invited: full.then_some(false),
            invite_error: full.then(|| "no".to_owned()),
        }
    }

    fn group(full: bool) -> Group {
        Group {
            id: gid("1@g.us"),
            subject: "Team ✓".into(),
            description: full.then(|| "d".into()),
            creator: full.then(|| uid("5511988880001")),
            created_at: full.then_some(u64::MAX),
            size: full.then_some(3),
            participants: if full {
                vec![member(true), member(false)]
            } else {
                vec![]
            },
            added: full.then(|| vec![result(true), result(false)]),
        }
    }

    #[test]
    fn every_type_the_js_api_returns_is_written_as_serde_writes_it() {
        for full in [true, false] {
            same(member(full));
            same(group(full));
            same(result(full));
            same(vec![group(full), group(!full)]);
            same(GroupSettings {
                info_admin_only: Some(true),
                messages_admin_only: full.then_some(false),
                members_can_add: Some(false),
                approval_required: full.then_some(true),
            });
            same(Icon {
                url: "https://x/y.png".into(),
                mime_type: full.then(|| "image/png".into()),
            });
            same(JoinRequest {
                id: uid("5511988880000"),
                phone: full.then(|| "5511988880000".into()),
                method: full.then(|| "invite_link".into()),
                requested_at: full.then_some(1_700_000_000),
            });
            same(SentMessage {
                id: full.then(|| "true_1@g.us_ABC".into()),
            });
            same(MemberRow::new(
                gid("1@g.us"),
                "Team",
                uid("5511988880000"),
                full.then(|| "5511988880000".into()),
                full.then(|| UserId::from_provider("9@lid")),
                Role::Member,
            ));
            let mut event = InboundEvent::new(EventKind::ParticipantsChanged);
            if full {
                event.group_id = Some(gid("1@g.us"));
                event.from = Some(uid("5511988880000"));
                event.text = Some("hi".into());
                event.action = Some("add".into());
                event.participants = vec![member(true)];
                event.group = Some(group(true));
                event.timestamp = Some(1);
                event.event = Some("group.v2.participants".into());
                event.reply_to = Some(ReplyTo::new("1@g.us", RecipientType::Individual));
            }
            same(vec![event]);
            let line = BudgetLine {
                limit: 50,
                used: 3,
                left: 47,
                refills_at: full.then_some(9),
            };
            same(SafetyBudget {
                adds: Some(line.clone()),
                creates: full.then(|| line.clone()),
                joins: None,
            });
            same(BulkReport {
                succeeded: 1,
                failed: 1,
                outcomes: vec![
                    BulkOutcome {
                        index: 0,
                        ok: true,
                        code: None,
                        status: None,
                        message: None,
                    },
                    BulkOutcome {
                        index: 1,
                        ok: false,
                        code: Some("forbidden".into()),
                        status: Some(403),
                        message: Some("no".into()),
                    },
                ],
                throttled: 2,
                dry_run: full,
            });
        }
        for kind in [
            EventKind::GroupMessage,
            EventKind::DirectMessage,
            EventKind::GroupJoined,
            EventKind::GroupLeft,
            EventKind::GroupUpdated,
            EventKind::JoinRequest,
            EventKind::Unknown,
        ] {
            same(InboundEvent::new(kind));
        }
        for role in [Role::Admin, Role::Member] {
            same(role);
        }
        for reason in [
            RefusalReason::Privacy,
            RefusalReason::AlreadyMember,
            RefusalReason::RecentlyLeft,
            RefusalReason::GroupFull,
            RefusalReason::NotAdmin,
            RefusalReason::Other,
            RefusalReason::BudgetExceeded,
        ] {
            same(reason);
        }
        for kind in [
            ProviderKind::Waha,
            ProviderKind::Wavy,
            ProviderKind::Evolution,
        ] {
            same(kind);
        }
        same(Waha::new("default", "").unwrap().capabilities());
        same(ParsedMembers {
            rows: vec![ImportRow {
                line: 2,
                phone: "5511988880000".into(),
                action: MemberAction::Promote,
            }],
            errors: vec![ImportError {
                line: 3,
                reason: "bad".into(),
            }],
        });
        for action in [
            MemberAction::Add,
            MemberAction::Remove,
            MemberAction::Demote,
        ] {
            same(action);
        }
    }

    /// Read by hand exactly as serde reads it, or refused where serde refuses.
    fn read_same<T>(texts: &[&str])
    where
        T: FromJson + DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        for text in texts {
            let ours = from_text::<T>("arg", text);
            match serde_json::from_str::<T>(text) {
                Ok(theirs) => assert_eq!(ours.ok(), Some(theirs), "{text}"),
                Err(e) => {
                    let err = ours.expect_err(text);
                    assert_eq!(err.code(), crate::ErrorCode::InvalidInput, "{text}");
                    assert!(err.to_string().contains("arg"), "{err} ({e})");
                }
            }
        }
    }

    #[test]
    fn the_model_inputs_are_read_as_serde_reads_them() {
        read_same::<NewGroup>(&[
            r#"{"subject":"Team","participants":["5511988880000"]}"#,
            r#"{"subject":"Team"}"#,
            r#"{"subject":""}"#,
            r#"{"participants":[]}"#,
            r#"{"subject":1}"#,
            r#"{"subject":null}"#,
            r#"{"subject":"x","participants":"5511988880000"}"#,
            r#"{"subject":"x","participants":[1]}"#,
            r#"{"subjet":"x"}"#,
            r#"[]"#,
            r#""x""#,
        ]);
        read_same::<ListGroupsOptions>(&[
            r#"{}"#,
            r#"{"limit":5,"offset":0,"sortBy":"subject","sortOrder":"desc","participants":false}"#,
            r#"{"limit":null,"sortBy":null}"#,
            r#"{"limit":-1}"#,
            r#"{"limit":4294967296}"#,
            r#"{"limit":"5"}"#,
            r#"{"sortBy":"name"}"#,
            r#"{"sortOrder":"ASC"}"#,
            r#"{"participants":"no"}"#,
            r#"{"page":1}"#,
        ]);
        read_same::<GroupSettings>(&[
            r#"{}"#,
            r#"{"infoAdminOnly":true,"messagesAdminOnly":false,"membersCanAdd":true,"approvalRequired":false}"#,
            r#"{"infoAdminOnly":"yes"}"#,
            r#"{"adminsOnly":true}"#,
        ]);
        read_same::<MemberRow>(&[
            r#"{"groupId":"1@g.us","groupSubject":"T","id":"5511988880000@c.us","role":"admin"}"#,
            r#"{"groupId":"1@g.us","groupSubject":"T","id":"a@c.us","phone":"55","lid":"9@lid","role":"member"}"#,
            r#"{"groupId":"1@g.us","groupSubject":"T","id":"a@c.us","role":"owner"}"#,
            r#"{"groupId":"1@g.us","id":"a@c.us","role":"member"}"#,
            r#"{"groupId":"1@g.us","groupSubject":"T","id":"a@c.us","role":"member","extra":1}"#,
        ]);
        read_same::<Vec<MemberRow>>(&[r#"[]"#, r#"{}"#]);
        read_same::<ProviderKind>(&[r#""waha""#, r#""evolution""#, r#""WAHA""#, r#"1"#]);
        read_same::<Engine>(&[r#""NOWEB""#, r#""GOWS""#, r#""WEBJS""#, r#""noweb""#]);
        read_same::<Vec<String>>(&[r#"["a","b"]"#, r#"[]"#, r#"["a",1]"#, r#""a""#]);
    }

    #[test]
    fn refusals_name_what_was_wrong() {
        let message = |text: &str| {
            from_text::<NewGroup>("group", text)
                .unwrap_err()
                .to_string()
        };
        assert!(
            message(r#"{"subjet":"x"}"#)
                .contains("unknown field `subjet`, expected one of `subject`, `participants`")
        );
        assert!(message(r#"{}"#).contains("missing field `subject`"));
        assert!(message(r#"{"subject":null}"#).contains("invalid type: null, expected a string"));
        assert!(message(r#"[]"#).contains("invalid type: an array, expected an object"));
        let sort = from_text::<ListGroupsOptions>("options", r#"{"sortBy":"name"}"#).unwrap_err();
        assert!(
            sort.to_string()
                .contains("unknown variant `name`, expected one of `id`, `subject`"),
            "{sort}"
        );
    }
}

mod parser {
    use super::super::tree::{Node, parse};
    use serde_json::Value;

    /// Our tree as serde_json's (numbers as f64, which is how both are read).
    fn value(node: &Node<'_>) -> Value {
        match node {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(n) => serde_json::Number::from_f64(super::super::tree::number(n))
                .map_or(Value::Null, Value::Number),
            Node::String(s) => Value::String(s.to_string()),
            Node::Array(items) => Value::Array(items.iter().map(value).collect()),
            Node::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), value(v)))
                    .collect(),
            ),
        }
    }

    /// serde_json's value with every number as f64.
    fn as_f64(v: Value) -> Value {
        match v {
            Value::Number(n) => {
                serde_json::Number::from_f64(n.as_f64().unwrap()).map_or(Value::Null, Value::Number)
            }
            Value::Array(items) => Value::Array(items.into_iter().map(as_f64).collect()),
            Value::Object(map) => {
                Value::Object(map.into_iter().map(|(k, v)| (k, as_f64(v))).collect())
            }
            other => other,
        }
    }

    /// The same verdict as serde_json and, when both accept, the same value.
    fn agree(text: &[u8]) {
        let ours = parse(text);
        let theirs = serde_json::from_slice::<Value>(text);
        match (&ours, theirs) {
            (Ok(ours), Ok(theirs)) => assert_eq!(
                value(ours),
                as_f64(theirs),
                "{:?}",
                String::from_utf8_lossy(text)
            ),
            (Err(_), Err(_)) => {}
            (ours, theirs) => panic!(
                "{:?}: ours {:?}, serde_json {:?}",
                String::from_utf8_lossy(text),
                ours.as_ref().map(|_| "accepted"),
                theirs.map(|_| "accepted")
            ),
        }
    }

    fn fixtures() -> Vec<(std::path::PathBuf, Vec<u8>)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = Vec::new();
        for dir in [
            "provider/waha/fixtures",
            "provider/wavy/fixtures",
            "provider/evolution/fixtures",
            "events/fixtures",
        ] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "json") {
                    found.push((path.clone(), std::fs::read(&path).unwrap()));
                }
            }
        }
        assert!(found.len() > 40, "the providers' fixtures are found");
        found
    }

    #[test]
    fn reads_every_fixture_as_serde_json_does() {
        for (_, text) in fixtures() {
            agree(&text);
        }
    }

    #[test]
    fn agrees_with_serde_json_on_the_grammar() {
        let cases: &[&str] = &[
            "0",
            "-0",
            "1",
            "-1",
            "10",
            "1.5",
            "-1.5e3",
            "1E2",
            "1e-2",
            "0.1",
            "9007199254740993",
            "123456789012345",
            "1234567890123456",
            "18446744073709551615",
            "-9223372036854775808",
            "1.7976931348623157e308",
            "5e-324",
            "true",
            "false",
            "null",
            "\"\"",
            "\"a\\\"b\"",
            "\"\\u00e9\\n\\t\\/\\b\\f\\r\\\\\"",
            "\"\\ud83c\\udf89\"",
            "\"é🎉\"",
            "[]",
            "[1,2]",
            " [ 1 , [ ] , { } ] ",
            "{}",
            "{\"a\":1}",
            "{\"a\":{\"b\":[null]}}",
            // Refused by both.
            "",
            " ",
            "01",
            "-",
            "1.",
            ".1",
            "1e",
            "1e+",
            "+1",
            "0x1",
            "NaN",
            "Infinity",
            "tru",
            "nul",
            "[1,]",
            "[,1]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{a:1}",
            "{\"a\":}",
            "[1 2]",
            "\"abc",
            "\"a\\x\"",
            "\"\\u12\"",
            "\"\\u12g4\"",
            "\"tab\there\"",
            "[1]]",
            "{\"a\":1}}",
            "[",
            "{",
            "\"",
            "1 2",
            "[1] x",
        ];
        for case in cases {
            agree(case.as_bytes());
        }
    }

    #[test]
    fn agrees_with_serde_json_on_every_cut_and_flipped_byte_of_the_fixtures() {
        let mut cases = 0;
        for (_, text) in fixtures().into_iter().take(12) {
            for cut in (0..text.len()).step_by(7) {
                agree(&text[..cut]);
                let mut flipped = text.clone();
                for b in [b'"', b',', b'}', b']', b'\\', b'x', b'0', b' '] {
                    flipped[cut] = b;
                    agree(&flipped);
                    cases += 1;
                }
            }
        }
        assert!(cases > 1000, "{cases}");
    }

    #[test]
    fn what_differs_from_serde_json_is_what_json_parse_does() {
        // A lone surrogate: JSON.parse keeps it, serde_json refuses it; a Rust string cannot
        // hold it, so it becomes U+FFFD instead of failing the answer.
        assert_eq!(
            parse(br#""\ud83c!""#).unwrap(),
            Node::String("\u{fffd}!".into())
        );
        // A number too large for f64: JSON.parse gives Infinity, serde_json refuses it.
        assert_eq!(super::super::tree::number("1e400"), f64::INFINITY);
        assert_eq!(super::super::tree::number("-1e400"), f64::NEG_INFINITY);
        // A repeated key: the last value wins, where serde_json's Value would too.
        agree(br#"{"a":1,"b":2,"a":3}"#);
    }
}
