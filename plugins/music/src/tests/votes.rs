//! Vote-skip thresholds over the listeners (bots left out) and the DJ rules.

use arsenal_plugin_api::{
    command::Command,
    model::guild::Permissions,
    protocol::{CommandInvocation, Invoker},
    testing::GUILD_ID,
};
use serde_json::json;

use super::*;

/// Alice's two tracks play in STAGE with Bob, Carol, Dave, the bot and another bot there.
fn crowded() -> (H, Voice) {
    let (h, voice) = playing_queue(&["one", "two"]);
    for user in [BOB, CAROL, DAVE, BOT, OTHER_BOT] {
        voice.put(user, Some(STAGE));
    }
    (h, voice)
}

/// The other bot's voice state arrives, so the module knows it is a bot.
fn other_bot_joins(h: &mut H) {
    h.event(
        "VOICE_STATE_UPDATE",
        &json!({
            "guild_id": GUILD_ID.to_string(), "channel_id": STAGE.to_string(),
            "user_id": OTHER_BOT.to_string(), "session_id": "s", "deaf": false, "mute": false,
            "self_deaf": false, "self_mute": false, "self_video": false, "suppress": false,
            "request_to_speak_timestamp": null,
            "member": { "user": { "id": OTHER_BOT.to_string(), "username": "otherbot",
                "discriminator": "0", "avatar": null, "bot": true },
                "roles": [], "joined_at": null, "deaf": false, "mute": false, "flags": 0 }
        }),
    )
    .unwrap();
}

#[test]
fn a_vote_skips_once_more_than_half_of_the_listeners_voted() {
    let (mut h, _voice) = crowded();
    other_bot_joins(&mut h);
    // Listeners: Alice, Bob, Carol, Dave (4; both bots left out): 3 votes needed.
    let answer = run(&mut h, cmd(BOB, "voteskip", &[], vec![]));
    assert_eq!(answer, "Your vote counts: 1 of the 3 needed to skip.");
    let answer = run(&mut h, cmd(BOB, "voteskip", &[], vec![]));
    assert_eq!(
        answer, "Your vote counts: 1 of the 3 needed to skip.",
        "one vote each"
    );
    let answer = run(&mut h, cmd(CAROL, "voteskip", &[], vec![]));
    assert_eq!(answer, "Your vote counts: 2 of the 3 needed to skip.");
    assert_eq!(playing(&h).as_deref(), Some("e1"));
    let answer = run(&mut h, cmd(DAVE, "voteskip", &[], vec![]));
    assert_eq!(answer, "⏭ Skipped **one** (3 votes of 4 listeners).");
    assert_eq!(playing(&h).as_deref(), Some("e2"));
    assert!(
        stored_queue(&h).votes.is_empty(),
        "votes start again for the next track"
    );
}

#[test]
fn votes_of_members_who_left_no_longer_count_and_outsiders_cannot_vote() {
    let (mut h, voice) = crowded();
    other_bot_joins(&mut h);
    run(&mut h, cmd(BOB, "voteskip", &[], vec![]));
    run(&mut h, cmd(CAROL, "voteskip", &[], vec![]));
    voice.put(CAROL, Some(LOUNGE));
    // Listeners now Alice, Bob, Dave: 2 needed; Carol's vote is gone.
    let answer = run(&mut h, cmd(CAROL, "voteskip", &[], vec![]));
    assert_eq!(
        answer,
        "Only members listening in <#700> may vote: join it first."
    );
    let answer = run(&mut h, cmd(DAVE, "voteskip", &[], vec![]));
    assert_eq!(answer, "⏭ Skipped **one** (2 votes of 3 listeners).");
}

#[test]
fn a_bot_counts_as_a_listener_until_its_voice_state_shows_it_is_one() {
    // Alice, Bob, Carol and the other bot: 4 "listeners" (3 votes needed) until the other
    // bot's voice state arrives, then 3 (2 needed).
    let (mut h, voice) = playing_queue(&["one", "two"]);
    for user in [BOB, CAROL, BOT, OTHER_BOT] {
        voice.put(user, Some(STAGE));
    }
    let answer = run(&mut h, cmd(BOB, "voteskip", &[], vec![]));
    assert_eq!(answer, "Your vote counts: 1 of the 3 needed to skip.");
    other_bot_joins(&mut h);
    let answer = run(&mut h, cmd(CAROL, "voteskip", &[], vec![]));
    assert_eq!(answer, "⏭ Skipped **one** (2 votes of 3 listeners).");
    assert_eq!(
        h.stored(&format!("bots:{GUILD_ID}")),
        Some(json!([OTHER_BOT.to_string()]))
    );
}

#[test]
fn a_bot_the_host_knows_never_counts_as_a_listener() {
    // Alice, Bob, Carol and a bot the host's cache flags: 3 listeners (2 votes needed) from
    // the first vote, without its voice state ever reaching the module.
    let (mut h, voice) = playing_queue(&["one", "two"]);
    for user in [BOB, CAROL, BOT, OTHER_BOT] {
        voice.put(user, Some(STAGE));
    }
    voice.known_bot(OTHER_BOT);
    let answer = run(&mut h, cmd(BOB, "voteskip", &[], vec![]));
    assert_eq!(answer, "Your vote counts: 1 of the 2 needed to skip.");
}

