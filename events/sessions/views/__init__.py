"""Session pages, by who uses them: everyone (what's on, a session), hosts, schedulers."""
