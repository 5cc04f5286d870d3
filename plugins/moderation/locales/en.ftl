# The moderation module's texts. English is the fallback; the English command names and
# descriptions are the doc comments in src/spec.rs, the French ones are in fr.ftl.
# (Only some replies are here yet: see the i18n2 report.)

moderation-dm = Moderation commands work in a server, not in DMs.
moderation-say-who = Say who: `/{ $command } { $option }:@someone` or `!{ $command } @someone`.
moderation-give-reason = Give a reason: `/warn @member spamming`.
moderation-purge-count = Give a count of 1 to 100.
