"""Is the stack up? The worker heartbeat and the checks behind /healthz."""
