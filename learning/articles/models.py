"""Knowledge articles: how-tos, instruction cards, checklists and standard procedures (Markdown)
with an owner, co-authors, a review interval, the takeaways' freshness, versions and files."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from events.models import Session
from events.takeaways.rules import freshness_status


class Article(models.Model):
    """One article. Without a community it is the organisation's (everyone signed in reads it);
    in a community it follows the community's privacy (a private one's stay inside it).

    Freshness as takeaways: published → review due (``review_due`` reached) → reviewed (the date
    moves on), superseded (``superseded_by``) or archived. On PostgreSQL the table has a
    ``search_document`` tsvector kept by a trigger (migration 0002), Dutch + English + simple.
    """

    class Kind(models.TextChoices):
        HOWTO = "howto", _("how-to")
        INSTRUCTION = "instruction", _("instruction card")
        CHECKLIST = "checklist", _("checklist")
        PROCEDURE = "procedure", _("standard procedure")

    title = models.CharField(_("title"), max_length=160)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.HOWTO)
    body = models.TextField(_("text"), max_length=50_000, blank=True)
    community = models.ForeignKey(
        Community,
        verbose_name=_("community"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="articles",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_articles",
    )
    sessions = models.ManyToManyField(
        Session, blank=True, related_name="articles", verbose_name=_("sessions")
    )
    review_months = models.PositiveSmallIntegerField(_("review every (months)"), default=12)
    review_due = models.DateField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supersedes"
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["howto", "instruction", "checklist", "procedure"]),
                name="article_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(review_months__gte=1, review_months__lte=36),
                name="article_review_months_range",
            ),
            models.CheckConstraint(
                condition=Q(superseded_by__isnull=True) | ~Q(superseded_by=F("pk")),
                name="article_not_superseded_by_itself",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="article_version_positive"),
        ]
        indexes = [models.Index(fields=["review_due"], name="article_review_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.archived_at is None and self.superseded_by_id is None

    @property
    def status(self) -> str:
        return freshness_status(
            archived=self.archived_at is not None,
            superseded=self.superseded_by_id is not None,
            review_due=self.review_due,
            today=timezone.localdate(),
        )


class ArticleCoauthor(models.Model):
    """A co-author may edit the article; the owner keeps it fresh."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="coauthorships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="article_coauthorships"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("co-author")
        verbose_name_plural = _("co-authors")
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="article_coauthor_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.article}"


class ArticleVersion(models.Model):
    """What the article said after one save, and who saved it (erasure keeps the text, not the
    author)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=160)
    body = models.TextField(max_length=50_000, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="article_versions",
    )
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="article_version_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="article_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


class ArticleFile(models.Model):
    """An image or attachment of an article, kept in the database (as the logos and photos are),
    served only to those who may read the article. The type was read from the content."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    data = models.BinaryField(editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="article_files",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("article file")
        verbose_name_plural = _("article files")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gt=0, size__lte=5 * 1024 * 1024), name="article_file_size"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
