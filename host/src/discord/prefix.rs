//! Prefix commands (`!name args…`): parsing a message against the declared command options.
