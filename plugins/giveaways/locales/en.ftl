# The giveaways module (`/giveaway`), English.

## Where giveaways live

giveaway-guild-only = Giveaways live in a server, not in direct messages.
giveaway-gone = This giveaway was deleted.
giveaway-old-form = This form belongs to an older version of the giveaways module: run `/giveaway start` again.

## Starting

giveaway-prize-and-duration = Give both a `prize` and a `duration` (like `2h` or `3d`), or neither to fill the form.
giveaway-prefix-usage = Give the prize and the duration: `!giveaway start "Steam key" 2d winners=2` (the form needs the slash command).
giveaway-form-title = New giveaway
giveaway-form-prize = Prize
giveaway-form-duration = Duration (30m, 2h, 3d)
giveaway-form-winners = Number of winners (1 to 50, default 1)
giveaway-form-description = Description (optional)
giveaway-form-no-prize = The prize cannot be empty.
giveaway-bad-duration = `{ $duration }` is not a duration: write it like `30m`, `2h`, `3d` or `1h30m` (at most a year).
giveaway-bad-winners = `{ $winners }` is not a number of winners: write a whole number from 1 to { $max }.
giveaway-bonus-not-role = `{ $word }` is not a role in the bonus: write each role (mention or id) followed by its extra entries, like `@Booster 2 @VIP 1`.
giveaway-bonus-bad-count = `{ $word }` is not a number of extra entries: write a whole number from 1 to { $max } after each role.
giveaway-bonus-no-count = { $role } has no number of extra entries after it: write it like `@Booster 2`.
giveaway-bonus-twice = { $role } is twice in the bonus: give each role once.
giveaway-bonus-too-many = At most { $max } bonus roles per giveaway.
giveaway-cannot-post = I cannot post in { $channel }: give me View Channel, Send Messages and Embed Links there, or pick another channel.
giveaway-post-failed = Discord refused the giveaway message in { $channel }: { $reason }
giveaway-started = Giveaway posted in { $channel } (message `{ $id }`), ending { $when }. The seed's SHA-256, shown on it until the end reveals the seed: `{ $hash }`
giveaway-level-needs-economy = A level requirement cannot be used now: { $why } Start it without `min_level`, or once economy answers.
giveaway-economy-not-loaded = the economy module, which keeps levels, is not loaded in this bot.
giveaway-economy-failed = the economy module did not answer ({ $reason }).

## The giveaway message

giveaway-ends = Ends { $when }
giveaway-ended-at = Ended { $when }
giveaway-winner-count = { $count ->
    [one] **1** winner
   *[other] **{ $count }** winners
}
giveaway-winners = Winners: { $winners }
giveaway-no-winner = No valid entrants, no winner.
giveaway-hosted-by = Hosted by { $host }
giveaway-entrants = { $count ->
    [one] **1** entrant
   *[other] **{ $count }** entrants
}
giveaway-rule-role = Needs { $role }
giveaway-rule-age = Needs a Discord account at least { $days ->
    [one] 1 day
   *[other] { $days } days
} old
giveaway-rule-level = Needs economy level { $level }
giveaway-rule-bonus = { $role }: +{ $extra ->
    [one] 1 entry
   *[other] { $extra } entries
}
giveaway-commitment = Draw commitment, SHA-256 of the seed: `{ $hash }`
giveaway-seed = Seed: `{ $seed }`
giveaway-title-ended = 🎉 { $prize } (ended)
giveaway-enter-button = Enter ({ $count })

## Entering

giveaway-closed = This giveaway has ended: entries are closed.
giveaway-entered = You are in! { $entries ->
    [one] You have 1 entry.
   *[other] You have { $entries } entries (bonus roles included).
}
giveaway-already-in = You already entered ({ $entries ->
    [one] 1 entry
   *[other] { $entries } entries
}). Press Leave to withdraw.
giveaway-leave-button = Leave
giveaway-left = You left the giveaway.
giveaway-not-in = You had not entered this giveaway.
giveaway-needs-role = You need { $role } to enter this giveaway.
giveaway-needs-age = Your Discord account must be at least { $days ->
    [one] 1 day
   *[other] { $days } days
} old to enter this giveaway.
giveaway-needs-level = You need economy level { $level } to enter; you are level { $yours }.
giveaway-level-unchecked = Your level cannot be checked now, so you cannot enter yet: { $why } Try again later or ask an administrator.

## Ending and rerolling

giveaway-announce = 🎉 Congratulations { $winners }! You won **{ $prize }**.
giveaway-announce-none = Nobody could win **{ $prize }**: the giveaway had no valid entrants.
giveaway-reroll-announce = 🎉 New draw for **{ $prize }**: congratulations { $winners }!
giveaway-reroll-none = New draw for **{ $prize }**: nobody is left to draw.
giveaway-announce-proof = Seed `{ $seed }`; the entrant list is attached: anyone can redo the draw ({ $link }).
giveaway-ended-now = **{ $prize }** ended; winners: { $winners }.
giveaway-ended-nobody = **{ $prize }** ended with no valid entrant: no winner.
giveaway-already-ended = Giveaway `{ $id }` has already ended: its winners were drawn once. Use `/giveaway reroll` for new winners.
giveaway-announce-failed = The draw is saved, but I could not announce it in { $channel } ({ $reason }); I will try again in a minute.
giveaway-reroll-announce-failed = The new winners are saved (see `/giveaway list`), but I could not announce them in { $channel } ({ $reason }): give me Send Messages and Attach Files there, or tell them yourself.
giveaway-reroll-open = Giveaway `{ $id }` is still running: end it first with `/giveaway end`.
giveaway-reroll-forgotten = Giveaway `{ $id }` ended more than 30 days ago: its entrants were forgotten, so nobody can be drawn any more.
giveaway-rerolled = New winners: { $winners }.
giveaway-reroll-nobody = Every entrant has already won: nobody is left to draw.

## Managing

giveaway-bad-id = `{ $id }` is not a giveaway's message id: copy it from `/giveaway list`.
giveaway-unknown = There is no giveaway `{ $id }` in this server: see `/giveaway list`.
giveaway-list-empty = No giveaways in this server yet: start one with `/giveaway start`.
giveaway-list-title = { $count ->
    [one] **1 giveaway**
   *[other] **{ $count } giveaways**
}, newest first:
giveaway-list-open = `{ $id }` **{ $prize }** in { $channel }: ends { $when }, { $count } entrants
giveaway-list-ended = `{ $id }` **{ $prize }** in { $channel }: ended, { $count } entrants, winners { $winners }
giveaway-choice-open = running
giveaway-choice-ended = ended
giveaway-list-more = …and { $count } older.
giveaway-deleted = Giveaway **{ $prize }** deleted, with its entries.
giveaway-delete-message-failed = Its message could not be deleted: { $reason }

