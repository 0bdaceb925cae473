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
    let mut keys = root.keys().unwrap();
    keys.sort();
    assert_eq!(keys, ["a", "b", "c", "list", "n", "o"]);
    assert_eq!(doc("[1, {\"a\": null}]").root().text(), r#"[1,{"a":null}]"#);
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