fn dj_set(h: &mut H) {
    let invocation = h.slash_as(
        ALICE,
        Permissions::MANAGE_GUILD,
        "music",
        &["dj"],
        vec![arg(
            "role",
            arsenal_plugin_api::protocol::ArgValue::Role(DJ_ROLE),
        )],
    );
    assert_eq!(
        run(h, invocation),
        "DJ role set to <@&600>: its members and managers control the music; everyone may add tracks and vote to skip."
    );
}

fn as_dj(mut invocation: CommandInvocation) -> CommandInvocation {
    invocation.invoker.roles.push(DJ_ROLE);
    invocation
}

fn manager(invocation: CommandInvocation) -> CommandInvocation {
    CommandInvocation {
        invoker: Invoker {
            permissions: Permissions::MANAGE_CHANNELS,
            ..invocation.invoker
        },
        ..invocation
    }
}

#[test]
fn with_a_dj_role_only_djs_and_managers_control_the_music() {
    let (mut h, _voice) = crowded();
    dj_set(&mut h);
    play(&mut h, BOB, "bobs song");
    let refused = "Only DJs (<@&600>) and managers may do that";
    for (name, args) in [
        ("clear", vec![]),
        ("shuffle", vec![]),
        ("move", vec![int("from", 1), int("to", 2)]),
        ("seek", vec![text("time", "0:10")]),
        ("volume", vec![int("percent", 50)]),
        ("loop", vec![text("mode", "track")]),
        ("pause", vec![]),
        ("leave", vec![]),
    ] {
        let answer = run(&mut h, cmd(CAROL, name, &[], args.clone()));
        assert!(answer.starts_with(refused), "{name}: {answer}");
        let answer = run(&mut h, as_dj(cmd(CAROL, name, &[], args)));
        assert!(!answer.starts_with(refused), "{name} by a DJ: {answer}");
    }
}

#[test]
fn members_remove_their_own_tracks_but_not_others_without_the_dj_role() {
    let (mut h, _voice) = crowded();
    dj_set(&mut h);
    play(&mut h, BOB, "bobs song");
    play(&mut h, CAROL, "carols song");
    // Queue after "one": two (Alice), bobs song, carols song.
    let answer = run(&mut h, cmd(BOB, "remove", &[], vec![int("position", 3)]));
    assert!(answer.starts_with("Only DJs"), "{answer}");
    let answer = run(&mut h, cmd(BOB, "remove", &[], vec![int("position", 2)]));
    assert_eq!(answer, "Removed **bobs song**.");
    let answer = run(
        &mut h,
        manager(cmd(BOB, "remove", &[], vec![int("position", 2)])),
    );
    assert_eq!(answer, "Removed **carols song**.");
}

#[test]
fn skip_is_at_once_for_the_requester_and_djs_and_a_vote_for_others() {
    let (mut h, _voice) = crowded();
    other_bot_joins(&mut h);
    dj_set(&mut h);
    let answer = run(&mut h, cmd(BOB, "skip", &[], vec![]));
    assert_eq!(answer, "Your vote counts: 1 of the 3 needed to skip.");
    let answer = run(&mut h, cmd(ALICE, "voteskip", &[], vec![]));
    assert_eq!(answer, "⏭ Skipped **one**.", "the requester skips at once");
    let answer = run(&mut h, as_dj(cmd(CAROL, "voteskip", &[], vec![])));
    assert_eq!(answer, "⏭ Skipped **two**.", "a DJ skips at once");
}

#[test]
fn without_a_dj_role_anyone_skips_but_voteskip_still_votes() {
    let (mut h, _voice) = crowded();
    other_bot_joins(&mut h);
    let answer = run(&mut h, cmd(BOB, "voteskip", &[], vec![]));
    assert_eq!(answer, "Your vote counts: 1 of the 3 needed to skip.");
    let answer = run(&mut h, cmd(BOB, "skip", &[], vec![]));
    assert_eq!(answer, "⏭ Skipped **one**.");
}

#[test]
fn only_managers_set_the_dj_role_and_it_can_be_removed() {
    // The host enforces the subcommand's permission for slash and prefix alike.
    let spec = crate::command::MusicCommand::spec();
    assert_eq!(
        spec.subcommand_permissions.get("dj").map(String::as_str),
        Some(Permissions::MANAGE_GUILD.bits().to_string().as_str())
    );
    assert!(!spec.subcommand_permissions.contains_key("prefs"));
    let (mut h, _voice) = start();
    dj_set(&mut h);
    let invocation = h.slash_as(ALICE, Permissions::MANAGE_GUILD, "music", &["dj"], vec![]);
    assert_eq!(
        run(&mut h, invocation),
        "No DJ role any more: everyone may control the music."
    );
    assert_eq!(
        h.stored(&format!("settings:{GUILD_ID}")),
        Some(json!({ "dj_role": null }))
    );
}
