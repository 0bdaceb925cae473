//! The metadata cache over every provider: a cached client reads once, keeps what it read
//! for its ttl (a change made elsewhere shows once forgotten), and shows its own writes at
//! once, in the group and in the listings.

use wa_groups::cache::CachePolicy;
use wa_groups::http::Transport;
use wa_groups::model::{NewGroup, ParticipantChange};

use super::Env;

pub async fn a_cached_client_keeps_reads_and_shows_its_own_writes<T: Transport + Clone>(
    env: &Env<T>,
) {
    let cached = env
        .client
        .with_transport(env.control.clone())
        .with_cache(CachePolicy { ttl_ms: 600_000 });
    let listed = |groups: &[wa_groups::model::Group], id: &wa_groups::model::GroupId| {
        groups
            .iter()
            .find(|g| &g.id == id)
            .map(|g| g.subject.clone())
    };
    cached.list_groups(&Default::default()).await.expect("list");
    let id = cached
        .create_group(&NewGroup {
            subject: env.subject("Cached"),
            // Evolution creates a group only with a first member.
            participants: if cached.capabilities().create_with_participants {
                vec![env.phone(1)]
            } else {
                vec![]
            },
        })
        .await
        .expect("create_group")
        .id;
    let groups = cached.list_groups(&Default::default()).await.unwrap();
    assert_eq!(
        listed(&groups, &id),
        Some(env.subject("Cached")),
        "creating forgets the listings"
    );
    assert_eq!(
        cached.get_group(&id).await.unwrap().subject,
        env.subject("Cached")
    );

    // A rename made elsewhere is not seen within the ttl, until the group is forgotten.
    env.client
        .set_subject(&id, &env.subject("Elsewhere"))
        .await
        .expect("set_subject elsewhere");
    assert_eq!(
        cached.get_group(&id).await.unwrap().subject,
        env.subject("Cached")
    );
    cached.cache().expect("a cache").forget_group(&id);
    assert_eq!(
        cached.get_group(&id).await.unwrap().subject,
        env.subject("Elsewhere")
    );

    // Its own rename shows at once, in the group and in the listing.
    cached
        .set_subject(&id, &env.subject("Renamed"))
        .await
        .expect("set_subject");
    assert_eq!(
        cached.get_group(&id).await.unwrap().subject,
        env.subject("Renamed")
    );
    let groups = cached.list_groups(&Default::default()).await.unwrap();
    assert_eq!(listed(&groups, &id), Some(env.subject("Renamed")));

    // So does a member it adds.
    if env.client.capabilities().add_participants {
        let member = env.phone(7);
        cached
            .change_participants(&id, ParticipantChange::Add, std::slice::from_ref(&member))
            .await
            .expect("add");
        let group = cached.get_group(&id).await.unwrap();
        assert!(
            group
                .participants
                .iter()
                .any(|p| p.phone.as_deref() == Some(member.as_str())),
            "{group:?}"
        );
    }
}
