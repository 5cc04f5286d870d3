# The SDK's own answers to members: options that do not fit a command, and the defaults of
# handlers a module does not implement. English is the fallback.

sdk-option-missing = The option `{ $option }` is required.
sdk-option-wrong-type = The option `{ $option }` must be { $expected }.
sdk-option-range-between = The option `{ $option }` must be { $expected } between { $low } and { $high }.
sdk-option-range-min = The option `{ $option }` must be { $expected } at least { $low }.
sdk-option-range-max = The option `{ $option }` must be { $expected } at most { $high }.
sdk-option-length-between = The option `{ $option }` must be { $min } to { $max } characters long.
sdk-option-length-min = The option `{ $option }` must be at least { $min } characters long.
sdk-option-length-max = The option `{ $option }` must be at most { $max } characters long.
sdk-option-choice = The option `{ $option }` must be one of: { $choices }.
sdk-option-unresolved = The user given as `{ $option }` could not be found; mention a member of this server.
sdk-option-duration-malformed = The option `{ $option }`: `{ $given }` is not a duration: use a number and a unit, like `30s`, `10m`, `2h`, `7d` or `1w`.
sdk-option-duration-zero = The option `{ $option }`: The duration must be longer than zero.
sdk-option-duration-too-long = The option `{ $option }`: That is longer than a year; use a shorter duration.
sdk-subcommand-unknown = `{ $at }` has no subcommand `{ $given }`: use `{ $choices }`.
sdk-subcommand-missing = `{ $at }` needs a subcommand: `{ $choices }`.

sdk-expect-whole-number = a whole number
sdk-expect-number = a number
sdk-expect-text = a text
sdk-expect-boolean = yes or no (true or false)
sdk-expect-user = a user
sdk-expect-channel = a channel
sdk-expect-role = a role
sdk-expect-attachment = an attached file
sdk-expect-mentionable = a user or a role
sdk-expect-choice = one of the listed choices
sdk-expect-duration = a duration like `10m` or `2d`

sdk-component-unhandled = This button is no longer handled by its module.
sdk-modal-unhandled = This form is no longer handled by its module.
