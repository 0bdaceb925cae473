use super::{Doc, Kind, Out, ToJson};

fn doc(text: &str) -> Doc {
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
}

#[test]
fn refuses_what_is_not_json() {
    for bad in ["", "{", "<html>", "{\"a\":1,}", "[1 2]"] {
        assert!(Doc::parse(bad.as_bytes()).is_err(), "{bad:?}");
    }
    assert_eq!(
        Doc::parse(&[b'"', 0xff, b'"']).err().as_deref(),
        Some("it is not UTF-8 text")
    );
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
