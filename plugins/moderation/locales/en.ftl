# The moderation module's texts. English is the fallback; the English command names and
# descriptions are the doc comments in src/spec.rs, the French ones are in fr.ftl.
# Every reply, mod-log entry and DM of the module is here.

moderation-dm = Moderation commands work in a server, not in DMs.
moderation-say-who = Say who: `/{ $command } { $option }:@someone` or `!{ $command } @someone`.
moderation-give-reason = Give a reason: `/warn @member spamming`.
moderation-purge-count = Give a count of 1 to 100.
moderation-unknown-command = The moderation module has no command `{ $command }`.
moderation-reason-too-long = The reason must be at most { $max } characters.

# Who may act on whom. $action is one of the moderation-verb-… texts.
moderation-verb-warn = warn
moderation-verb-mute = mute
moderation-verb-unmute = unmute
moderation-verb-kick = kick
moderation-verb-ban = ban
moderation-not-myself = I will not { $action } myself.
moderation-not-yourself = You cannot { $action } yourself.
moderation-not-owner = { $name } owns this server; nobody can { $action } them.
moderation-above-you = You cannot { $action } { $name }: their highest role ({ $theirs }) is not below yours ({ $yours }).
moderation-above-me = I cannot { $action } { $name }: their highest role ({ $theirs }) is not below mine ({ $mine }). Move my role above theirs in Server Settings → Roles.
moderation-admin-timeout = I cannot mute { $name }: Discord does not let anyone time out an administrator.
moderation-roles-unreadable = I could not check roles before acting: { $error }

# Sanctions. $reason is moderation-reason-suffix or nothing, $dm moderation-dm-failed or nothing.
moderation-dm-failed = {" "}(I could not DM them.)
moderation-reason-suffix = : { $reason }
moderation-for = for { $duration }
moderation-not-member = { $name } is not a member of this server.
moderation-mute-too-long = Discord timeouts last at most 28 days; for longer or permanent mutes set a mute role with `/modconfig mute_role`.
moderation-mute-failed = I could not mute { $name }: { $error }
moderation-until-unmuted = until unmuted
moderation-by-timeout = timeout
moderation-by-role = mute role
moderation-muted = Case #{ $case } · **{ $name }** was muted { $length } ({ $how }){ $reason }.{ $dm }
moderation-member-unreadable = I could not read the member: { $error }
moderation-not-muted = { $name } is not muted.
moderation-unmute-failed = I could not unmute { $name }: { $error }
moderation-the-server = the server
moderation-unmuted = Case #{ $case } · **{ $name }** was unmuted{ $reason }.{ $dm }
moderation-kick-failed = I could not kick { $name }: { $error }
moderation-kicked = Case #{ $case } · **{ $name }** was kicked{ $reason }.{ $dm }
moderation-ban-failed = I could not ban { $name }: { $error }
moderation-banned = Case #{ $case } · **{ $name }** was banned{ $length }{ $reason }.{ $dm }
moderation-not-banned = <@{ $user }> is not banned.
moderation-unban-failed = I could not unban <@{ $user }>: { $error }
moderation-unbanned = Case #{ $case } · <@{ $user }> was unbanned{ $reason }.

# Cases: the mod-log embed (in the server's language), the member's DM, one-line summaries.
moderation-kind-warn = Warn
moderation-kind-mute = Mute
moderation-kind-unmute = Unmute
moderation-kind-kick = Kick
moderation-kind-ban = Ban
moderation-kind-tempban = Tempban
moderation-kind-unban = Unban
moderation-kind-purge = Purge
moderation-past-warn = warned
moderation-past-mute = muted
moderation-past-unmute = unmuted
moderation-past-kick = kicked
moderation-past-ban = banned
moderation-past-tempban = temporarily banned
moderation-past-unban = unbanned
moderation-past-purge = purged
moderation-case-title = Case #{ $case } · { $kind }
moderation-field-member = Member
moderation-field-moderator = Moderator
moderation-field-duration = Duration
moderation-field-points = Points
moderation-field-messages = Messages
moderation-field-reason = Reason
moderation-automatic-by = <@{ $user }> (automatic)
moderation-no-reason = No reason given
moderation-modlog-failed = The mod-log entry could not be posted in <#{ $channel }>: { $error }
# $length is " " + moderation-for or nothing; $reason is moderation-dm-reason or ".".
moderation-dm-sanction = You were { $action } in **{ $server }**{ $length }{ $reason } (case #{ $case })
moderation-dm-reason = . Reason: { $reason }
moderation-line-points = {" "}({ $points } pt)
moderation-line-messages = {" "}({ $count } messages)
moderation-automatic = {" "}(automatic)
moderation-line-by = {" "}by <@{ $user }>{ $automatic } <t:{ $time }:R>

# Warnings and histories.
moderation-warned = Case #{ $case } · **{ $name }** was warned ({ $points } { $points ->
        [one] point
       *[other] points
    }; { $active } active): { $reason }.{ $dm }
