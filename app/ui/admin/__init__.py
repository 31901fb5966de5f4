"""Administration screens (users, and later settings, backups, audit log)."""
