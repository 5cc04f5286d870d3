# The automod module, English (the fallback).

automod-server-only = Automod is set up in a server, not in direct messages.
automod-none = none
automod-on = on
automod-off = off

## Rules
automod-rule-words = word filter
automod-rule-invites = invites
automod-rule-links = links
automod-rule-mentions = mass mentions
automod-rule-caps = caps
automod-rule-emoji = emoji spam
automod-rule-attachments = attachment spam
automod-rule-zalgo = zalgo
automod-rule-rate = message rate
automod-rule-duplicates = duplicates
automod-rule-native-keywords = Discord keyword rule
automod-rule-native-presets = Discord keyword presets
automod-rule-native-mentions = Discord mention spam rule

## Why a rule fired
automod-why-word = the filtered word “{ $word }”
automod-why-regex = the filtered pattern `{ $regex }`
automod-why-invite = an invite ({ $invite })
automod-why-link = a link to { $host }, which is not on the allow list
automod-why-count = { $rule }: { $count } (the limit is { $limit })
automod-why-caps = { $percent }% capital letters (the limit is { $limit }%)
automod-why-rate = { $count ->
    [one] one message
   *[other] { $count } messages
} within { $seconds ->
    [one] one second
   *[other] { $seconds } seconds
}
automod-why-duplicates = the same message { $count ->
    [one] once
   *[other] { $count } times
} within { $seconds ->
    [one] one second
   *[other] { $seconds } seconds
}

