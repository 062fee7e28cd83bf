"""Intervision pages. Everything of a group answers 404 to people outside it; case text and
live items are rendered for the group only, and nothing here logs them."""
