//! Saved playlists: a member's and a server's, names, limits, and isolation.

use arsenal_plugin_api::{model::guild::Permissions, protocol::ArgValue, testing::GUILD_ID};

use super::*;

fn playlist(h: &mut H, user: Id<UserMarker>, sub: &str, name: &str, server: bool) -> String {
    let mut args = vec![text("name", name)];
    if server {
        args.push(arg("server", ArgValue::Boolean(true)));
    }
    let invocation = cmd(user, "playlist", &[sub], args);
    run(h, invocation)
}

#[test]
fn a_member_saves_the_queue_and_loads_it_later() {
    let (mut h, voice) = playing_queue(&["one", "two", "three"]);
    assert_eq!(
        playlist(&mut h, ALICE, "save", "Road Trip", false),
        "Saved **Road Trip** (3 tracks)."
    );
    run(&mut h, cmd(ALICE, "leave", &[], vec![]));
    voice.put(ALICE, Some(STAGE));
    // Loaded by any case of its name.
    assert_eq!(
        playlist(&mut h, ALICE, "load", "road trip", false),
        "Added 3 tracks from **Road Trip**."
    );
    assert_eq!(stored_queue(&h).now.unwrap().title, "one");
    assert_eq!(upcoming(&h), ["two", "three"]);
    assert!(playing(&h).is_some());
    let shown = playlist(&mut h, ALICE, "show", "Road Trip", false);
    assert!(shown.contains("`3.` three"), "{shown}");
    assert_eq!(
        playlist(&mut h, ALICE, "save", "road trip", false),
        "Replaced **road trip** (3 tracks)."
    );
    assert_eq!(
        playlist(&mut h, ALICE, "delete", "Road Trip", false),
        "Deleted **Road Trip**."
    );
    assert!(playlist(&mut h, ALICE, "load", "Road Trip", false).contains("There is no playlist"));
}

#[test]
fn a_members_playlists_are_theirs_and_server_playlists_need_a_manager() {
    let (mut h, voice) = playing_queue(&["one"]);
    voice.put(BOB, Some(STAGE));
    playlist(&mut h, ALICE, "save", "mine", false);
    assert!(playlist(&mut h, BOB, "load", "mine", false).contains("There is no playlist **mine**"));
    assert!(playlist(&mut h, BOB, "delete", "mine", false).contains("There is no playlist"));
    let answer = playlist(&mut h, BOB, "save", "party", true);
    assert!(answer.starts_with("Only DJs and managers"), "{answer}");
    let invocation = h.slash_as(
        ALICE,
        Permissions::MANAGE_GUILD,
        "playlist",
        &["save"],
        vec![
            text("name", "party"),
            arg("server", ArgValue::Boolean(true)),
        ],
    );
    assert_eq!(run(&mut h, invocation), "Saved **party** (1 track).");
    // Anyone in the server loads it; Bob cannot delete it.
    assert_eq!(
        playlist(&mut h, BOB, "load", "party", false),
        "Added 1 track from **party**."
    );
    assert!(playlist(&mut h, BOB, "delete", "party", true).starts_with("Only DJs"));
    let list = run(&mut h, cmd(BOB, "playlist", &["list"], vec![]));
    assert_eq!(
        list,
        "👤 **Your playlists**\nnone\n🏠 **This server's playlists**\n• party (1)"
    );
    // Another server sees none of this server's playlists.
    let mut other = cmd(BOB, "playlist", &["load"], vec![text("name", "party")]);
    other.invoker.guild_id = Some(OTHER_GUILD);
    assert!(run(&mut h, other).contains("There is no playlist"));
    assert_eq!(h.stored_keys(&format!("pl:g:{GUILD_ID}:")).len(), 1);
}

#[test]
fn names_and_limits_are_checked_with_clear_messages() {
    let (mut h, _voice) = playing_queue(&["one"]);
    for bad in ["", "   ", "a/b", "x".repeat(33).as_str(), "emoji 🎵"] {
        let answer = playlist(&mut h, ALICE, "save", bad, false);
        assert!(
            answer.contains("is not a playlist name"),
            "{bad:?}: {answer}"
        );
    }
    for i in 0..25 {
        assert!(playlist(&mut h, ALICE, "save", &format!("list {i}"), false).starts_with("Saved"));
    }
    let answer = playlist(&mut h, ALICE, "save", "one more", false);
    assert_eq!(
        answer,
        "There are already 25 playlists here: delete one with `/playlist delete` first."
    );
    // Replacing one of them is still allowed.
    assert!(playlist(&mut h, ALICE, "save", "list 3", false).starts_with("Replaced"));
    let tracks: Vec<String> = (0..101).map(|i| format!("t{i}")).collect();
    for t in &tracks {
        play(&mut h, ALICE, t);
    }
    let answer = playlist(&mut h, ALICE, "save", "huge", false);
    assert!(
        answer.starts_with("The queue holds 102 tracks; a playlist holds at most 100."),
        "{answer}"
    );
}

#[test]
fn saving_an_empty_queue_is_refused() {
    let (mut h, _voice) = start();
    assert_eq!(
        playlist(&mut h, ALICE, "save", "nothing", false),
        "The queue is empty: there is nothing to save."
    );
}
