//! miniserde: its derive knows `rename` but no aliases, no `default`, no `deserialize_with`
//! and no "string or object" (`deserialize_any`), so every raw struct is read by a
//! hand-written `Visitor` / `Map` (the code its derive would generate, with the aliases
//! added). miniserde has no borrowed keys and no error details: any failure is one
//! `miniserde::Error`.

use miniserde::de::{Deserialize, Map, Seq, Visitor};
use miniserde::{Error, Result, make_place};

use crate::raw::{
    Jid, RawGroup, RawGroupList, RawNode, RawNodeAttrs, RawParticipant, RawParticipants, whole_f64,
};

make_place!(Place);

fn ignore_seq() -> Result<Box<dyn Seq>> {
    <dyn Visitor>::ignore().seq()
}

fn ignore_map() -> Result<Box<dyn Map>> {
    <dyn Visitor>::ignore().map()
}

/// `lenient::number`: a whole non-negative number or a numeric string; else `None`.
struct Num(Option<u64>);

impl Visitor for Place<Num> {
    fn null(&mut self) -> Result<()> {
        self.out = Some(Num(None));
        Ok(())
    }
    fn boolean(&mut self, _: bool) -> Result<()> {
        self.null()
    }
    fn string(&mut self, s: &str) -> Result<()> {
        self.out = Some(Num(s.trim().parse().ok()));
        Ok(())
    }
    fn negative(&mut self, _: i64) -> Result<()> {
        self.null()
    }
    fn nonnegative(&mut self, n: u64) -> Result<()> {
        self.out = Some(Num(Some(n)));
        Ok(())
    }
    fn float(&mut self, n: f64) -> Result<()> {
        self.out = Some(Num(whole_f64(n)));
        Ok(())
    }
    fn seq(&mut self) -> Result<Box<dyn Seq + '_>> {
        self.out = Some(Num(None));
        ignore_seq()
    }
    fn map(&mut self) -> Result<Box<dyn Map + '_>> {
        self.out = Some(Num(None));
        ignore_map()
    }
}

impl Deserialize for Num {
    fn begin(out: &mut Option<Self>) -> &mut dyn Visitor {
        Place::new(out)
    }
}

/// `lenient::text`: a non-blank string; anything else is `None`.
struct Text(Option<String>);

impl Visitor for Place<Text> {
    fn null(&mut self) -> Result<()> {
        self.out = Some(Text(None));
        Ok(())
    }
    fn boolean(&mut self, _: bool) -> Result<()> {
        self.null()
    }
    fn string(&mut self, s: &str) -> Result<()> {
        self.out = Some(Text((!s.trim().is_empty()).then(|| s.to_owned())));
        Ok(())
    }
    fn negative(&mut self, _: i64) -> Result<()> {
        self.null()
    }
    fn nonnegative(&mut self, _: u64) -> Result<()> {
        self.null()
    }
    fn float(&mut self, _: f64) -> Result<()> {
        self.null()
    }
    fn seq(&mut self) -> Result<Box<dyn Seq + '_>> {
        self.out = Some(Text(None));
        ignore_seq()
    }
    fn map(&mut self) -> Result<Box<dyn Map + '_>> {
        self.out = Some(Text(None));
        ignore_map()
    }
}

impl Deserialize for Text {
    fn begin(out: &mut Option<Self>) -> &mut dyn Visitor {
        Place::new(out)
    }
}

/// `raw::loose_bool`: a boolean, or `None` for anything else.
struct LooseBool(Option<bool>);

impl Visitor for Place<LooseBool> {
    fn null(&mut self) -> Result<()> {
        self.out = Some(LooseBool(None));
        Ok(())
    }
    fn boolean(&mut self, b: bool) -> Result<()> {
        self.out = Some(LooseBool(Some(b)));
        Ok(())
    }
    fn string(&mut self, _: &str) -> Result<()> {
        self.null()
    }
    fn negative(&mut self, _: i64) -> Result<()> {
        self.null()
    }
    fn nonnegative(&mut self, _: u64) -> Result<()> {
        self.null()
    }
    fn float(&mut self, _: f64) -> Result<()> {
        self.null()
    }
    fn seq(&mut self) -> Result<Box<dyn Seq + '_>> {
        self.out = Some(LooseBool(None));
        ignore_seq()
    }
    fn map(&mut self) -> Result<Box<dyn Map + '_>> {
        self.out = Some(LooseBool(None));
        ignore_map()
    }
}

