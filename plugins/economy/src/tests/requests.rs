//! `member.stats`, as giveaways and profiles ask it through the host.

use arsenal_plugin_api::{abi::ErrorCode, protocol::ModuleRequest, testing::GUILD_ID};

use super::*;

#[test]
fn member_stats_answers_the_members_wallet_bank_level_and_xp_in_the_asking_server() {
    let mut h = start();
    // Never used economy: zeros.
    let stats = h
        .request(
            "giveaways",
            "member.stats",
            json!({"user_id": BOB.to_string()}),
        )
        .unwrap();
    assert_eq!(stats, json!({"balance": 0, "bank": 0, "level": 0, "xp": 0}));

    // A daily claim and a deposit, through the commands, then XP (300: level 2 on the curve).
    run(&mut h, BOB, &["daily"], vec![]);
    run(&mut h, BOB, &["deposit"], vec![text("amount", "40")]);
    let key = format!("guild:{GUILD_ID}:user:{BOB}");
    let mut account = h.stored(&key).unwrap();
    account["xp"] = json!(300);
    h.set_stored(&key, account);
    let stats = h
        .request(
            "profiles",
            "member.stats",
            json!({"user_id": BOB.to_string()}),
        )
        .unwrap();
    assert_eq!(
        stats,
        json!({"balance": 60, "bank": 40, "level": 2, "xp": 300})
    );

    // The same member in another server is another account; the payload cannot name a server.
    let mut elsewhere = ModuleRequest::new(
        "giveaways",
        "member.stats",
        json!({"user_id": BOB.to_string(), "guild_id": GUILD_ID.to_string()}),
    );
    elsewhere.guild_id = Some(Id::new(77));
    assert_eq!(
        h.request_with(&elsewhere).unwrap(),
        json!({"balance": 0, "bank": 0, "level": 0, "xp": 0})
    );

    // No server, or no member: an invalid request, never a panic.
    let mut nowhere = ModuleRequest::new("giveaways", "member.stats", json!({"user_id": "20"}));
    nowhere.guild_id = None;
    assert_eq!(
        h.request_with(&nowhere).unwrap_err().kind(),
        ErrorCode::Invalid
    );
    let malformed = h
        .request("giveaways", "member.stats", json!({"user": "bob"}))
        .unwrap_err();
    assert_eq!(malformed.kind(), ErrorCode::Invalid);
}
