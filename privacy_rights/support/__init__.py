"""Support access: a user grants our support staff time-limited, read-only access to their data, and sees
every page support opens in their activity log."""
