"""Intervision pages arrive with the intervision issue; the prefix is reserved here."""

urlpatterns: list = []
