//! The crate's types as JSON, field by field: what the JS API hands back (and the model's
//! inputs it reads). The names are the ones serde's derive uses on these types — and so the
//! TypeScript declarations tsify makes from the same attributes; the tests below check each
//! type against serde_json's output, so a field added to a type and forgotten here fails.

use super::input::{FromJson, Object, from_json_enum};
use super::{Json, Out, ToJson, to_json_enum, to_json_object};
use crate::bulk::{BulkOutcome, BulkReport};
use crate::error::Result;
use crate::events::{EventKind, InboundEvent, RecipientType, ReplyTo};
use crate::members::{ImportError, ImportRow, MemberAction, MemberRow, ParsedMembers};
use crate::model::{
    Group, GroupId, GroupSettings, Icon, JoinRequest, ListGroupsOptions, NewGroup, Participant,
    ParticipantResult, RefusalReason, Role, SentMessage, SortBy, SortOrder, UserId,
};
use crate::provider::waha::Engine;
use crate::provider::{Capabilities, ProviderKind};
use crate::safety::{BudgetLine, SafetyBudget};

impl ToJson for GroupId {
    fn write_json(&self, out: &mut Out) {
        out.string(self.as_str());
    }
}

impl ToJson for UserId {
    fn write_json(&self, out: &mut Out) {
        out.string(self.as_str());
    }
}

to_json_enum!(Role { Superadmin = "superadmin", Admin = "admin", Member = "member" });
from_json_enum!(Role { Superadmin = "superadmin", Admin = "admin", Member = "member" });

to_json_object!(Participant {
    id: "id",
    #[opt]
    phone: "phone",
    #[opt]
    lid: "lid",
    #[opt]
    name: "name",
    role: "role",
});

to_json_object!(Group {
    id: "id",
    subject: "subject",
    #[opt]
    description: "description",
    #[opt]
    creator: "creator",
    #[opt]
    created_at: "createdAt",
    #[opt]
    size: "size",
    participants: "participants",
    #[opt]
    added: "added",
});

to_json_object!(GroupSettings {
    #[opt]
    info_admin_only: "infoAdminOnly",
    #[opt]
    messages_admin_only: "messagesAdminOnly",
    #[opt]
    members_can_add: "membersCanAdd",
    #[opt]
    approval_required: "approvalRequired",
});

to_json_enum!(RefusalReason {
    Privacy = "privacy",
    AlreadyMember = "already_member",
    RecentlyLeft = "recently_left",
    GroupFull = "group_full",
    NotOnWhatsapp = "not_on_whatsapp",
    NotAdmin = "not_admin",
    Other = "other",
    BudgetExceeded = "budget_exceeded",
});

to_json_object!(ParticipantResult {
    id: "id",
    ok: "ok",
    #[opt]
    status: "status",
    #[opt]
    message: "message",
    #[opt]
    reason: "reason",
    #[opt]
    invited: "invited",
    #[opt]
    invite_error: "inviteError",
});

to_json_object!(Icon {
    url: "url",
    #[opt]
    mime_type: "mimeType"
});

to_json_object!(JoinRequest {
    id: "id",
    #[opt]
    phone: "phone",
    #[opt]
    method: "method",
    #[opt]
    requested_at: "requestedAt",
});

to_json_object!(SentMessage {
    #[opt]
    id: "id"
});

to_json_enum!(ProviderKind { Waha = "waha", Wavy = "wavy", Evolution = "evolution" });
from_json_enum!(ProviderKind { Waha = "waha", Wavy = "wavy", Evolution = "evolution" });
from_json_enum!(Engine { Webjs = "WEBJS", Noweb = "NOWEB", Gows = "GOWS" });

to_json_object!(Capabilities {
    paging: "paging",
    create_with_participants: "createWithParticipants",
    description: "description",
    delete_group: "deleteGroup",
    refresh_groups: "refreshGroups",
    join_group: "joinGroup",
    join_info: "joinInfo",
    add_participants: "addParticipants",
    remove_participants: "removeParticipants",
    promote_admins: "promoteAdmins",
    demote_admins: "demoteAdmins",
    settings: "settings",
    settings_members_can_add: "settingsMembersCanAdd",
    settings_approval: "settingsApproval",
    join_requests: "joinRequests",
    icon: "icon",
    remove_icon: "removeIcon",
    revoke_returns_link: "revokeReturnsLink",
    send_text: "sendText",
});

to_json_object!(MemberRow {
    group_id: "groupId",
    group_subject: "groupSubject",
    id: "id",
    #[opt]
    phone: "phone",
    #[opt]
    lid: "lid",
    role: "role",
});

to_json_enum!(MemberAction { Add = "add", Remove = "remove", Promote = "promote", Demote = "demote" });
to_json_object!(ImportRow {
    line: "line",
    phone: "phone",
    action: "action"
});
to_json_object!(ImportError {
    line: "line",
    reason: "reason"
});
to_json_object!(ParsedMembers {
    rows: "rows",
    errors: "errors"
});