moderation-threshold-done = Automatic action at { $points } points: { $done }
moderation-threshold-failed = The automatic action at { $points } points did not happen: { $why }
moderation-threshold-reason = Reached { $points } warning points
moderation-history-empty = <@{ $user }> has no warnings and no sanctions.
moderation-history-points = **<@{ $user }>**: { $points } active warning points.
moderation-history-no-warnings = No warnings.
moderation-warning-expired = {" "}(expired)
moderation-warning-expires = {" "}(expires <t:{ $time }:R>)
moderation-history-warning = • case #{ $case } · { $points } pt · { $reason }{ $state } · by <@{ $user }>
moderation-history-title = **History**
moderation-history-more = …and { $count } older cases (`/case number`).
moderation-no-case = There is no case #{ $case }.
moderation-not-a-warning = Case #{ $case } is a { $kind }, not a warning.
moderation-warning-deleted = Deleted the warning of case #{ $case } (<@{ $user }>).
moderation-warning-already-deleted = The warning of case #{ $case } was already deleted.
moderation-no-warnings = <@{ $user }> has no warnings.
moderation-warnings-cleared = Deleted { $count } warnings of <@{ $user }>.
moderation-thresholds-none = none
moderation-threshold-mute = mute { $duration }
moderation-threshold-kick = kick
moderation-threshold-tempban = ban { $duration }
moderation-threshold-ban = ban

# Purge.
moderation-purge-unreadable = I could not read this channel's messages: { $error }
moderation-purge-nothing = No messages to delete (only messages younger than 14 days can be purged).
moderation-purge-failed = I could not delete the messages: { $error }
moderation-purge-reason = in <#{ $channel }>
moderation-purged = Case #{ $case } · deleted { $count } messages.

# Settings.
moderation-modlog-probe = 📋 Moderation cases will be logged in this channel.
moderation-modlog-cannot-post = I cannot post in <#{ $channel }>, so it was not set: { $error }
moderation-modlog-set = Cases will be logged in <#{ $channel }>.
moderation-modlog-off = The mod-log is off.
moderation-expiry-set = New warnings expire after { $duration }.
moderation-expiry-never = New warnings never expire.
moderation-always-needs-role = `always` needs a role.
moderation-mute-role-always = Every mute now gives <@&{ $role }>. Make sure it cannot send messages and is below my role.
moderation-mute-role-long = Mutes longer than 28 days (or permanent) give <@&{ $role }>; shorter ones are timeouts.
moderation-mute-role-none = No mute role: mutes are Discord timeouts (28 days at most).
moderation-dm-on = Members are told by DM when they are sanctioned.
moderation-dm-off = Members are no longer told by DM.
moderation-threshold-needs-duration = A timeout threshold needs a duration, like `1h`.
moderation-threshold-removed = Removed the threshold at { $points } points.
moderation-threshold-unknown = There is no threshold at { $points } points.
moderation-threshold-too-many = A server can have { $max } thresholds; remove one first.
moderation-threshold-too-long = Timeouts last at most 28 days; set a mute role for longer mutes.
moderation-thresholds = Thresholds: { $thresholds }.
moderation-settings = **Moderation settings**
    Mod-log: { $modlog }
    Warnings expire: { $expiry }
    Thresholds: { $thresholds }
    Mute role: { $role }
    DM members: { $dm }
moderation-settings-off = off
moderation-settings-never = never
moderation-settings-after = after { $duration }
moderation-settings-role-always = <@&{ $role }> (every mute)
moderation-settings-role-long = <@&{ $role }> (mutes over 28 days)
moderation-settings-role-none = none (timeouts only)
moderation-settings-yes = yes
moderation-settings-no = no

# Timed sanctions and rejoins (in the server's language).
moderation-time-is-up = Time is up
moderation-rejoined-reason = Rejoined while muted (case #{ $case })
moderation-rejoined-until = {" "}until <t:{ $time }:f>
moderation-rejoined = **{ $name }** (<@{ $user }>) rejoined while muted; the mute of case #{ $case } was put back{ $until }.

# Durations as moderators type them.
moderation-duration-malformed = `{ $text }` is not a duration: use a number and a unit, like `30s`, `10m`, `2h`, `7d` or `1w`.
moderation-duration-zero = The duration must be longer than zero.
moderation-duration-too-long = That is longer than a year; use a shorter duration.