impl Deserialize for LooseBool {
    fn begin(out: &mut Option<Self>) -> &mut dyn Visitor {
        Place::new(out)
    }
}

/// A string, or WEBJS's `{server, user, _serialized}`; `null` leaves the field absent.
impl Visitor for Place<Jid> {
    fn null(&mut self) -> Result<()> {
        Ok(())
    }
    fn string(&mut self, s: &str) -> Result<()> {
        self.out = Some(Jid(s.to_owned()));
        Ok(())
    }
    fn map(&mut self) -> Result<Box<dyn Map + '_>> {
        Ok(Box::new(JidBuilder {
            out: &mut self.out,
            serialized: None,
            user: None,
            server: None,
        }))
    }
}

struct JidBuilder<'a> {
    out: &'a mut Option<Jid>,
    serialized: Option<String>,
    user: Option<String>,
    server: Option<String>,
}

impl Map for JidBuilder<'_> {
    fn key(&mut self, k: &str) -> Result<&mut dyn Visitor> {
        Ok(match k {
            "_serialized" => Deserialize::begin(&mut self.serialized),
            "user" => Deserialize::begin(&mut self.user),
            "server" => Deserialize::begin(&mut self.server),
            _ => <dyn Visitor>::ignore(),
        })
    }
    fn finish(&mut self) -> Result<()> {
        *self.out = Some(match (self.serialized.take(), &self.user, &self.server) {
            (Some(s), _, _) => Jid(s),
            (None, Some(u), Some(s)) => Jid(format!("{u}@{s}")),
            _ => return Err(Error),
        });
        Ok(())
    }
}

impl Deserialize for Jid {
    fn begin(out: &mut Option<Self>) -> &mut dyn Visitor {
        Place::new(out)
    }
}

impl Visitor for Place<RawParticipant> {
    fn map(&mut self) -> Result<Box<dyn Map + '_>> {
        Ok(Box::new(ParticipantBuilder {
            out: &mut self.out,
            id: None,
            is_admin: None,
            is_super_admin: None,
            admin: None,
            role: None,
            phone_number: None,
            lid: None,
            content: None,
            outcome: None,
            invite_sent: None,
            message: None,
            name: None,
        }))
    }
}

struct ParticipantBuilder<'a> {
    out: &'a mut Option<RawParticipant>,
    id: Option<Jid>,
    is_admin: Option<bool>,
    is_super_admin: Option<bool>,
    admin: Option<Option<String>>,
    role: Option<Option<String>>,
    phone_number: Option<Jid>,
    lid: Option<Jid>,
    content: Option<RawNode>,
    outcome: Option<Num>,
    invite_sent: Option<LooseBool>,
    message: Option<Text>,
    name: Option<Text>,
}

impl Map for ParticipantBuilder<'_> {
    fn key(&mut self, k: &str) -> Result<&mut dyn Visitor> {
        Ok(match k {
            "id" | "JID" | "jid" => Deserialize::begin(&mut self.id),
            "isAdmin" | "IsAdmin" => Deserialize::begin(&mut self.is_admin),
            "isSuperAdmin" | "IsSuperAdmin" => Deserialize::begin(&mut self.is_super_admin),
            "admin" => Deserialize::begin(&mut self.admin),
            "role" => Deserialize::begin(&mut self.role),
            "phoneNumber" | "PhoneNumber" | "pn" => Deserialize::begin(&mut self.phone_number),
            "lid" | "LID" => Deserialize::begin(&mut self.lid),
            "content" => Deserialize::begin(&mut self.content),
            "Error" | "status" | "code" | "statusCode" => Deserialize::begin(&mut self.outcome),
            "isInviteV4Sent" => Deserialize::begin(&mut self.invite_sent),
            "message" => Deserialize::begin(&mut self.message),
            "name" => Deserialize::begin(&mut self.name),
            _ => <dyn Visitor>::ignore(),
        })
    }
    fn finish(&mut self) -> Result<()> {
        *self.out = Some(RawParticipant {
            id: self.id.take(),
            is_admin: self.is_admin.unwrap_or(false),
            is_super_admin: self.is_super_admin.unwrap_or(false),
            admin: self.admin.take().flatten(),
            role: self.role.take().flatten(),
            phone_number: self.phone_number.take(),
            lid: self.lid.take(),
            content: self.content.take(),
            outcome: self
                .outcome
                .take()
                .and_then(|n| n.0)
                .and_then(|n| u16::try_from(n).ok()),
            invite_sent: self.invite_sent.take().and_then(|b| b.0),
            message: self.message.take().and_then(|t| t.0),
            name: self.name.take().and_then(|t| t.0),
        });
        Ok(())
    }
}

