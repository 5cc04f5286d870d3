# The voice hub module's texts. English is the fallback; the English command names and
# descriptions are the doc comments in src/command.rs, the French ones are in fr.ftl.

voice-dm = The voice hub works in a server, not in DMs.
voice-old-panel = This panel is from an older version of the voice hub; use `/voice panel` for a fresh one.
voice-pick-member = Pick a member in the menu.

## Hubs
voice-hub-saved = <#{ $channel }> is a hub: joining it gives a member their own room named `{ $name }` (limit: { $limit }), deleted { $delay } s after the last member leaves.
voice-hub-line = <#{ $channel }>: rooms named `{ $name }`, limit { $limit }, deleted { $delay } s after they empty
voice-hubs-title = **Voice hubs**
voice-no-hubs = There is no hub yet: `/voice hub channel:<voice channel>` makes one.
voice-hub-removed = <#{ $channel }> is no longer a hub. Rooms made from it stay until they are empty.
voice-not-a-hub = <#{ $channel }> is not a hub; `/voice hubs` lists them.
voice-hub-is-room = That channel is a temporary room; pick a permanent voice channel as the hub.
voice-hub-not-voice = <#{ $channel }> is not a voice channel: a hub must be one members can join.
voice-template-invalid = A room name is 1 to 100 characters; `{"{"}user{"}"}` stands for the member's name.
voice-delay-invalid = The delay is a number of seconds from 1 to 3600.
voice-err-read-channel = I could not read that channel

## Rooms
voice-create-failed = <@{ $user }>, { $error }. A server admin should give me Manage Channels (and Manage Roles for private rooms).
voice-move-failed = <@{ $user }>, { $error }. A server admin should give me Move Members; your room was removed.
voice-err-create = I could not create your voice room
voice-err-move = I could not move you into your room

## Controls
voice-not-in-room = You are not in a voice room of mine: join a hub to get one, then use this from it.
voice-room-gone = This room no longer exists.
voice-owner-only = Only the room's owner (<@{ $owner }>) or a member with Manage Channels can do this.
voice-failed = { $error }.
voice-err-permissions = I could not change who may join the room (I need Manage Roles, Connect and Move Members)
voice-err-limit = I could not change the room's member limit
voice-err-disconnect = I could not disconnect that member (I need Move Members)
voice-locked = 🔒 Locked: only you and the members you permit can join.
voice-unlocked = 🔓 Unlocked: everyone can join.
voice-hidden = 🙈 Hidden: only you and the members you permit can see the room.
voice-shown = 👁️ Visible to everyone again.
voice-limit-invalid = The limit is a whole number from 0 (no limit) to 99.
voice-limit-set = 👥 At most { $limit } members now.
voice-limit-removed = 👥 No member limit now.
voice-name-invalid = A room name is 1 to 100 characters.
voice-renamed = ✏️ Renamed to **{ $name }**.
voice-rename-queued = ✏️ Discord allows two renames every ten minutes: **{ $name }** will apply <t:{ $at }:R>.
voice-kick-owner = You cannot kick the room's owner or yourself.
voice-kicked = 👢 <@{ $user }> was disconnected and can no longer join.
voice-permitted = ✅ <@{ $user }> can join the room.
voice-transfer-self = They already own the room.
voice-transfer-absent = <@{ $user }> is not in the room: you can only give it to a member in it.
voice-transferred = 👑 <@{ $user }> owns the room now.
voice-claim-own = You already own this room.
voice-claim-not-in = Join the room first: only a member in it can claim it.
voice-claim-owner-here = <@{ $owner }> is still in the room; you can claim it once they leave.
voice-claimed = 👑 The room is yours now.

## Panel
voice-panel-description = Owner: <@{ $owner }>. Use the buttons and menus below.
voice-panel-locked = Locked
voice-panel-hidden = Hidden
voice-panel-limit = Member limit
voice-yes = Yes
voice-no = No
voice-no-limit = none
voice-button-lock = Lock
voice-button-unlock = Unlock
voice-button-hide = Hide
voice-button-show = Show
voice-button-rename = Rename
voice-button-limit = Limit
voice-button-claim = Claim
voice-menu-kick = Kick a member…
voice-menu-permit = Let a member in…
voice-menu-transfer = Give the room to…
voice-rename-title = Rename the room
voice-rename-label = New name
voice-limit-title = Member limit
voice-limit-label = 0 (no limit) to 99
