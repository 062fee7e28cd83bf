"""The one outbox for everything the app sends: rows, rendering, send checks, the sweep and
send tasks, the outbox screens and the development mail viewer."""
