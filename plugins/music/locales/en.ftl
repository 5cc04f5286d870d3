# The music module, English.

music-guild-only = Music plays in a server's voice channels, not in direct messages.
music-old-button = This button belongs to an older message: run `/queue` again.
music-yes = yes
music-no = no
music-page = Page { $page } of { $pages }
music-more = …and { $count } more.

## Playing

music-play-usage = Tell me what to play: words to search, a link, `file:<path>` for a file of the music folder, or a link to a file posted on Discord.
music-attachment-missing = The attached file did not reach me; attach it again.
music-bad-path = `{ $path }` is not a file of the music folder: give a path inside it, like `albums/intro.ogg` (no `..`, not starting with `/`, at most 200 characters).
music-bad-link = That link is not valid: give one whole `https://…` link without spaces.
music-query-too-long = That is too long: at most { $max } characters.
music-server-not-ready = I do not know this server's voice channels yet (I just connected): try again in a few seconds.
music-join-voice-first = Join a voice channel first, then run the command again.
music-busy-elsewhere = I am playing for others in <#{ $channel }>: join them there, or wait until the music ends.
music-join-failed = I could not join <#{ $channel }>: { $error }
music-queue-full = The queue is full ({ $max } tracks): wait for some to play, or `/clear` it.
music-playing = ▶ Playing **{ $title }**.
music-queued = Queued **{ $title }** at position { $position }.
music-play-failed = Could not play **{ $title }**: { $error }
music-track-failed = ⚠ Could not play **{ $title }**: { $error } Moving on to the next track.
music-now-playing-announce = 🎶 Now playing **{ $title }** { $length } — queued by <@{ $user }>

## The queue

music-queue-now = { $state } **{ $title }** — <@{ $user }>
music-queue-nothing-now = Nothing is playing.
music-queue-empty-after = Nothing is queued after it.
music-queue-footer = Page { $page } of { $pages } · { $count } tracks · { $length } · loop: { $mode }
music-queue-empty = The queue is empty: add tracks with `/play`.
music-bad-position = There is no such track: the queue holds { $count ->
    [one] 1 track (number 1)
   *[other] { $count } tracks (numbers 1 to { $count })
}.
music-bad-page = There is no page { $page }: there { $pages ->
    [one] is 1 page
   *[other] are { $pages } pages
}.
music-queue-changed = The queue changed meanwhile: look at `/queue` and try again.
music-removed = Removed **{ $title }**.
music-moved = Moved **{ $title }** to position { $to }.
music-shuffled = Shuffled { $count ->
    [one] 1 track
   *[other] { $count } tracks
}.
music-cleared = Removed { $count ->
    [one] 1 track
   *[other] { $count } tracks
} from the queue.

## Controls

music-nothing-playing = Nothing is playing.
music-skipped = ⏭ Skipped **{ $title }**.
music-vote-join = Only members listening in <#{ $channel }> may vote: join it first.
music-vote-counted = Your vote counts: { $votes } of the { $needed } needed to skip.
music-vote-passed = ⏭ Skipped **{ $title }** ({ $votes } votes of { $listeners } listeners).
music-already-paused = The music is already paused: `/resume` it.
music-not-paused = The music is not paused.
music-paused = ⏸ Paused.
music-resumed = ▶ Resumed.
music-host-refused = The player refused: { $error }
music-bad-time = `{ $time }` is not a time: write it like `1:30`, `90` (seconds) or `1:02:03`.
music-seek-past-end = { $time } is past the end of the track ({ $length }).
music-seeked = Moved to { $time }.
music-loop-off = Loop off: the queue ends after its last track.
music-loop-track = 🔂 Looping the track.
music-loop-queue = 🔁 Looping the queue.
music-loop-name-off = off
music-loop-name-track = track
music-loop-name-queue = queue
music-bad-volume = { $volume } is not a volume: give a number from 0 to 200.
music-volume-set = Volume set to { $volume }%.
music-now-playing = { $state } **{ $title }** — queued by <@{ $user }>
    { $progress } · volume { $volume }%
music-not-connected = I am not in a voice channel.
music-left = Left the voice channel and emptied the queue.
music-left-alone = Left <#{ $channel }>: nobody was listening. `/resume` picks up where it stopped.

## DJ role and preferences

music-dj-only = Only DJs (<@&{ $role }>) and managers may do that; you may still add tracks, vote with `/voteskip` and remove your own tracks.
music-dj-set = DJ role set to <@&{ $role }>: its members and managers control the music; everyone may add tracks and vote to skip.
music-dj-cleared = No DJ role any more: everyone may control the music.
music-prefs = Your music preferences: volume when I join for you: { $volume }; announce your tracks: { $announce }.
music-prefs-volume-unset = the server's

## History

music-history-empty = Nothing was played yet.

## Playlists

music-playlist-bad-name = `{ $name }` is not a playlist name: use 1 to { $max } letters, digits, spaces, `-` or `_`.
music-playlist-server-managers = Only DJs and managers may save or delete the server's playlists; save it as yours instead (without `server`).
music-playlist-empty-queue = The queue is empty: there is nothing to save.
music-playlist-too-long = The queue holds { $count } tracks; a playlist holds at most { $max }. Remove some with `/remove` or `/clear` first.
music-playlist-limit = There are already { $max } playlists here: delete one with `/playlist delete` first.
music-playlist-saved = Saved **{ $name }** ({ $count ->
    [one] 1 track
   *[other] { $count } tracks
}).
music-playlist-replaced = Replaced **{ $name }** ({ $count ->
    [one] 1 track
   *[other] { $count } tracks
}).
music-playlist-not-found = There is no playlist **{ $name }**: see `/playlist list`.
music-playlist-loaded = Added { $count ->
    [one] 1 track
   *[other] { $count } tracks
} from **{ $name }**.
music-playlist-deleted = Deleted **{ $name }**.
music-playlist-none = none
music-playlist-list = 👤 **Your playlists**
    { $mine }
    🏠 **This server's playlists**
    { $server }
