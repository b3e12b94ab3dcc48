"""The employer's replies to an application: reading them (`parse`), suggesting what they mean (`classify`).

Pure functions: no models, no database, no network. A reply is untrusted input from outside: its HTML is
sanitised before anyone shows it (`sanitize_html`), its attachments are counted but never kept, and the
classification is a suggestion shown with the phrases behind it, for the user to confirm.
"""
