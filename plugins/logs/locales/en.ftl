# The logs module, English (the fallback language).

## Answers to /logs
logs-only-in-servers = Logs are set up in a server, not in direct messages.
logs-cannot-post = I could not post in { $channel }, so nothing changed: { $error }. Give me View Channel, Send Messages and Embed Links there (and Manage Webhooks to post as a webhook), then try again.
logs-routed = Logs of { $categories } will be posted in { $channel }.
logs-nothing-to-disable = Those logs were not enabled.
logs-disabled = Logs of { $categories } are off. { $forgotten ->
        [0] No message content was kept.
        [one] 1 kept message content was forgotten.
       *[other] { $forgotten } kept message contents were forgotten.
    }
logs-ignore-what = Name a channel, a member, or both.
logs-ignored = Ignored from now on: { $targets }.
logs-not-ignored = That was not ignored.
logs-unignored = No longer ignored: { $targets }.
logs-bots-on = Bots' messages are logged.
logs-bots-off = Bots' messages are not logged.
logs-retention-range = The retention must be from 1h to 30d (e.g. 12h, 7d).
logs-retention-set = Message contents are kept for { $duration }. { $removed ->
        [0] None was older.
        [one] 1 older one was removed.
       *[other] { $removed } older ones were removed.
    }
logs-show-title = **Logs**
logs-show-ignored-channels = Ignored channels: { $channels }
logs-show-ignored-members = Ignored members: { $members }
logs-show-retention = Message contents kept for: { $duration }
logs-off = off
logs-on = on
logs-none = none

## Log entries
logs-here-title = Logs
logs-here = Logs of { $categories } will be posted here (set by { $user }).
logs-by-in = By { $user } in { $channel }
logs-message-edited = Message edited
logs-message-deleted = Message deleted
logs-before = Before
logs-after = After
logs-not-cached = (not in the cache: sent before logging started, or older than the retention)
logs-empty = (no text)
logs-attachments = Attachments: { $files }
logs-message-footer = Author { $user } · Message { $message }
logs-bulk-deleted = { $count ->
        [one] { $count } message deleted
       *[other] { $count } messages deleted
    }
logs-bulk-description = { $count } messages were deleted at once in { $channel }; { $known ->
        [0] none of them was in the cache.
        [one] 1 of them was in the cache and is in the attached file.
       *[other] { $known } of them were in the cache and are in the attached file.
    }
logs-member-joined = Member joined
logs-member-left = Member left
logs-member-updated = Member updated
logs-account-created = { $user } · account created { $created } ({ $date })
logs-new-account = ⚠️ New account (less than 7 days old)
logs-joined-at = Joined { $joined }
logs-roles = Roles: { $roles }
logs-roles-added = Roles given: { $roles }
logs-roles-removed = Roles taken: { $roles }
logs-nickname-changed = Nickname: { $before } → { $after }
logs-user-footer = User { $user }
logs-timeout = Member timed out
logs-timeout-until = { $user } is timed out until { $until } ({ $relative })
logs-timeout-removed = Timeout removed
logs-banned = Member banned
logs-unbanned = Member unbanned
logs-channel-created = Channel created
logs-channel-updated = Channel updated
logs-channel-deleted = Channel deleted
logs-channel-line = { $channel } (#{ $name })
logs-channel-footer = Channel { $channel }
logs-no-before = (how it was before is unknown: it changed before the module saw it)
logs-changed-name = Name: { $before } → { $after }
logs-changed-topic = Topic: { $before } → { $after }
logs-changed-nsfw = Age-restricted: { $before } → { $after }
logs-changed-slowmode = Slow mode: { $before }s → { $after }s
logs-changed-category = Category: { $before } → { $after }
logs-changed-overwrites = Permissions changed
logs-changed-color = Colour: { $before } → { $after }
logs-changed-hoist = Shown apart: { $before } → { $after }
logs-changed-mentionable = Mentionable: { $before } → { $after }
logs-permissions-granted = Permissions granted: { $permissions }
logs-permissions-revoked = Permissions revoked: { $permissions }
logs-role-created = Role created
logs-role-updated = Role updated
logs-role-deleted = Role deleted
logs-role-footer = Role { $role }
logs-voice-joined = Voice: joined
logs-voice-left = Voice: left
logs-voice-moved = Voice: moved
logs-voice-join-line = { $user } joined { $channel }
logs-voice-leave-line = { $user } left { $channel }
logs-voice-move-line = { $user } moved from { $before } to { $after }
