//! Guild management routes a tickets/moderation bot uses, through twilight-http.

mod common;

use common::*;
use discord_sim::World;
use twilight_gateway::Event;
use twilight_model::channel::ChannelType;
use twilight_model::guild::Permissions;
use twilight_model::http::permission_overwrite::{PermissionOverwrite, PermissionOverwriteType};

#[tokio::test]
async fn channels_overwrites_threads_roles_pins_and_bulk_delete() {
    let sim = sim().await;
    let demo = sim.world().demo_ids().expect("demo");
    let http = http(&sim);
    let mut shard = shard(&sim);
    ready(&mut shard).await;

    // A private ticket channel under the tickets category.
    use twilight_model::channel::permission_overwrite::{
        PermissionOverwrite as Overwrite, PermissionOverwriteType as Kind,
    };
    let overwrites = [
        Overwrite {
            id: demo.guild.cast(),
            kind: Kind::Role,
            allow: Permissions::empty(),
            deny: Permissions::VIEW_CHANNEL,
        },
        Overwrite {
            id: demo.bob.cast(),
            kind: Kind::Member,
            allow: Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES,
            deny: Permissions::empty(),
        },
        // Without this the bot locks itself out of the ticket (as on Discord).
        Overwrite {
            id: demo.bot.cast(),
            kind: Kind::Member,
            allow: Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES,
            deny: Permissions::empty(),
        },
    ];
    let ticket = http
        .create_guild_channel(demo.guild, "ticket-bob")
        .kind(ChannelType::GuildText)
        .parent_id(demo.tickets)
        .permission_overwrites(&overwrites)
        .await
        .expect("create channel")
        .model()
        .await
        .expect("channel model");
    assert_eq!(ticket.parent_id, Some(demo.tickets));
    let created = next_matching(&mut shard, |e| match e {
        Event::ChannelCreate(c) => Some(c),
        _ => None,
    })
    .await;
    assert_eq!(created.id, ticket.id);
    // carol cannot post there; bob can.
    assert!(sim.try_send_message(demo.carol, ticket.id, "hi").is_err());
    sim.send_message(demo.bob, ticket.id, "I need help").await;

    let extra = PermissionOverwrite {
        id: demo.carol.cast(),
        kind: PermissionOverwriteType::Member,
        allow: Some(Permissions::VIEW_CHANNEL | Permissions::SEND_MESSAGES),
        deny: None,
    };
    http.update_channel_permission(ticket.id, &extra)
        .await
        .expect("overwrite");
    sim.send_message(demo.carol, ticket.id, "me too").await;
    http.delete_channel_permission(ticket.id)
        .member(demo.carol)
        .await
        .expect("remove overwrite");
    assert!(sim
        .try_send_message(demo.carol, ticket.id, "again")
        .is_err());

    // Threads: from a message and standalone.
    let m = http
        .create_message(demo.general)
        .content("discuss")
        .await
        .expect("msg")
        .model()
        .await
        .expect("model");
    let thread = http
        .create_thread_from_message(demo.general, m.id, "discussion")
        .await
        .expect("thread")
        .model()
        .await
        .expect("thread model");
    assert_eq!(
        thread
            .id
            .cast::<twilight_model::id::marker::MessageMarker>(),
        m.id
    );
    let private = http
        .create_thread(demo.general, "mods", ChannelType::PrivateThread)
        .await
        .expect("private thread")
        .model()
        .await
        .expect("model");
    http.create_message(private.id)
        .content("in thread")
        .await
        .expect("post in thread");
    next_matching(&mut shard, |e| {
        matches!(e, Event::ThreadCreate(_)).then_some(())
    })
    .await;

    // Roles: create, edit, assign, delete.
    let role = http
        .create_role(demo.guild)
        .name("Muted")
        .await
        .expect("role")
        .model()
        .await
        .expect("role model");
    assert_eq!(role.position, 1);
    http.update_role(demo.guild, role.id)
        .name(Some("Silenced"))
        .await
        .expect("edit role");
    http.add_guild_member_role(demo.guild, demo.carol, role.id)
        .await
        .expect("assign");
    assert!(sim
        .world()
        .find_member(demo.guild, demo.carol)
        .expect("carol")
        .roles
        .contains(&role.id));
    let err = http
        .create_role(demo.guild)
        .permissions(Permissions::ADMINISTRATOR)
        .await
        .expect_err("cannot grant admin");
    assert!(format!("{err:?}").contains("50013"));
    http.delete_role(demo.guild, role.id)
        .await
        .expect("delete role");
    assert!(sim.world().find_role(demo.guild, role.id).is_none());

    // Pins and bulk delete.
    http.create_pin(demo.general, m.id).await.expect("pin");
    assert!(sim.world().find_message(m.id).expect("msg").pinned);
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(
            http.create_message(demo.general)
                .content(&format!("spam {i}"))
                .await
                .expect("spam")
                .model()
                .await
                .expect("model")
                .id,
        );
    }
    http.delete_messages(demo.general, &ids)
        .await
        .expect("bulk delete");
    assert!(ids.iter().all(|id| sim.world().find_message(*id).is_none()));
    next_matching(&mut shard, |e| {
        matches!(e, Event::MessageDeleteBulk(_)).then_some(())
    })
    .await;
    let history = http
        .channel_messages(demo.general)
        .limit(10)
        .await
        .expect("history")
        .models()
        .await
        .expect("messages model");
    assert_eq!(history.first().map(|m| m.id), Some(m.id));

    http.delete_channel(ticket.id).await.expect("close ticket");
    assert!(sim.world().find_channel(ticket.id).is_none());
    sim.assert_no_violations();
}

#[tokio::test]
async fn team_owned_application_reports_the_team() {
    let mut world = World::demo();
    let alice = world.user_by_name("alice").expect("alice");
    let owner = world.owner_id();
    world.set_team(&[owner, alice]);
    let sim = sim_with(world, 1).await;
    let app = http(&sim)
        .current_user_application()
        .await
        .expect("app")
        .model()
        .await
        .expect("app model");
    let team = app.team.expect("team");
    assert_eq!(team.owner_user_id, owner);
    assert_eq!(team.members.len(), 2);
    sim.assert_no_violations();
}