impl Deserialize for RawParticipant {
    fn begin(out: &mut Option<Self>) -> &mut dyn Visitor {
        Place::new(out)
    }
}

impl Visitor for Place<RawNode> {
    fn map(&mut self) -> Result<Box<dyn Map + '_>> {
        Ok(Box::new(NodeBuilder {
            out: &mut self.out,
            attrs: None,
        }))
    }
}

struct NodeBuilder<'a> {
    out: &'a mut Option<RawNode>,
    attrs: Option<RawNodeAttrs>,
}

impl Map for NodeBuilder<'_> {
    fn key(&mut self, k: &str) -> Result<&mut dyn Visitor> {
        Ok(match k {
            "attrs" => Deserialize::begin(&mut self.attrs),
            _ => <dyn Visitor>::ignore(),
        })
    }
    fn finish(&mut self) -> Result<()> {
        *self.out = Some(RawNode {
            attrs: self.attrs.take().unwrap_or_default(),
        });
        Ok(())
    }
}

impl Deserialize for RawNode {
    fn begin(out: &mut Option<Self>) -> &mut dyn Visitor {
        Place::new(out)
    }
}

impl Visitor for Place<RawNodeAttrs> {
    fn map(&mut self) -> Result<Box<dyn Map + '_>> {
        Ok(Box::new(AttrsBuilder {
            out: &mut self.out,
            value: <RawNodeAttrs as Default>::default(),
        }))
    }
}

struct AttrsBuilder<'a> {
    out: &'a mut Option<RawNodeAttrs>,
    value: RawNodeAttrs,
}

impl Map for AttrsBuilder<'_> {
    fn key(&mut self, k: &str) -> Result<&mut dyn Visitor> {
        Ok(match k {
            "jid" => Deserialize::begin(&mut self.value.jid),
            "phone_number" => Deserialize::begin(&mut self.value.phone_number),
            "lid" => Deserialize::begin(&mut self.value.lid),
            _ => <dyn Visitor>::ignore(),
        })
    }
    fn finish(&mut self) -> Result<()> {
        *self.out = Some(std::mem::take(&mut self.value));
        Ok(())
    }
}

impl Deserialize for RawNodeAttrs {
    fn begin(out: &mut Option<Self>) -> &mut dyn Visitor {
        Place::new(out)
    }
}

/// A list of participants, or WEBJS's create result (a map id → outcome); `null` is none.
impl Visitor for Place<RawParticipants> {
    fn null(&mut self) -> Result<()> {
        self.out = Some(<RawParticipants as Default>::default());
        Ok(())
    }
    fn seq(&mut self) -> Result<Box<dyn Seq + '_>> {
        Ok(Box::new(ParticipantsBuilder {
            out: &mut self.out,
            list: Vec::new(),
            element: None,
            key: None,
        }))
    }
    fn map(&mut self) -> Result<Box<dyn Map + '_>> {
        Ok(Box::new(ParticipantsBuilder {
            out: &mut self.out,
            list: Vec::new(),
            element: None,
            key: None,
        }))
    }
}

struct ParticipantsBuilder<'a> {
    out: &'a mut Option<RawParticipants>,
    list: Vec<RawParticipant>,
    element: Option<RawParticipant>,
    /// The map form: the id each outcome is keyed by.
    key: Option<String>,
}

impl ParticipantsBuilder<'_> {
    fn shift(&mut self) {
        if let Some(mut p) = self.element.take() {
            if let Some(id) = self.key.take() {
                p.id = Some(Jid(id));
            }
            self.list.push(p);
        }
    }
}

impl Seq for ParticipantsBuilder<'_> {
    fn element(&mut self) -> Result<&mut dyn Visitor> {
        self.shift();
        Ok(Deserialize::begin(&mut self.element))
    }
    fn finish(&mut self) -> Result<()> {
        self.shift();
        *self.out = Some(RawParticipants {
            list: std::mem::take(&mut self.list),
            outcomes_only: false,
        });
        Ok(())
    }
}

impl Map for ParticipantsBuilder<'_> {
    fn key(&mut self, k: &str) -> Result<&mut dyn Visitor> {
        self.shift();
        self.key = Some(k.to_owned());
        Ok(Deserialize::begin(&mut self.element))
    }
    fn finish(&mut self) -> Result<()> {
        self.shift();
        *self.out = Some(RawParticipants {
            list: std::mem::take(&mut self.list),
            outcomes_only: true,
        });
        Ok(())
    }
}