## Violations
automod-native-block = This message was blocked by the server's automod.
automod-case-reason = automod, { $rule }: { $why }
automod-action-deleted = message deleted
automod-action-failed = message deleted; the { $sanction } failed: { $error }
automod-action-case = message deleted, { $sanction } (case #{ $case })
automod-action-no-case = message deleted, { $sanction } (no case recorded: { $error })
automod-sanction-delete = deletion
automod-sanction-warn = warning
automod-sanction-timeout = timeout
automod-sanction-kick = kick
automod-sanction-ban = ban
automod-sanction-remove = removal
automod-warn-notice = { $user }, your message was removed ({ $reason }). This is a warning.
automod-log-violation = 🛡️ { $user } in { $channel }: { $rule } — { $why }. Action: { $action }. ({ $count ->
    [one] first violation
   *[other] { $count } violations
} in the last hour)

## Discord's native rules
automod-native-none = No Discord AutoMod rule is needed for these settings.
automod-native-synced = Discord AutoMod is up to date: { $rules }.
automod-native-failed = Discord refused to update its AutoMod rules: { $error } The settings are saved and the bot-side rules use them; give the bot the Manage Server permission, then use `/automod toggle` with your level to try again.

## Status
automod-status-level = **Automod level: { $level }**
automod-status-limit = , limit { $limit }
automod-status-window = , within { $seconds } s
automod-status-own = (own setting)
automod-status-in-discord = (in Discord)
automod-status-words = { $words ->
    [one] One filtered word
   *[other] { $words } filtered words
}, { $regexes ->
    [one] one regex
   *[other] { $regexes } regexes
}.
automod-status-exempt = Exempt roles: { $roles }. Exempt channels: { $channels }.
automod-status-links = Allowed sites: { $links }.
automod-status-log = Violations and raid alerts go to { $channel }.
automod-status-no-log = No log channel: `/automod config log` sets one.
automod-steps-none = Escalation: none (violations only delete the message).
automod-step = { $count } in { $minutes } min → { $sanction }
automod-steps = Escalation: { $steps }.

## Toggle and rules
automod-toggled = Automod is on at level **{ $level }**.
automod-toggled-off = Automod is off. `/automod toggle` turns it back on at the last level.
automod-rule-no-limit = The { $rule } rule has no limit to set.
automod-rule-no-window = The { $rule } rule has no time window to set.
automod-rule-limit-too-high = The { $rule } rule's limit can be at most { $max }.
automod-rule-reset = The { $rule } rule follows the level again ({ $level }).
automod-rule-saved = Saved.
automod-rule-now-on = The { $rule } rule is on
automod-rule-now-off = The { $rule } rule is off

## Escalation
automod-timeout-too-long = A timeout lasts at most 28 days (Discord's limit).
automod-duration-only-timeout = Only a timeout takes a duration.
automod-steps-full = At most { $max } escalation steps: remove one first (`action: remove`).
automod-step-missing = There is no step at { $count } violations.

## Links
automod-links-bad = “{ $domain }” is not a site: give a domain like `youtube.com`.
automod-links-full = At most { $max } allowed sites.
automod-links-added = Links to { $domain } (and its subdomains) are allowed.
automod-links-removed = Links to { $domain } are no longer allowed.

## Log channel
automod-log-set = Violations and raid alerts will be posted in { $channel }.
automod-log-cleared = Violations and raid alerts are no longer posted.

## Words
automod-word-too-long = A word is at most { $max } characters (Discord's limit for its keyword rule).
automod-word-empty = That word is empty once spaces and `*` are removed.
automod-word-duplicate = “{ $word }” is already in the list.
automod-words-full = The list holds at most { $max } words (Discord's limit): remove some first.
automod-regex-too-long = A regex is at most { $max } characters (Discord's limit).
automod-regex-bad = The regex `{ $regex }` cannot be used: { $reason }
automod-regexes-full = At most { $max } regexes (Discord's limit): remove one first.
automod-word-added = Added “{ $word }” (also caught disguised, as `{ $form }`).
automod-regex-added = Added the regex `{ $regex }`.
automod-words-rule-off = The word filter is off at this level: `/automod toggle` or `/automod config rule` turns it on.
automod-word-missing = “{ $word }” is not in the list: `/automod list` shows it.
automod-word-removed = Removed “{ $word }”.
automod-list-empty = The list is empty: `/automod add_word` adds words.

## Exemptions
automod-exempt-nothing = Give a role, a channel, or both.
automod-exempt-role-added = { $target } is exempt from automod.
automod-exempt-role-removed = { $target } is no longer exempt.
automod-exempt-channel-added = { $target } is exempt from automod.
automod-exempt-channel-removed = { $target } is no longer exempt.
automod-exempt-roles-full = At most { $max } exempt roles (Discord's limit).
automod-exempt-channels-full = At most { $max } exempt channels (Discord's limit).

## Simulate
automod-simulate-normalised = Read as: `{ $text }`
automod-simulate-hit = This would set off **{ $rule }**: { $why }.
automod-simulate-clean = No rule would fire on this text alone (the message rate and duplicates need several messages).
automod-simulate-off = Automod is off in this server: `/automod toggle` turns it on.

## Raid mode
automod-raid-config = Raid detection: { $joins } joins within { $seconds } s → { $action }.
automod-raid-config-off = Raid detection is off.
automod-raid-action-pause-invites = pause invites
automod-raid-action-verification = raise the verification level
automod-raid-action-both = pause invites and raise the verification level
automod-raid-action-alert = alert the moderators only
automod-raid-needs-level = Raid detection runs while automod is on (`/automod toggle`).
automod-raid-active = 🚨 Raid mode has been on since { $since }. `/automod raid end` ends it.
automod-raid-inactive = Raid mode is off.
automod-raid-invites-paused = Invites are paused until { $until }.
automod-raid-verification-raised = The verification level is raised to the highest.
automod-raid-problem = Could not: { $problem }
automod-raid-started = Raid mode is on.
automod-raid-already = Raid mode is already on.
automod-raid-end-failed = Raid mode stays on: Discord refused to undo it ({ $error }).
automod-raid-ended = Raid mode ended; invites and the verification level are back as they were.
automod-raid-ended-log = ✅ Raid mode ended by { $user }.
automod-raid-alert = 🚨 **Raid mode**: { $joins } members joined within { $seconds } seconds. Welcome messages are paused. Nobody was kicked or banned.
automod-raid-alert-manual = 🚨 **Raid mode** started by { $user }. Welcome messages are paused.
