"""The admin of "wie weet wat": read-mostly lists for staff (writes go through the pages)."""

from django.contrib import admin

from knowledge.models import Question, Wish


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("title", "community", "state", "answer_count", "created_at")
    list_filter = ("state",)
    search_fields = ("title",)
    # Who asked stays out of the admin: an anonymous question must stay anonymous.
    readonly_fields = ("posted_by", "accepted_answer")
    exclude = ("tags", "author")


@admin.register(Wish)
class WishAdmin(admin.ModelAdmin):
    list_display = ("title", "community", "state", "created_at")
    list_filter = ("state",)
    search_fields = ("title",)
    readonly_fields = ("author", "from_question", "session")
