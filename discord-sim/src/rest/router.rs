//! Maps `(method, OpenAPI route template)` to the handler implementing it.

use super::{
    channels, commands, guilds, interactions, members, messages, meta, safety, webhooks, Ctx, Reply,
};

/// `None` when the route exists in Discord's API but the simulator does not implement it.
pub(crate) fn route(ctx: &Ctx<'_>) -> Option<Reply> {
    let reply = match (ctx.method, ctx.matched.template) {
        ("GET", "/gateway") => meta::gateway(ctx),
        ("GET", "/gateway/bot") => meta::gateway_bot(ctx),
        ("GET", "/users/@me") => meta::current_user(ctx),
        ("PATCH", "/users/@me") => meta::current_user(ctx),
        ("GET", "/users/{user_id}") => meta::user(ctx),
        ("GET", "/users/@me/guilds") => meta::current_user_guilds(ctx),
        ("POST", "/users/@me/channels") => meta::create_dm(ctx),
        ("GET", "/applications/@me" | "/oauth2/applications/@me") => meta::application(ctx),
        ("PATCH", "/applications/@me") => meta::application(ctx),

        ("GET", "/guilds/{guild_id}") => guilds::get(ctx),
        ("GET", "/guilds/{guild_id}/channels") => guilds::channels(ctx),
        ("POST", "/guilds/{guild_id}/channels") => guilds::create_channel(ctx),
        ("GET", "/guilds/{guild_id}/roles") => guilds::roles(ctx),
        ("GET", "/guilds/{guild_id}/roles/{role_id}") => guilds::role(ctx),
        ("POST", "/guilds/{guild_id}/roles") => guilds::create_role(ctx),
        ("PATCH", "/guilds/{guild_id}/roles/{role_id}") => guilds::update_role(ctx),
        ("DELETE", "/guilds/{guild_id}/roles/{role_id}") => guilds::delete_role(ctx),
        ("GET", "/guilds/{guild_id}/bans") => guilds::bans(ctx),
        ("GET", "/guilds/{guild_id}/bans/{user_id}") => guilds::ban(ctx),
        ("PUT", "/guilds/{guild_id}/bans/{user_id}") => guilds::create_ban(ctx),
        ("DELETE", "/guilds/{guild_id}/bans/{user_id}") => guilds::delete_ban(ctx),

        ("PATCH", "/guilds/{guild_id}") => safety::update_guild(ctx),
        ("PUT", "/guilds/{guild_id}/incident-actions") => safety::incident_actions(ctx),
        ("GET", "/guilds/{guild_id}/auto-moderation/rules") => safety::list_rules(ctx),
        ("POST", "/guilds/{guild_id}/auto-moderation/rules") => safety::create_rule(ctx),
        ("GET", "/guilds/{guild_id}/auto-moderation/rules/{rule_id}") => safety::get_rule(ctx),
        ("PATCH", "/guilds/{guild_id}/auto-moderation/rules/{rule_id}") => safety::update_rule(ctx),
        ("DELETE", "/guilds/{guild_id}/auto-moderation/rules/{rule_id}") => {
            safety::delete_rule(ctx)
        }

        ("GET", "/guilds/{guild_id}/members") => members::list(ctx),
        ("GET", "/guilds/{guild_id}/members/search") => members::search(ctx),
        ("GET", "/guilds/{guild_id}/members/{user_id}") => members::get(ctx),
        ("PATCH", "/guilds/{guild_id}/members/{user_id}") => members::update(ctx),
        ("PATCH", "/guilds/{guild_id}/members/@me") => members::update_me(ctx),
        ("DELETE", "/guilds/{guild_id}/members/{user_id}") => members::kick(ctx),
        ("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}") => members::add_role(ctx),
        ("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}") => {
            members::remove_role(ctx)
        }

        ("GET", "/channels/{channel_id}") => channels::get(ctx),
        ("PATCH", "/channels/{channel_id}") => channels::update(ctx),
        ("DELETE", "/channels/{channel_id}") => channels::delete(ctx),
        ("PUT", "/channels/{channel_id}/permissions/{overwrite_id}") => {
            channels::put_overwrite(ctx)
        }
        ("DELETE", "/channels/{channel_id}/permissions/{overwrite_id}") => {
            channels::delete_overwrite(ctx)
        }
        ("POST", "/channels/{channel_id}/threads") => channels::create_thread(ctx),
        ("POST", "/channels/{channel_id}/messages/{message_id}/threads") => {
            channels::create_thread(ctx)
        }
        (
            "PUT" | "DELETE",
            "/channels/{channel_id}/thread-members/@me"
            | "/channels/{channel_id}/thread-members/{user_id}",
        ) => channels::thread_member(ctx),
        ("POST", "/channels/{channel_id}/typing") => channels::typing(ctx),

        ("GET", "/channels/{channel_id}/messages") => messages::list(ctx),
        ("POST", "/channels/{channel_id}/messages") => messages::create(ctx),
        ("GET", "/channels/{channel_id}/messages/{message_id}") => messages::get(ctx),
        ("PATCH", "/channels/{channel_id}/messages/{message_id}") => messages::edit(ctx),
        ("DELETE", "/channels/{channel_id}/messages/{message_id}") => messages::delete(ctx),
        ("POST", "/channels/{channel_id}/messages/bulk-delete") => messages::bulk_delete(ctx),
        (
            "PUT" | "DELETE",
            "/channels/{channel_id}/pins/{message_id}"
            | "/channels/{channel_id}/messages/pins/{message_id}",
        ) => messages::pin(ctx),
        ("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me") => {
            messages::react(ctx)
        }
        ("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me") => {
            messages::unreact(ctx)
        }
        (
            "DELETE",
            "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/{user_id}",
        ) => messages::unreact(ctx),
        ("GET", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}") => {
            messages::reactors(ctx)
        }
        (
            "DELETE",
            "/channels/{channel_id}/messages/{message_id}/reactions"
            | "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}",
        ) => messages::clear_reactions(ctx),

        (_, t) if t.starts_with("/applications/{application_id}/") && t.contains("/commands") => {
            return commands::route(ctx);
        }

        ("POST", "/interactions/{interaction_id}/{interaction_token}/callback") => {
            interactions::callback(ctx)
        }
        ("POST", "/channels/{channel_id}/webhooks") => webhooks::create(ctx),
        ("GET", "/channels/{channel_id}/webhooks") => webhooks::list(ctx),
        ("GET", "/webhooks/{webhook_id}/{webhook_token}") => webhooks::get(ctx),
        ("POST", "/webhooks/{webhook_id}/{webhook_token}") => webhooks::execute(ctx),
        (
            _,
            "/webhooks/{webhook_id}/{webhook_token}/messages/@original"
            | "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
        ) => interactions::webhook_message(ctx),
        _ => return None,
    };
    Some(reply)
}
