"""Staff accounts: passwords and roles, signing in within limits, server-side sessions, the audit log."""
