//! Native AutoMod rules, incident actions and the verification level, through twilight-http:
//! Manage Server is needed, Discord's per-guild caps hold (6 keyword rules, one preset rule),
//! a rule's trigger type stays, invites can be paused at most 24 hours ahead.

mod common;

use common::*;
use twilight_http::request::{Method, RequestBuilder};
use twilight_model::guild::{
    auto_moderation::{AutoModerationEventType, AutoModerationKeywordPresetType},
    Permissions, VerificationLevel,
};

#[tokio::test]
async fn automod_rules_need_manage_server_and_keep_discords_caps() {
    let sim = sim().await;
    let demo = sim.world().demo_ids().expect("demo");
    let http = http(&sim);

    // The demo bot lacks Manage Server: refused like Discord does.
    let refused = http
        .create_auto_moderation_rule(demo.guild, "words", AutoModerationEventType::MessageSend)
        .action_block_message()
        .with_keyword(&["spam"], &[], &[])
        .await
        .expect_err("no Manage Server");
    assert!(refused.to_string().contains("50013"), "{refused}");

    sim.modify_world(|w| w.grant_bot(demo.guild, Permissions::MANAGE_GUILD));
    let mut ids = Vec::new();
    for n in 0..6 {
        let rule = http
            .create_auto_moderation_rule(
                demo.guild,
                &format!("words {n}"),
                AutoModerationEventType::MessageSend,
            )
            .action_block_message_with_explanation("blocked")
            .exempt_channels(&[demo.logs])
            .enabled(true)
            .with_keyword(&["spam", "*scam*"], &["n[i1]tro"], &[])
            .await
            .expect("keyword rule")
            .model()
            .await
            .expect("rule model");
        assert_eq!(rule.guild_id, demo.guild);
        assert_eq!(rule.exempt_channels, vec![demo.logs]);
        assert_eq!(
            rule.trigger_metadata.keyword_filter.as_deref(),
            Some(&["spam".to_owned(), "*scam*".to_owned()][..])
        );
        ids.push(rule.id);
    }
    // A seventh keyword rule is over Discord's cap.
    let over = http
        .create_auto_moderation_rule(demo.guild, "words 7", AutoModerationEventType::MessageSend)
        .action_block_message()
        .with_keyword(&["x"], &[], &[])
        .await
        .expect_err("cap");
    assert!(over.to_string().contains("400"), "{over}");
    // One preset rule, not two.
    let presets = [AutoModerationKeywordPresetType::Slurs];
    http.create_auto_moderation_rule(demo.guild, "presets", AutoModerationEventType::MessageSend)
        .action_block_message()
        .with_keyword_preset(&presets, &[])
        .await
        .expect("preset rule");
    assert!(http
        .create_auto_moderation_rule(demo.guild, "again", AutoModerationEventType::MessageSend)
        .action_block_message()
        .with_keyword_preset(&presets, &[])
        .await
        .is_err());
    assert_eq!(
        http.auto_moderation_rules(demo.guild)
            .await
            .expect("list")
            .models()
            .await
            .expect("rules")
            .len(),
        7
    );

    // Update in place, then delete: the rule is gone.
    let updated = http
        .update_auto_moderation_rule(demo.guild, ids[0])
        .name("renamed")
        .enabled(false)
        .await
        .expect("update")
        .model()
        .await
        .expect("model");
    assert_eq!((updated.name.as_str(), updated.enabled), ("renamed", false));
    http.delete_auto_moderation_rule(demo.guild, ids[0])
        .await
        .expect("delete");
    assert!(http.auto_moderation_rule(demo.guild, ids[0]).await.is_err());
    assert_eq!(sim.with_world(|w| w.automod_rules_of(demo.guild)).len(), 6);

    // The violations are exactly the two refused over-cap creations.
    let violations = sim.violations();
    assert_eq!(violations.len(), 2, "{violations:?}");
    sim.shutdown().await;
}

#[tokio::test]
async fn raid_protection_pauses_invites_and_raises_verification() {
    let sim = sim().await;
    let demo = sim.world().demo_ids().expect("demo");
    let http = http(&sim);
    sim.modify_world(|w| w.grant_bot(demo.guild, Permissions::MANAGE_GUILD));

    let until =
        twilight_model::util::Timestamp::from_secs(i64::try_from(now_ms() / 1000).unwrap() + 3600)
            .unwrap()
            .iso_8601()
            .to_string();
    let put = |body: serde_json::Value| {
        RequestBuilder::raw(
            Method::Put,
            format!("guilds/{}/incident-actions", demo.guild),
        )
        .json(&body)
        .build()
        .unwrap()
    };
    http.request::<serde_json::Value>(put(
        serde_json::json!({"invites_disabled_until": until, "dms_disabled_until": null}),
    ))
    .await
    .expect("pause invites");
    assert_eq!(
        sim.with_world(|w| w.invites_paused_until(demo.guild)),
        Some(until)
    );
    http.request::<serde_json::Value>(put(
        serde_json::json!({"invites_disabled_until": null, "dms_disabled_until": null}),
    ))
    .await
    .expect("lift");
    assert_eq!(sim.with_world(|w| w.invites_paused_until(demo.guild)), None);
    // More than 24 hours ahead is refused.
    let far = twilight_model::util::Timestamp::from_secs(
        i64::try_from(now_ms() / 1000).unwrap() + 3 * 86_400,
    )
    .unwrap()
    .iso_8601()
    .to_string();
    assert!(http
        .request::<serde_json::Value>(put(serde_json::json!({"invites_disabled_until": far})))
        .await
        .is_err());

    let guild = http
        .update_guild(demo.guild)
        .verification_level(Some(VerificationLevel::VeryHigh))
        .await
        .expect("verification")
        .model()
        .await
        .expect("guild");
    assert_eq!(guild.verification_level, VerificationLevel::VeryHigh);
    assert_eq!(sim.with_world(|w| w.verification_level(demo.guild)), 4);
    sim.shutdown().await;
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(0))
}