impl Deserialize for RawParticipants {
    fn begin(out: &mut Option<Self>) -> &mut dyn Visitor {
        Place::new(out)
    }
}

impl Visitor for Place<RawGroup> {
    fn map(&mut self) -> Result<Box<dyn Map + '_>> {
        Ok(Box::new(GroupBuilder {
            out: &mut self.out,
            value: <RawGroup as Default>::default(),
            metadata: None,
            subject: None,
            name: None,
            desc: None,
            creation: None,
            group_created: None,
            size: None,
        }))
    }
}

struct GroupBuilder<'a> {
    out: &'a mut Option<RawGroup>,
    /// The fields whose place is an `Option<T>` of the raw struct itself.
    value: RawGroup,
    metadata: Option<RawGroup>,
    subject: Option<Option<String>>,
    name: Option<Option<String>>,
    desc: Option<Option<String>>,
    creation: Option<Num>,
    group_created: Option<Option<String>>,
    size: Option<Num>,
}

impl Map for GroupBuilder<'_> {
    fn key(&mut self, k: &str) -> Result<&mut dyn Visitor> {
        Ok(match k {
            "id" | "JID" => Deserialize::begin(&mut self.value.id),
            "gid" => Deserialize::begin(&mut self.value.gid),
            "groupMetadata" => Deserialize::begin(&mut self.metadata),
            "subject" | "Name" => Deserialize::begin(&mut self.subject),
            "name" | "title" => Deserialize::begin(&mut self.name),
            "desc" | "Topic" => Deserialize::begin(&mut self.desc),
            "owner" | "OwnerJID" => Deserialize::begin(&mut self.value.owner),
            "ownerPn" | "OwnerPN" => Deserialize::begin(&mut self.value.owner_pn),
            "creation" => Deserialize::begin(&mut self.creation),
            "GroupCreated" => Deserialize::begin(&mut self.group_created),
            "participants" | "Participants" => Deserialize::begin(&mut self.value.participants),
            "size" => Deserialize::begin(&mut self.size),
            _ => <dyn Visitor>::ignore(),
        })
    }
    fn finish(&mut self) -> Result<()> {
        let mut value = std::mem::take(&mut self.value);
        value.metadata = self.metadata.take().map(Box::new);
        value.subject = self.subject.take().flatten();
        value.name = self.name.take().flatten();
        value.desc = self.desc.take().flatten();
        value.creation = self.creation.take().and_then(|n| n.0);
        value.group_created = self.group_created.take().flatten();
        value.size = self
            .size
            .take()
            .and_then(|n| n.0)
            .and_then(|n| u32::try_from(n).ok());
        *self.out = Some(value);
        Ok(())
    }
}

impl Deserialize for RawGroup {
    fn begin(out: &mut Option<Self>) -> &mut dyn Visitor {
        Place::new(out)
    }
}

/// An array (WEBJS, GOWS) or an object keyed by group id (NOWEB).
impl Visitor for Place<RawGroupList> {
    fn seq(&mut self) -> Result<Box<dyn Seq + '_>> {
        Ok(Box::new(ListBuilder {
            out: &mut self.out,
            list: Vec::new(),
            element: None,
        }))
    }
    fn map(&mut self) -> Result<Box<dyn Map + '_>> {
        Ok(Box::new(ListBuilder {
            out: &mut self.out,
            list: Vec::new(),
            element: None,
        }))
    }
}

struct ListBuilder<'a> {
    out: &'a mut Option<RawGroupList>,
    list: Vec<RawGroup>,
    element: Option<RawGroup>,
}

impl Seq for ListBuilder<'_> {
    fn element(&mut self) -> Result<&mut dyn Visitor> {
        self.list.extend(self.element.take());
        Ok(Deserialize::begin(&mut self.element))
    }
    fn finish(&mut self) -> Result<()> {
        self.list.extend(self.element.take());
        *self.out = Some(RawGroupList(std::mem::take(&mut self.list)));
        Ok(())
    }
}

impl Map for ListBuilder<'_> {
    fn key(&mut self, _: &str) -> Result<&mut dyn Visitor> {
        Seq::element(self)
    }
    fn finish(&mut self) -> Result<()> {
        Seq::finish(self)
    }
}

impl Deserialize for RawGroupList {
    fn begin(out: &mut Option<Self>) -> &mut dyn Visitor {
        Place::new(out)
    }
}
