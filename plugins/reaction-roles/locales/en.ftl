# The reaction roles module (`/rr`), English.

## Where panels can be used

rr-guild-only = Reaction roles live in a server, not in direct messages.
rr-panel-gone = This panel was deleted: ask an administrator for a new one.

## Panel message

rr-default-title = Pick your roles
rr-menu-placeholder = Choose your roles
rr-mode-name-normal = normal
rr-mode-name-unique = unique
rr-mode-name-verify = verify
rr-mode-name-drop = drop
rr-mode-name-reversed = reversed
rr-mode-name-binding = binding
rr-mode-normal = Pick a role to get it, pick it again to lose it
rr-mode-unique = One role at a time: picking another swaps it
rr-mode-verify = Roles are given, never taken back
rr-mode-drop = Picking a role takes it away
rr-mode-reversed = Picking a role takes it away, unpicking gives it back
rr-mode-binding = One role, chosen once for good
rr-rule-max = At most { $max } of these roles
rr-rule-required = Needs { $roles }
rr-rule-forbidden = Not for { $roles }
rr-style-buttons = buttons
rr-style-menu = menu
rr-style-reactions = reactions

## A member using a panel

rr-given = You now have { $roles }.
rr-taken = You no longer have { $roles }.
rr-already-have = You already have { $role }.
rr-do-not-have = You do not have { $role }.
rr-nothing-changed = Nothing to change: your roles are already so.
rr-refused-forbidden = Members with { $role } cannot use this panel.
rr-refused-required = You need one of these roles to use this panel: { $roles }.
rr-refused-limit = This panel lets you have at most { $max ->
        [one] one of its roles
       *[other] { $max } of its roles
    }: give one up first.
rr-refused-locked = You chose { $role } on this panel, and that choice is for good.
rr-failed-role-gone = { $role } no longer exists: ask an administrator to fix this panel.
rr-failed-permission = I could not change { $role }: I need Manage Roles and a role above it. Ask an administrator.
rr-failed = I could not change { $role }: { $reason }

## Making and changing panels

rr-created = Panel posted in { $channel } with { $count ->
        [one] one role
       *[other] { $count } roles
    } (message id `{ $id }`).
rr-added = { $role } is on the panel ({ $count ->
        [one] one role
       *[other] { $count } roles
    }).
rr-removed = { $role } is no longer on the panel.
rr-settings = Panel `{ $id }`: { $mode }. Maximum: { $max }. Required: { $required }. Forbidden: { $forbidden }.
rr-none = none
rr-too-many-roles = A panel with { $style } holds at most { $max } roles.
rr-duplicate-role = { $role } is named twice.
rr-duplicate-emoji = { $emoji } is already used on this panel: give each role its own emoji.
rr-emoji-needed = { $role } needs an emoji: on a reaction panel each role has one, like `🎮 @Gamer`.
rr-bad-emoji = `{ $emoji }` is not an emoji: use a Unicode emoji or one of this server's.
rr-role-already-on-panel = { $role } is already on this panel.
rr-role-not-on-panel = { $role } is not on this panel.
rr-last-role = A panel keeps at least one role: delete the panel instead with `/rr delete`.
rr-required-and-forbidden = { $role } cannot be both required and forbidden: give it again to `require` or `forbid` to lift one.
rr-spec-empty = Name the roles, each after its emoji: `🎮 @Gamer 🎨 @Artist`.
rr-spec-unknown-word = I could not read `{ $word }`: write each role as a mention after its emoji, like `🎮 @Gamer 🎨 @Artist`.
rr-spec-emoji-without-role = { $emoji } has no role after it: write `{ $emoji } @Role`.
rr-bad-panel-id = `{ $id }` is not a message id: `/rr list` shows this server's panels.
rr-no-panel = No panel in this server has message id `{ $id }`: `/rr list` shows them.
rr-panel-message-gone = The message of panel `{ $id }` is gone: delete the panel with `/rr delete` and make a new one.
rr-cannot-post = I cannot post in { $channel }: I need View Channel, Send Messages and Embed Links there.
rr-cannot-edit = I could not update the panel in { $channel }: { $reason }
rr-cannot-react = I could not react with { $emoji }: { $reason }
rr-bot-needs-manage-roles = I need the Manage Roles permission to hand out roles: give it to my role in Server Settings → Roles.
rr-role-not-here = Role { $role } is not one of this server's roles.
rr-role-everyone = @everyone cannot be handed out.
rr-role-managed = { $role } is managed by Discord or an integration: nobody can hand it out.
rr-role-above = I cannot hand out { $role }: it is not below my highest role ({ $top }). Move my role above it in Server Settings → Roles.
rr-role-above-no-role = I cannot hand out { $role }: I have no role above it. Give me a role above it in Server Settings → Roles.

## Looking after panels

rr-fixed = Panel `{ $id }` refreshed; { $count ->
        [0] no reaction was missing
        [one] one missing reaction added back
       *[other] { $count } missing reactions added back
    }.
rr-fix-role-deleted = Role { $role } was deleted: take it off with `/rr remove`.
rr-deleted = Panel `{ $id }` deleted.
rr-deleted-message-kept = Panel `{ $id }` deleted, but its message in { $channel } stays ({ $reason }): delete it yourself.
rr-list-empty = This server has no panel yet: `/rr create` makes one.
rr-list-title = { $count ->
        [one] One panel:
       *[other] { $count } panels:
    }
rr-list-line = `{ $id }` in { $channel }: **{ $title }** ({ $style }, { $mode }; { $count ->
        [one] one role
       *[other] { $count } roles
    })
