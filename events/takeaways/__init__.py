"""What people learned: capture, search, freshness, recognition."""
