//! Wavy MOs: a batch `{"total":N,"data":[{source, origin, message:{type, messageText,
//! waGroupId?}, …}]}` (`wavy-groups-api.md`, "Group MO").

use super::json::{group_id_of, text, unix_seconds};
use super::{EventKind, InboundEvent, RecipientType, ReplyTo};
use crate::json::Json;
use crate::model::UserId;

/// A batch into one event per MO; anything that is not a batch is one `unknown` event.
pub(super) fn parse(value: &Json<'_>) -> Vec<InboundEvent> {
    match value.get("data").and_then(|data| data.items()) {
        Some(batch) => batch.iter().map(mo).collect(),
        None => vec![InboundEvent::new(EventKind::Unknown)],
    }
}

/// One MO. `message.waGroupId` set and non-empty ⇒ a group message, answered in the group;
/// otherwise a direct message from `source`. Treating a group MO as direct would answer it
/// privately, which Wavy may bill as an HSM.
fn mo(entry: &Json<'_>) -> InboundEvent {
    let Some(message) = entry.get("message").filter(|m| m.is_object()) else {
        return InboundEvent::new(EventKind::Unknown);
    };
    let source = text(entry.get("source"));
    let group = text(message.get("waGroupId"))
        .map(|id| id.trim().to_owned())
        .and_then(group_id_of);
    let mut event = match group {
        Some(group) => {
            let mut event = InboundEvent::new(EventKind::GroupMessage);
            event.reply_to = Some(ReplyTo::new(group.as_str(), RecipientType::Group));
            event.group_id = Some(group);
            event
        }
        None => {
            let Some(source) = &source else {
                // A message from no one cannot be answered: not a usable direct message.
                return InboundEvent::new(EventKind::Unknown);
            };
            let mut event = InboundEvent::new(EventKind::DirectMessage);
            event.reply_to = Some(ReplyTo::new(source.as_str(), RecipientType::Individual));
            event
        }
    };
    event.from = source.map(|s| UserId::from_provider(&s));
    event.text = message
        .get("messageText")
        .and_then(|t| t.string())
        .filter(|t| !t.is_empty());
    // Not in the groups document; regular MOs are stamped `receivedAt` (ms).
    event.timestamp = unix_seconds(entry.get("receivedAt"));
    event
}
