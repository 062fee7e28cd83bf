"""Intervision: methods and phases, rota, case submissions, the live console (intervision issue)."""