to_json_enum!(EventKind {
    GroupMessage = "groupMessage",
    DirectMessage = "directMessage",
    GroupJoined = "groupJoined",
    GroupLeft = "groupLeft",
    ParticipantsChanged = "participantsChanged",
    GroupUpdated = "groupUpdated",
    JoinRequest = "joinRequest",
    Unknown = "unknown",
});
to_json_enum!(RecipientType { Group = "group", Individual = "individual" });
to_json_object!(ReplyTo {
    destination: "destination",
    recipient_type: "recipientType"
});
to_json_object!(InboundEvent {
    kind: "kind",
    #[opt]
    group_id: "groupId",
    #[opt]
    from: "from",
    #[opt]
    text: "text",
    #[opt]
    action: "action",
    #[nonempty]
    participants: "participants",
    #[opt]
    group: "group",
    #[opt]
    timestamp: "timestamp",
    #[opt]
    event: "event",
    #[opt]
    reply_to: "replyTo",
});

to_json_object!(BudgetLine {
    limit: "limit",
    used: "used",
    left: "left",
    #[opt]
    refills_at: "refillsAt"
});
to_json_object!(SafetyBudget {
    #[opt]
    adds: "adds",
    #[opt]
    creates: "creates",
    #[opt]
    joins: "joins"
});

to_json_object!(BulkOutcome {
    index: "index",
    ok: "ok",
    #[opt]
    code: "code",
    #[opt]
    status: "status",
    #[opt]
    message: "message",
});
to_json_object!(BulkReport {
    succeeded: "succeeded",
    failed: "failed",
    outcomes: "outcomes",
    throttled: "throttled",
    dry_run: "dryRun",
});

// What the JS API reads into the model.

// Ids are read as serde's `transparent` reads them: the string as it is (a row the crate
// wrote, read back); the operations check them where they are used.
impl FromJson for GroupId {
    const EXPECTED: &'static str = "a string";
    fn read(v: &Json<'_>, _: &str) -> Result<Option<GroupId>> {
        Ok(v.string().map(GroupId::from_raw))
    }
}

impl FromJson for UserId {
    const EXPECTED: &'static str = "a string";
    fn read(v: &Json<'_>, _: &str) -> Result<Option<UserId>> {
        Ok(v.string().map(UserId::from_raw))
    }
}

impl FromJson for NewGroup {
    const EXPECTED: &'static str = "an object { subject, participants? }";
    fn read(v: &Json<'_>, field: &str) -> Result<Option<NewGroup>> {
        let o = Object::new(v, field, Self::EXPECTED, &["subject", "participants"])?;
        Ok(Some(NewGroup {
            subject: o.required("subject")?,
            participants: o.optional("participants")?.unwrap_or_default(),
        }))
    }
}

from_json_enum!(SortBy { Id = "id", Subject = "subject" });
from_json_enum!(SortOrder { Asc = "asc", Desc = "desc" });

impl FromJson for ListGroupsOptions {
    const EXPECTED: &'static str =
        "an object { limit?, offset?, sortBy?, sortOrder?, participants? }";
    fn read(v: &Json<'_>, field: &str) -> Result<Option<ListGroupsOptions>> {
        let o = Object::new(
            v,
            field,
            Self::EXPECTED,
            &["limit", "offset", "sortBy", "sortOrder", "participants"],
        )?;
        Ok(Some(ListGroupsOptions {
            limit: o.optional("limit")?,
            offset: o.optional("offset")?,
            sort_by: o.optional("sortBy")?,
            sort_order: o.optional("sortOrder")?,
            participants: o.optional("participants")?,
        }))
    }
}

impl FromJson for GroupSettings {
    const EXPECTED: &'static str =
        "an object { infoAdminOnly?, messagesAdminOnly?, membersCanAdd?, approvalRequired? }";
    fn read(v: &Json<'_>, field: &str) -> Result<Option<GroupSettings>> {
        let o = Object::new(
            v,
            field,
            Self::EXPECTED,
            &[
                "infoAdminOnly",
                "messagesAdminOnly",
                "membersCanAdd",
                "approvalRequired",
            ],
        )?;
        Ok(Some(GroupSettings {
            info_admin_only: o.optional("infoAdminOnly")?,
            messages_admin_only: o.optional("messagesAdminOnly")?,
            members_can_add: o.optional("membersCanAdd")?,
            approval_required: o.optional("approvalRequired")?,
        }))
    }
}

impl FromJson for MemberRow {
    const EXPECTED: &'static str = "a member row { groupId, groupSubject, id, phone?, lid?, role }";
    fn read(v: &Json<'_>, field: &str) -> Result<Option<MemberRow>> {
        let o = Object::new(
            v,
            field,
            Self::EXPECTED,
            &["groupId", "groupSubject", "id", "phone", "lid", "role"],
        )?;
        Ok(Some(MemberRow::new(
            o.required("groupId")?,
            o.required::<String>("groupSubject")?,
            o.required("id")?,
            o.optional("phone")?,
            o.optional("lid")?,
            o.required("role")?,
        )))
    }
}
