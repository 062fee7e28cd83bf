"""The events layer's processing activities for the processing register (communities.register)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from communities.organisation import OrganisationSettings
from communities.register.activities import Activity, register_activity, until_erased


def _takeaways(org: OrganisationSettings) -> str:
    months = org.takeaway_review_months
    return str(
        _(
            "As long as the author keeps them; reviewed after %(months)s (organisation setting). "
            "On erasure private ones are deleted, shared ones kept without the author."
        )
        % {"months": ngettext("%(n)d month", "%(n)d months", months) % {"n": months}}
    )


def register_activities() -> None:
    register_activity(
        Activity(
            code="sessions",
            title=_("Sessions, answers and calendars"),
            purpose=_(
                "Plan sessions, keep seats and waiting lists, and keep people's calendars up to "
                "date (invitations, replies, reminders)."
            ),
            subjects=_("Hosts and everyone who answers a session or a series."),
            audience=_(
                "Hosts and coordinators of the community; the person; people going see who "
                "else goes."
            ),
            retention=until_erased,
            sections=(
                "sessions",
                "series",
                "rsvps",
                "series_rsvps",
                "calendar_invitations",
                "calendar_replies",
                "reminder_preferences",
                "messages_to_members",
            ),
            safeguards=_("Calendar feeds under a secret token stored hashed."),
        )
    )
    register_activity(
        Activity(
            code="takeaways",
            title=_("Takeaways"),
            purpose=_("Keep and share what people learned, and keep it fresh (reviews)."),
            subjects=_("Authors, owners and reviewers of takeaways; people who mark them helpful."),
            audience=_(
                "As the author chose: only them, the community or the organisation; a private "
                "community's takeaways never leave it."
            ),
            retention=_takeaways,
            sections=("takeaways", "helpful_marks", "takeaway_reviews"),
        )
    )
    register_activity(
        Activity(
            code="festivals",
            title=_("Knowledge festivals"),
            purpose=_("Run a festival: proposals and reviews, the programme, speakers, feedback."),
            subjects=_("Speakers, co-speakers, reviewers, organisers and attendees."),
            audience=_(
                "Organisers and reviewers (proposals, scores); attendees (the programme, speaker "
                "pages); feedback only for the speaker."
            ),
            retention=until_erased,
            sections=(
                "festival_proposals",
                "festival_co_speaking",
                "festival_reviews",
                "festival_roles",
                "festival_programmes_published",
                "festival_stands_hosted",
                "festival_stand_material",
                "festival_feedback",
                "speaker_page",
            ),
        )
    )
