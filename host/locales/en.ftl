# The host's own answers to members (built-in commands, refusals), English being the fallback.
# French command names and descriptions are in fr.ftl only (the English ones are in the specs).

host-owners-only = `{ $command }` is for the bot's owners only.
host-bot-admins-control = `{ $command }` acts on the bot in every server, so only the bot's owners, or administrators of its control server (in that server), may use it.
host-bot-admins-owners = `{ $command }` acts on the bot in every server, so only the bot's owners (an owner can set `control_guild` in arsenal.toml to let one server's administrators use it too), may use it.
host-missing-permission = You need the { $permissions } permission to use `{ $command }`.
host-permission-required = required
host-command-unavailable = `{ $command }` is not available: the module that provides it is not loaded. An administrator can check `!module list`.
host-module-not-loaded = `{ $command }` belongs to the module `{ $module }`, which is not loaded right now. An administrator can load it with `!module load { $module }`.
host-unknown-subcommand = Unknown subcommand. Usage: { $usage }
host-reexec-started = Restarting in place: the gateway sessions are handed to the new process, which resumes them (events sent meanwhile are replayed). Modules answer again in a few seconds.
host-reexec-unavailable = Restarting in place is only available when the bot runs as `arsenal run` (not in the sandbox).
host-prefix-guild-only = Prefixes are per server; use this in a server.
host-prefix-invalid = The prefix must be 1 to 10 characters, without backticks.
host-prefix-set = Prefix set to `{ $prefix }`: try `{ $prefix }module list`.
host-prefix-not-saved = The prefix could not be saved, it is unchanged: { $error }
host-module-unreadable = ⚠ Module `{ $module }` answered something the host cannot read ({ $error }); is it built for this host?
host-module-failed = ⚠ Module `{ $module }`: { $error }
host-button-orphan = This button does not belong to any Arsenal module.
host-form-orphan = This form does not belong to any Arsenal module.
host-form-too-slow = The form took too long to open; please try again.
host-done = Done.
host-reload-again = Use `/reload all` again.
host-slash-only = This command opens a form: use it as a slash command.
host-reloading = Reloading…

host-module-path = `{ $typed }` looks like a path; modules are named by their module name (see `!module list`).
host-module-unknown = Unknown module `{ $typed }`. Known modules: { $known }. A new module appears here once its `.so` is in the plugins folder (`cargo xtask build-plugins`).
host-module-unknown-close = Unknown module `{ $typed }`. Did you mean { $close }?
host-or = or
host-none-yet = none yet
host-module-reloaded = ✅ `{ $module }` reloaded: { $old } → { $new } in { $ms } ms. Its data is untouched (backup taken).
host-module-loaded = ✅ `{ $module }` { $new } loaded in { $ms } ms.
host-module-reload-refused = ❌ Reload of `{ $module }` refused: { $error }
    The previous version ({ $version }) keeps serving; nothing was lost.
host-module-load-failed = ❌ `{ $module }` could not be loaded: { $error }
host-module-unloaded = ✅ `{ $module }` unloaded. Its data stays in the store; `!module load { $module }` brings it back.
host-module-unload-failed = ❌ { $error }. Loaded modules: { $loaded }.
host-canary-started = 🐤 `{ $module }` { $new } is a canary in server { $guild } (started in { $ms } ms); every other server stays on { $old }. `/reload promote` makes it serve every server, `/reload rollback` retires it.
host-canary-refused = ❌ Canary of `{ $module }` refused: { $error }
    Every server stays on the version it runs; nothing was lost.
host-canary-bad-server = ❌ `{ $typed }` is not a server id: give the server's id (a number: right-click the server, Copy Server ID).
host-canary-unknown-server = ❌ The bot is not in server { $guild }, so a canary there would serve nobody; give the id of a server the bot is in.
host-canary-promoted = ✅ `{ $module }` { $new }, the canary of server { $guild }, now serves every server ({ $old } stopped); plugins/{ $module }.canary.so became plugins/{ $module }.so.
host-canary-rolled-back = ✅ The canary `{ $module }` { $canary } is retired: server { $guild } is served by { $stable } again. Its file plugins/{ $module }.canary.so stays where it is.
host-canary-failed = ❌ { $error }
host-reload-all-none = No module in the plugins folder; build them with `cargo xtask build-plugins`.
host-reload-all-start = Reloading { $count } modules…
host-reload-all-done = **Done:** { $ok } reloaded, { $failed } failed{ $failed ->
        [0] {""}
       *[other] {" "}(failed modules keep their previous version; see `!module logs`)
    }.

host-scope-channel-elsewhere = `{ $option }`: that channel is not in this server. Pick one of this server's channels.
host-scope-role-elsewhere = `{ $option }`: that role is not in this server. Pick one of this server's roles.
host-scope-channel-dm = `{ $option }`: a channel can only be given in its own server; use this command there.
host-scope-role-dm = `{ $option }`: a role can only be given in its own server; use this command there.
