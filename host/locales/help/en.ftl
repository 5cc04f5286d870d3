# The host's /help and /simple_help (English, the fallback).
help-title = Arsenal help
help-intro = Pick a category below to see its commands; click a command to run it.
help-category-line = **{ $name }** — { $description } ({ $count ->
    [one] one command
   *[other] { $count } commands
})
help-builtin = Arsenal (built-in)
help-builtin-description = Help, this server's prefix and the bot's modules
help-choose = Choose a category
help-home = Overview
help-home-description = Every category you can use here
help-no-description = No description
help-more = …and { $count } more
help-prefix = Prefix commands here start with `{ $prefix }`.
help-nothing = There is no command you can use here.
help-gone = The category `{ $name }` is gone (its module was unloaded); here is the help as it is now.
help-simple-title = **Commands you can use here** (`/help` for details)
