# The suggestions module (`/suggest`, `/suggestion`), English.

suggestions-guild-only = Suggestions live in a server, not in direct messages.
suggestions-need-manage-server = Only members with Manage Server can change the suggestion settings.

## The suggestion message

suggestions-title = Suggestion #{ $number }
suggestions-anonymous = Anonymous
suggestions-field-author = Author
suggestions-field-status = Status
suggestions-field-votes = Votes
suggestions-field-reason = Reason
suggestions-status-pending = Open for votes
suggestions-status-considered = Under consideration
suggestions-status-approved = Approved
suggestions-status-denied = Denied
suggestions-status-implemented = Implemented
suggestions-status-by = { $status } by { $by }
suggestions-log = Suggestion #{ $number } is now **{ $status }**: { $link }
suggestions-dm = Your suggestion #{ $number } is now **{ $status }**: { $link }

## /suggest

suggestions-not-set-up = Suggestions are not set up in this server yet: an administrator can choose their channel with `/suggestion config channel:`.
suggestions-no-anonymous = Anonymous suggestions are turned off in this server: send it again without `anonymous`.
suggestions-empty = Your suggestion is empty: write what you suggest.
suggestions-cooldown = You can suggest again in { $wait }.
suggestions-hours = { $n } h
suggestions-minutes = { $n } min
suggestions-seconds = { $n } s
suggestions-post-failed = I could not post your suggestion in { $channel }: { $reason }. Nothing was saved; ask an administrator to check my permissions there. Your text, to send again:
    { $text }
suggestions-posted = Your suggestion #{ $number } is posted: { $link }
suggestions-thread-failed = I could not open its discussion thread: { $reason }.

## Votes

suggestions-old-button = This button is no longer in use.
suggestions-vote-gone = This suggestion no longer exists.
suggestions-vote-closed = Suggestion #{ $number } is decided: votes are closed.
suggestions-voted = You voted { $vote } on suggestion #{ $number } (👍 { $up } · 👎 { $down }). Press it again to take your vote back.
suggestions-vote-changed = You changed your vote on suggestion #{ $number } to { $vote } (👍 { $up } · 👎 { $down }).
suggestions-vote-withdrawn = You took back your vote on suggestion #{ $number } (👍 { $up } · 👎 { $down }).
suggestions-count-not-shown = Your vote counts, but I could not update the counts on the message: { $reason }.

## Decisions

suggestions-not-staff = Only the suggestion staff (the roles set with `/suggestion staff`) and members with Manage Server can decide on suggestions.
suggestions-unknown = There is no suggestion #{ $number } in this server.
suggestions-not-posted = Suggestion #{ $number } was never posted, so there is nothing to decide.
suggestions-decided = Suggestion #{ $number } is now **{ $status }**: { $link }
suggestions-message-gone = Its message was deleted, so only the record changed.
suggestions-edit-failed = I could not update its message: { $reason }.
suggestions-log-failed = I could not copy it to { $channel }: { $reason }.
suggestions-thread-close-failed = I could not archive and lock its discussion { $thread }: { $reason }. Give me Manage Threads there, or close it yourself.
suggestions-thread-reopen-failed = I could not open its discussion { $thread } again: { $reason }. Give me Manage Threads there, or open it yourself.
suggestions-own = It is your own suggestion, so no direct message was sent.
suggestions-author-told = The author was told by direct message.
suggestions-dm-closed = I could not DM the author: they do not accept direct messages from me. Tell them in the server if they should know.
suggestions-dm-failed = I could not DM the author: { $reason }.
suggestions-show = Suggestion #{ $number } by { $author }: **{ $status }**, 👍 { $up } · 👎 { $down }. { $link }
suggestions-show-anonymous = Suggestion #{ $number } by { $author } (posted anonymously: keep it to the staff): **{ $status }**, 👍 { $up } · 👎 { $down }. { $link }

## /suggestion config and staff

suggestions-bad-cooldown = `{ $text }` is not a cooldown: write a duration like `10m`, `1h` or `1h30m`, or `off`.
suggestions-saved = Settings saved.
suggestions-settings = Suggestion settings:
suggestions-everyone-staff = @everyone cannot be the suggestion staff: choose a role.
suggestions-staff-added = { $role } can now decide on suggestions.
suggestions-staff-removed = { $role } can no longer decide on suggestions.
suggestions-not-set = not set
suggestions-no-staff = none (Manage Server only)
suggestions-on = on
suggestions-off = off
suggestions-settings-lines = Channel: { $channel }
    Log channel: { $log }
    Staff roles: { $staff }
    Cooldown: { $cooldown }
    Anonymous suggestions: { $anonymous }
    Discussion threads: { $threads }
