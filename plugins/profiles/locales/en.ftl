# The user profiles module (`/profile`), in English.

## Where profiles work

profile-guild-only = Profiles belong to a server: use /profile there, not in direct messages.

## /profile config

profile-saved = Your profile is saved.
profile-summary =
    - **Bio:** { $bio }
    - **Writing style:** { $style }
    - **Theme:** { $theme }
    - **Hidden from others:** { $hidden }
    Change them with `/profile config`; see your card with `/profile view`.
profile-no-bio = none yet (`/profile config bio:`)
profile-nothing-hidden = nothing
profile-bio-empty = A bio needs some text. To erase yours, give `-` as the bio.
profile-bio-too-long = A bio holds at most { $max } characters; yours has { $length }. Shorten it and try again.
profile-hide-and-show = You asked to both hide and show { $field }: pick one.

## /profile reset

profile-reset = Your bio, writing style, theme and privacy choices are erased. Your statistics and achievements stay.
profile-reset-nothing = You had nothing to erase: your profile already uses the defaults.

## /profile test_style

profile-style-sample = Hello, I love this server!
profile-style-preview = **{ $style }:** { $text }

    Every style:
    { $all }

    Keep one with `/profile config style:`.

## /profile announce

profile-announce-permission = Only members with Manage Server choose where achievements are announced.
profile-announce-off = Achievements are not announced in this server. Turn them back on with `/profile announce enabled:True`.
profile-announce-in = Achievements are announced in { $channel }.
profile-announce-where = Achievements are announced in the channel where they are unlocked. Pick one channel with `/profile announce channel:`.

## /profile view

profile-view-title = { $name }'s profile
profile-card-alt = Profile card of { $name }
profile-subtitle = { $theme } · ★ { $count ->
    [one] { $count } achievement
   *[other] { $count } achievements
}
profile-voice-time = { $hours } h { $minutes }

## Fields (privacy and card labels)

profile-field-bio = Bio
profile-field-messages = Messages
profile-field-voice = Voice
profile-field-balance = Coins
profile-field-level = Level
profile-field-achievements = Achievements

## Writing styles

style-normal = Normal
style-bold = Bold
style-italic = Italic
style-script = Script
style-gothic = Gothic
style-monospace = Monospace
style-double-struck = Double-struck
style-small-caps = Small caps
style-wide = Wide

## Themes

theme-classic = Classic
theme-ocean = Ocean
theme-forest = Forest
theme-sunset = Sunset
theme-midnight = Midnight
theme-sakura = Sakura
theme-gold = Gold

## Achievements

profile-achievement-unlocked = 🏆 { $user } unlocked **{ $name }**: { $description }
achievement-first-message = First words
    .description = sent a first message.
achievement-messages-100 = Chatterbox
    .description = sent 100 messages.
achievement-messages-1000 = Pillar of the server
    .description = sent 1,000 messages.
achievement-voice-1h = On the air
    .description = spent an hour in voice channels.
achievement-voice-10h = Radio host
    .description = spent ten hours in voice channels.
achievement-storyteller = Storyteller
    .description = wrote a bio.
