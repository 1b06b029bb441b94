"""I/O at the edges: IMAP, Maildir, SMTP, outbox folder, database, clock, catalogue."""
