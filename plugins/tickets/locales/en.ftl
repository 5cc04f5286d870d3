# The tickets module's texts. English is the fallback; the English command names and
# descriptions are the doc comments in src/command.rs, the French ones are in fr.ftl.

tickets-dm = Tickets work in a server, not in DMs.
tickets-need-manage-server = You need the Manage Server permission to set up tickets.
tickets-old-button = This button is from an older version of the ticket module; ask staff to post a new panel.
tickets-old-form = This form is from an older version of the ticket module; please try again.

## Opening
tickets-pick-topic = Pick a topic to open a ticket.
tickets-need-reason = Please say what the ticket is about, then try again.
tickets-open-dm = Tickets are opened in a server, not in DMs.
tickets-panel-gone = This ticket panel no longer exists. Ask a server admin to post a new one.
tickets-topic-gone = That topic was removed from this panel. Pick another one.
tickets-limit = You already have { $count } open { $count ->
        [one] ticket
       *[other] tickets
    } ({ $list }): the limit is { $max }. Close one before opening another.
tickets-thread-failed = { $error }. A server admin should give me Create Private Threads and Send Messages in Threads in <#{ $parent }>.
tickets-channel-failed = { $error }. A server admin should give me Manage Channels and Manage Roles, and check the ticket category.
tickets-channel-topic = Ticket #{ $number } opened by { $user }
tickets-channel-topic-reason = Ticket #{ $number } opened by { $user }: { $reason }
tickets-err-create-channel = I could not create the ticket channel
tickets-err-create-thread = I could not create the ticket thread
tickets-err-add-to-thread = I could not add you to the ticket thread
tickets-opened = Your ticket is open: <#{ $channel }>
tickets-opened-no-welcome = Your ticket is open: <#{ $channel }> (I could not post the ticket's first message there.)

## Messages, buttons and forms
tickets-panel-title = Support tickets
tickets-panel-description = Need help? Open a ticket: a private channel with our staff will be created for you.
tickets-button-open = Open ticket
tickets-topic-placeholder = Choose what your ticket is about
tickets-reason-title = Open a ticket
tickets-reason-label = How can we help?
tickets-close-title = Close this ticket
tickets-close-label = Reason (optional)
tickets-welcome = Thanks <@{ $opener }>, staff will be with you shortly.
    Use **Close** when you are done.
tickets-welcome-topic = **Topic:** { $topic }
tickets-welcome-reason = **Reason:** { $reason }
tickets-welcome-title = Ticket #{ $number }
tickets-button-close = Close
tickets-button-claim = Claim
tickets-close-request = <@{ $opener }>, { $by } would like to close this ticket. Can it be closed?
tickets-button-close-it = Close it
tickets-button-keep-open = Keep it open

## Inside a ticket
tickets-not-a-ticket = This is not a ticket: use this inside a ticket channel or thread.
tickets-already-closing = This ticket is already closing.
tickets-is-closed = This ticket is closed.
tickets-staff-only = Only ticket staff can do this.
tickets-close-not-allowed = Only the ticket's opener or staff can close it. Staff can ask the opener with `/ticket closerequest`.
tickets-close-button-not-allowed = Only the ticket's opener or staff can close it.
tickets-answer-opener-only = Only the ticket's opener can answer this request.
tickets-request-answered = This close request was already answered or withdrawn.
tickets-kept-open = <@{ $opener }> kept the ticket open ({ $by } had asked to close it).
tickets-closer-asked-by = { $name } (asked by { $by })
tickets-claimed-by-you = You already claimed this ticket.
tickets-claimed-by-other = <@{ $user }> already claimed this ticket; they can `/ticket unclaim` it.
tickets-claimed = 🙋 <@{ $user }> claimed this ticket and will handle it.
tickets-not-claimed = Nobody has claimed this ticket.
tickets-unclaim-not-allowed = Only <@{ $user }>, who claimed it, or a server admin can unclaim this ticket.
tickets-unclaimed = This ticket is unclaimed: any staff member can take it.
tickets-add-not-allowed = Only the ticket's opener or staff can add members.
tickets-already-in = <@{ $user }> is already in this ticket.
tickets-err-add = I could not add <@{ $user }>
tickets-added = ➕ <@{ $user }> was added to the ticket by { $by }.
tickets-remove-not-allowed = Only the ticket's opener or staff can remove members.
tickets-remove-opener = The opener cannot be removed from their own ticket.
tickets-not-added = <@{ $user }> was not added to this ticket (staff see tickets through their role).
tickets-remove-thread = I cannot remove members from a ticket thread yet: remove them from the thread's member list by hand.
tickets-err-remove = I could not remove <@{ $user }>
tickets-removed = ➖ <@{ $user }> was removed from the ticket by { $by }.
tickets-rename-empty = Give a new name of 1 to 100 letters, digits or dashes: `/ticket rename billing-bob`.
tickets-err-rename = I could not rename the ticket
tickets-renamed = ✏️ Ticket renamed to **{ $name }** by { $by }.
tickets-error = { $error }.

## Closing
tickets-close-already = This ticket is already closing or closed.
tickets-closing = 🔒 Ticket closed by { $by }. { $place ->
        [thread] This thread
       *[channel] This channel
    } will be { $action ->
        [deleted] deleted
        [archived] archived
       *[closed] closed
    } in { $delay }.
tickets-closing-reason = 🔒 Ticket closed by { $by }: { $reason }. { $place ->
        [thread] This thread
       *[channel] This channel
    } will be { $action ->
        [deleted] deleted
        [archived] archived
       *[closed] closed
    } in { $delay }.
