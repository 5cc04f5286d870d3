# The welcome module's texts (English: the fallback). Command names and descriptions in English
# are the doc comments in src/command.rs.

welcome-dm-only = Welcome messages are set up in a server, not in DMs.
welcome-channel-set = Welcome messages will be posted in { $channel }.
welcome-no-channel = No channel yet: `/welcome channel #somewhere` first.
welcome-test-posted = Posted a test welcome in { $channel }.
welcome-text-length = The message must be 1 to { $max } characters.
welcome-saved = Saved. Preview: { $preview }
welcome-added = Added. Preview: { $preview } ({ $count ->
        [one] one message
       *[other] { $count } messages, one picked at random
    })
welcome-saved-no-channel = Set a channel with `/welcome channel` to start.
welcome-too-many-messages = There are already { $max } messages of this kind: remove one first (`/welcome remove`).
welcome-removed = Removed message { $number }: { $text }
welcome-no-such-number = There is no message number { $number }: see `/welcome show`.
welcome-style-text = Messages will be posted as plain text.
welcome-style-embed = Messages will be posted as an embed.
welcome-dm-set = New members will get this direct message: { $preview }
welcome-dm-off = No direct message will be sent.
welcome-role-everyone = Everyone already has @everyone: pick another role.
welcome-too-many-roles = At most { $max } roles are given on join: remove one first.
welcome-role-added = New members will get { $role } (once they accept the rules, on servers that screen members). My role must be above it, with Manage Roles.
welcome-role-removed = New members will no longer get { $role }.
welcome-role-not-given = { $role } is not given on join.
welcome-new-accounts-set = Accounts younger than { $days ->
        [one] one day
       *[other] { $days } days
    } will be pointed out in { $channel }.
welcome-new-accounts-off = No notice about new accounts.
welcome-the-welcome-channel = the welcome channel
welcome-delete-set = The greeting will be deleted when the member leaves within { $within }.
welcome-delete-off = Greetings stay when members leave.
welcome-delete-too-long = At most a week (7d).
welcome-hours = { $count ->
        [one] one hour
       *[other] { $count } hours
    }
welcome-minutes = { $count ->
        [one] one minute
       *[other] { $count } minutes
    }
welcome-seconds = { $count ->
        [one] one second
       *[other] { $count } seconds
    }
welcome-disabled = Welcome and goodbye messages are off; settings removed.
welcome-not-set-up = They were not set up.
welcome-off = off
welcome-not-set = not set
welcome-style-name-text = plain text
welcome-style-name-embed = embed
welcome-show-new-accounts = younger than { $days ->
        [one] one day
       *[other] { $days } days
    }, in { $channel }
welcome-show =
    Channel: { $channel }
    Style: { $style }
    Welcome (one picked at random):{ $welcome }
    Goodbye:{ $goodbye }
    Direct message: { $dm }
    Roles on join: { $roles }
    New-account notice: { $new_accounts }
    Delete the greeting if the member leaves within: { $delete }
welcome-default-template = Welcome {"{"}user{"}"}! 👋
welcome-post-failed = could not post the welcome message in { $channel }: { $reason }
welcome-role-reason = Welcome: role given on join
welcome-new-account = ⚠️ { $user } ({ $name }) joined with a new account, created { $created }.
