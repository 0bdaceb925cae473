//! Adds WhatsApp refuses for the group's sake rather than the person's (issue 14, "The
//! sandbox"): someone removed a moment ago → 408 "recently left" (an invite still brings
//! them back), a group at 1,024 members → 419 "group full". Read through the real client,
//! so each WAHA engine's answer must carry the code where that engine puts it (WEBJS `code`,
//! NOWEB `status`, GOWS `Error`: research `waha-lids-mentions-adds.md` §3). Also: a member
//! kept by LID (hidden number) is removed when named by phone, as WhatsApp resolves it.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;
use wa_groups::model::{GroupId, ParticipantChange, RefusalReason};

const ENGINES: [&str; 3] = ["webjs", "noweb", "gows"];
const PERSON: &str = "5511977770001";
const OTHER: &str = "5511977770002";

fn gid(id: &str) -> GroupId {
    GroupId::new("groupId", id).unwrap()
}

#[tokio::test]
async fn someone_removed_a_moment_ago_is_refused_as_recently_left_but_an_invite_works() {
    let router = sandbox();
    for session in ENGINES {
        let client = client(&router, "sandbox", session);
        let id = create_waha_group(
            &router,
            session,
            json!({"name": "Left", "participants": [{"id": format!("{PERSON}@c.us")}]}),
        )
        .await;
        let people = [PERSON.to_owned(), OTHER.to_owned()];
        let removed = client
            .change_participants(&gid(&id), ParticipantChange::Remove, &people[..1])
            .await
            .unwrap();
        assert!(removed[0].ok, "{session}: {removed:?}");

        let added = client
            .change_participants(&gid(&id), ParticipantChange::Add, &people)
            .await
            .unwrap();
        assert!(!added[0].ok, "{session}: {added:?}");
        assert_eq!(added[0].status, Some(408), "{session}: {added:?}");
        assert_eq!(
            added[0].reason,
            Some(RefusalReason::RecentlyLeft),
            "{session}"
        );
        assert!(
            added[1].ok,
            "{session}: the other person is added: {added:?}"
        );

        // The invite link is how they come back (WhatsApp FAQ, research user-needs.md).
        let link = client.get_invite_link(&gid(&id)).await.unwrap();
        let (status, body) = send(
            &router,
            post_json(
                "/_sandbox/join",
                None,
                json!({"link": link, "phone": PERSON}),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{session}: {body}");
        let members = client.list_participants(&gid(&id)).await.unwrap();
        assert!(
            members.iter().any(|m| m.phone.as_deref() == Some(PERSON)),
            "{session}: {members:?}"
        );
    }
}

#[tokio::test]
async fn a_group_of_1024_members_refuses_more_as_full() {
    let router = sandbox();
    for session in ENGINES {
        let client = client(&router, "sandbox", session);
        // 1,023 members and the account: full.
        let members: Vec<_> = (0..1023)
            .map(|i| json!({"id": format!("55118{i:08}@c.us")}))
            .collect();
        let id = create_waha_group(
            &router,
            session,
            json!({"name": "Full", "participants": members}),
        )
        .await;
        assert_eq!(
            client.list_participants(&gid(&id)).await.unwrap().len(),
            1024,
            "{session}"
        );
        let added = client
            .change_participants(&gid(&id), ParticipantChange::Add, &[PERSON.to_owned()])
            .await
            .unwrap();
        assert!(!added[0].ok, "{session}: {added:?}");
        assert_eq!(added[0].status, Some(419), "{session}: {added:?}");
        assert_eq!(added[0].reason, Some(RefusalReason::GroupFull), "{session}");

        // One removed makes room for one (not for them: they left a moment ago).
        let one = ["5511800000000".to_owned()];
        client
            .change_participants(&gid(&id), ParticipantChange::Remove, &one)
            .await
            .unwrap();
        let added = client
            .change_participants(
                &gid(&id),
                ParticipantChange::Add,
                &[PERSON.to_owned(), OTHER.to_owned()],
            )
            .await
            .unwrap();
        assert!(added[0].ok, "{session}: {added:?}");
        assert_eq!(added[1].reason, Some(RefusalReason::GroupFull), "{session}");
    }
}

#[tokio::test]
async fn a_member_kept_by_lid_is_removed_when_named_by_phone() {
    let router = sandbox();
    let (status, body) = send(
        &router,
        post_json(
            "/_sandbox/people",
            None,
            json!({"phone": PERSON, "hiddenNumber": true}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for session in ENGINES {
        let client = client(&router, "sandbox", session);
        let id = create_waha_group(
            &router,
            session,
            json!({"name": "Hidden", "participants": [{"id": format!("{PERSON}@c.us")}]}),
        )
        .await;
        let before = client.list_participants(&gid(&id)).await.unwrap();
        assert_eq!(before.len(), 2, "{session}: {before:?}");
        assert!(
            before
                .iter()
                .all(|m| m.id.as_str() != format!("{PERSON}@c.us")),
            "{session}: kept by LID: {before:?}"
        );
        let removed = client
            .change_participants(&gid(&id), ParticipantChange::Remove, &[PERSON.to_owned()])
            .await
            .unwrap();
        assert!(removed[0].ok, "{session}: {removed:?}");
        let after = client.list_participants(&gid(&id)).await.unwrap();
        assert_eq!(after.len(), 1, "{session}: {after:?}");
    }
}
