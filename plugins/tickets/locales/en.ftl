# The tickets module's texts. English is the fallback; the English command names and
# descriptions are the doc comments in src/command.rs, the French ones are in fr.ftl.
# (Only some replies are here yet: see the i18n2 report.)

tickets-dm = Tickets work in a server, not in DMs.
tickets-need-manage-server = You need the Manage Server permission to set up tickets.
tickets-old-button = This button is from an older version of the ticket module; ask staff to post a new panel.
tickets-old-form = This form is from an older version of the ticket module; please try again.
