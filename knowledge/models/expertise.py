"""Expertise, opt-in (ARCHITECTURE.md rule 11): the topics a person can help with, and whether
the app may show what it knows about them. Nothing is shown without the person's consent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExpertiseProfile(models.Model):
    """A person's consent and choices. No row, or ``listed`` off: never in "wie weet wat"."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expertise_profile"
    )
    listed = models.BooleanField(
        _("show me in “wie weet wat” for my topics"),
        default=False,
        help_text=_("Colleagues who search for one of your topics find you."),
    )
    show_evidence = models.BooleanField(
        _("show what the app knows"),
        default=False,
        help_text=_(
            "Sessions you hosted, takeaways colleagues found helpful, communities you coordinate."
        ),
    )
    route_questions = models.BooleanField(
        _("send me questions on my topics"),
        default=True,
        help_text=_("In the app and in your weekly digest; at most a few a week."),
    )
    mail_questions = models.BooleanField(
        _("also by e-mail"),
        default=False,
        help_text=_("A mail for each question routed to you (still at most a few a week)."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("expertise profile")
        verbose_name_plural = _("expertise profiles")

    def __str__(self) -> str:
        return str(self.user)


class ExpertiseTopic(models.Model):
    """One topic a person says they can help with ("Omgevingswet", "pytest")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expertise_topics"
    )
    name = models.CharField(_("topic"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=60)

    class Meta:
        verbose_name = _("expertise topic")
        verbose_name_plural = _("expertise topics")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "slug"], name="expertise_topic_once"),
            models.CheckConstraint(condition=~models.Q(slug=""), name="expertise_topic_slug"),
        ]
        indexes = [models.Index(fields=["slug"], name="expertise_topic_slug_idx")]

    def __str__(self) -> str:
        return self.name