tickets-unit-day = d
tickets-unit-hour = h
tickets-unit-minute = m
tickets-unit-second = s
tickets-autoclose-name = autoclose
tickets-autoclose-reason = no messages for { $delay }
tickets-transcript-failed = ⚠️ The transcript could not be saved, so this ticket stays open: { $error }. A server admin should check my permissions in <#{ $channel }>, then close again.
tickets-err-delete = I could not delete the ticket
tickets-delete-failed = ⚠️ { $error }. The transcript is saved; delete this channel by hand.
tickets-summary = 📄 **{ $name }** opened by { $opener } was closed by { $by }{ $details } ({ $count ->
        [one] { $count } message
       *[other] { $count } messages
    }).
tickets-summary-reason = : { $reason }
tickets-summary-topic = · topic { $topic }
tickets-transcript-head = Transcript of { $name } (opened by { $opener } <{ $id }>)
tickets-transcript-topic = Topic: { $topic }
tickets-transcript-reason = Reason: { $reason }
tickets-transcript-closed-by = Closed by: { $by }
tickets-transcript-close-reason = Close reason: { $reason }
tickets-transcript-count = Messages: { $count } (times in UTC)
tickets-transcript-count-cut = Messages: { $count } (only the last { $max }) (times in UTC)
tickets-transcript-attachment = (attachment: { $name } { $url })
tickets-transcript-embeds = ({ $count } embed(s))
tickets-err-post-transcript = I could not post the transcript in <#{ $channel }>
tickets-err-archive = I could not archive the ticket
tickets-err-post = I could not post in <#{ $channel }>
tickets-err-edit = I could not update the message in <#{ $channel }>
tickets-err-read-history = could not read the messages of <#{ $channel }> for the transcript
tickets-warning = ⚠️ { $error }.
tickets-archived = 📦 Ticket archived; the transcript is in the log channel.

## Settings
tickets-limit-range = The limit of open tickets per member must be 1 to { $max }.
tickets-bad-duration = `{ $text }` is not a duration: use e.g. `48h`, `2d`, `30m`, or `off`.
tickets-delay-range = The close delay must be 1 to { $max } seconds.
tickets-settings = **Ticket settings**
tickets-saved = Saved ({ $changed }).
tickets-changed-log-channel = log channel
tickets-changed-mode = mode
tickets-changed-on-close = close action
tickets-changed-category = category
tickets-changed-archive-category = archive category
tickets-changed-limit = limit
tickets-changed-ask-reason = reason form
tickets-changed-autoclose = autoclose
tickets-changed-close-delay = close delay
tickets-everyone-staff = @everyone cannot be ticket staff: every member would see every ticket.
tickets-staff-added = <@&{ $role }> is now ticket staff: it sees and handles new tickets.
tickets-staff-removed = <@&{ $role }> is no longer ticket staff (tickets already open keep it).
tickets-not-set = not set
tickets-no-staff = none (only Manage Server)
tickets-no-log = not set: tickets close without a transcript
tickets-mode-channel = private channel
tickets-mode-thread = private thread
tickets-on-close-delete = delete
tickets-on-close-archive = archive
tickets-on = on
tickets-off = off
tickets-autoclose-after = after { $delay } without messages
tickets-settings-lines = Transcripts: { $log }
    Mode: { $mode }
    On close: { $on_close }
    Category: { $category }
    Archive category: { $archive }
    Staff: { $staff }
    Open tickets per member: { $limit }
    Reason form: { $ask_reason }
    Autoclose: { $autoclose }
    Close delay: { $delay }

## Panels
tickets-no-panel = There is no panel #{ $panel } in this server: `/ticket panels` lists them.
tickets-title-length = The title must be 1 to 256 characters.
tickets-description-length = The description must be at most 4000 characters.
tickets-panel-post-failed = { $error }. Give me View Channel, Send Messages and Embed Links there and try again.
tickets-panel-posted = Panel #{ $panel } posted in <#{ $channel }>. Add ticket categories with `/ticket topic-add panel:{ $panel }` to offer a menu instead of one button.
tickets-topic-name-length = The topic name must be 1 to 80 characters.
tickets-topic-description-length = The topic description must be at most 100 characters.
tickets-everyone-topic-staff = @everyone cannot be ticket staff.
tickets-too-many-topics = A panel offers at most { $max } topics (Discord's menu limit).
tickets-topic-added = Topic **{ $name }** added on panel #{ $panel }.{ $note }
tickets-topic-updated = Topic **{ $name }** updated on panel #{ $panel }.{ $note }
tickets-no-such-topic = Panel #{ $panel } has no topic `{ $name }`. Its topics: { $topics }.
tickets-none = none
tickets-topic-removed = Topic removed from panel #{ $panel }.{ $note }
tickets-no-panels = No panels yet: `/ticket panel #channel` posts one.
tickets-panels-title = **Ticket panels**
tickets-panel-line = #{ $panel } in <#{ $channel }>: { $title } — { $what }
tickets-panel-one-button = one button
tickets-panel-topics = topics: { $topics }
tickets-err-delete-panel = I could not delete the panel message
tickets-panel-deleted = Panel #{ $panel } deleted; open tickets are not affected.
tickets-panel-deleted-note = Panel #{ $panel } deleted; open tickets are not affected. { $error }; delete it by hand.
tickets-panel-message-gone = The panel message was deleted: `/ticket panel-delete panel:{ $panel }` and post a new one.
tickets-panel-not-updated = The panel message could not be updated: { $error }.
