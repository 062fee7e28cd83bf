"""Cursor pagination: stable pages under inserts, opaque ``cursor`` links."""

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("id",)


class StartCursor(Cursor):
    ordering = ("start", "id")


class NameCursor(Cursor):
    ordering = ("name", "id")
