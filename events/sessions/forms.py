"""Forms of the session pages: they validate input and build what the services take.

Times are entered as a date and a wall-clock time in the chosen time zone (the organisation's
by default) and turned into aware datetimes here; the services check the business rules.
"""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from communities.forms import COMMON_TIMEZONES, DATE_INPUT, TIME_INPUT, DateField
from communities.models import Community, Membership, User
from events.models import Rsvp, Session
from events.series.forms import RecurrenceForm
from events.sessions.selectors import organisation_timezone
from events.sessions.services.scheduling import FORMAT_DEFAULTS, SessionDetails

# Intervision meetings and festival talks are scheduled from their own pages.
SCHEDULABLE_FORMATS = [
    (value, label)
    for value, label in Session.Format.choices
    if value not in (Session.Format.INTERVISION, Session.Format.FESTIVAL_TALK)
]
MAX_CAPACITY = 10_000
ZONE_NAMES = frozenset(available_timezones())
MAX_MATERIAL_LINKS = 20


def local_datetime(day: date, at: time, zone: str) -> datetime:
    """An aware datetime for a wall-clock time in ``zone``; refuses times that do not exist
    (the hour skipped when clocks go forward)."""
    tz = ZoneInfo(zone)
    value = datetime.combine(day, at, tzinfo=tz)
    round_trip = value.astimezone(ZoneInfo("UTC")).astimezone(tz)
    if round_trip.replace(tzinfo=None) != value.replace(tzinfo=None):
        raise forms.ValidationError(
            _("%(time)s does not exist on that day in %(zone)s (the clocks change).")
            % {"time": at.strftime("%H:%M"), "zone": zone}
        )
    return value


def format_defaults_help() -> list[tuple[str, int, int | None]]:
    """(format label, minutes, seats) for the help text under the format field."""
    return [
        (label, FORMAT_DEFAULTS[value].minutes, FORMAT_DEFAULTS[value].capacity)
        for value, label in SCHEDULABLE_FORMATS
        if value in FORMAT_DEFAULTS
    ]


class HostChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.name


class SessionForm(forms.Form):
    """Everything of SessionDetails. Empty end time or capacity take the format's defaults."""

    title = forms.CharField(label=_("Title"), max_length=200)
    format = forms.ChoiceField(
        label=_("Format"),
        choices=SCHEDULABLE_FORMATS,
        help_text=_("Leave the end time or capacity empty to use the format's defaults."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown: **bold**, *italic*, lists, links."),
    )
    hosts = HostChoiceField(
        label=_("Hosts and speakers"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Members of the community; you host it yourself when you choose nobody."),
    )
    guest_speaker = forms.CharField(
        label=_("Guest speaker"),
        max_length=200,
        required=False,
        help_text=_("Someone from outside the app, e.g. “Ada Jansen, gemeente Utrecht”."),
    )
    start_date = DateField(label=_("Date"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("Start time"), widget=TIME_INPUT)
    end_time = forms.TimeField(
        label=_("End time"),
        widget=TIME_INPUT,
        required=False,
        help_text=_("Empty: the format's usual length."),
    )
    end_date = DateField(
        label=_("End date"),
        widget=DATE_INPUT,
        required=False,
        help_text=_("Only for sessions that run over several days."),
    )
    # A text box with suggestions (a datalist in the template) instead of a select of
    # hundreds of zones: typing "Ams" finds Europe/Amsterdam.
    timezone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        widget=forms.TextInput(attrs={"list": "timezone-choices", "autocomplete": "off"}),
        help_text=_("Type to search, e.g. Amsterdam."),
    )
    location = forms.CharField(
        label=_("Location"),
        max_length=200,
        required=False,
        help_text=_("Room or address. Give a location, an online link, or both (hybrid)."),
    )
    online_url = forms.URLField(
        label=_("Online meeting link"), max_length=200, required=False, assume_scheme="https"
    )
    capacity = forms.IntegerField(
        label=_("Seats in the room"),
        min_value=1,
        max_value=MAX_CAPACITY,
        required=False,
        help_text=_("Empty: the format's default."),
    )
    no_seat_limit = forms.BooleanField(label=_("No seat limit"), required=False)
    online_capacity = forms.IntegerField(
        label=_("Online places"),
        min_value=1,
        max_value=MAX_CAPACITY,
        required=False,
        help_text=_("Empty: no limit online."),
    )
    rsvp_deadline_date = DateField(label=_("Sign-up closes on"), widget=DATE_INPUT, required=False)
    rsvp_deadline_time = forms.TimeField(
        label=_("Sign-up closes at"),
        widget=TIME_INPUT,
        required=False,
        help_text=_("Optional. Saying you cannot come stays possible after it."),
    )
    materials = forms.CharField(
        label=_("Materials"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Links to slides, code or recordings, one per line."),
    )
    members_only = forms.BooleanField(label=_("Only for members of the community"), required=False)
    max_guests = forms.IntegerField(
        label=_("Guests each person may bring"),
        min_value=0,
        max_value=10,
        initial=0,
        required=False,
        help_text=_("Guests take seats too."),
    )

    def __init__(self, *args, community: Community | None, current_format: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.community = community
        if current_format and current_format not in dict(SCHEDULABLE_FORMATS):
            # Editing e.g. an intervision meeting here keeps its format.
            self.fields["format"].choices = [
                *SCHEDULABLE_FORMATS,
                (current_format, dict(Session.Format.choices).get(current_format, current_format)),
            ]
        hosts = User.objects.filter(is_active=True)
        if community is not None:
            hosts = hosts.filter(
                memberships__community=community, memberships__state=Membership.State.ACTIVE
            ).distinct()
        self.fields["hosts"].queryset = hosts.order_by("display_name", "email")
        self.fields["timezone"].initial = organisation_timezone()
        self.timezone_choices = COMMON_TIMEZONES
        if community is None or community.visibility == Community.Visibility.PRIVATE:
            # Only a public community's sessions can be closed to non-members.
            del self.fields["members_only"]

    # Fields behind a disclosure on the form; a section opens when one of its fields has an error.
    SECTIONS = {
        "more": ("description", "hosts", "guest_speaker", "materials", "end_date"),
        "repeat": (
            "repeat",
            "frequency",
            "interval",
            "weekday",
            "nth",
            "day",
            "ends",
            "until",
            "count",
        ),
        "seats": (
            "capacity",
            "no_seat_limit",
            "online_capacity",
            "max_guests",
            "members_only",
            "rsvp_deadline_date",
            "rsvp_deadline_time",
        ),
    }

    def open_sections(self) -> set[str]:
        if not self.is_bound:
            return set()
        return {
            name
            for name, fields in self.SECTIONS.items()
            if any(field in self.errors for field in fields)
        }

    # -- validation ----------------------------------------------------------------------------

    def clean_materials(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["materials"].splitlines()]
        links = [line for line in lines if line]
        if len(links) > MAX_MATERIAL_LINKS:
            raise forms.ValidationError(_("At most %(max)d links.") % {"max": MAX_MATERIAL_LINKS})
        check = URLValidator(schemes=["http", "https"])
        for link in links:
            try:
                check(link)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(link)s” is not a web address (http:// or https://).")
                    % {"link": link[:80]}
                ) from None
        return "\n".join(links)

    def clean_timezone(self) -> str:
        zone = self.cleaned_data["timezone"].strip()
        if zone not in ZONE_NAMES:
            raise forms.ValidationError(
                _("Choose a time zone from the list, such as Europe/Amsterdam.")
            )
        return zone

    def clean_online_url(self) -> str:
        url = self.cleaned_data["online_url"]
        if url and not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError(_("Give a web address starting with https://."))
        return url

    def clean(self) -> dict:
        data = super().clean()
        zone = data.get("timezone")
        day, at = data.get("start_date"), data.get("start_time")
        if not (zone and day and at):
            return data
        try:
            start = local_datetime(day, at, zone)
        except forms.ValidationError as error:
            self.add_error("start_time", error)
            return data
        defaults = FORMAT_DEFAULTS.get(data.get("format", ""))
        if data.get("end_time") is None and data.get("end_date"):
            self.add_error("end_time", _("Give the end time too."))
            return data
        if data.get("end_time") is None:
            minutes = defaults.minutes if defaults else 60
            end = (start.replace(tzinfo=None) + timedelta(minutes=minutes)).replace(
                tzinfo=start.tzinfo
            )
        else:
            try:
                end = local_datetime(data.get("end_date") or day, data["end_time"], zone)
            except forms.ValidationError as error:
                self.add_error("end_time", error)
                return data
        if end <= start:
            self.add_error("end_time", _("The end must be after the start."))
        data["start"], data["end"] = start, end

        if data.get("no_seat_limit"):
            data["capacity"] = None
        elif data.get("capacity") is None and "capacity" not in self.errors:
            data["capacity"] = defaults.capacity if defaults else None

        deadline_day, deadline_at = data.get("rsvp_deadline_date"), data.get("rsvp_deadline_time")
        data["rsvp_deadline"] = None
        if deadline_day or deadline_at:
            try:
                data["rsvp_deadline"] = local_datetime(
                    deadline_day or day, deadline_at or time(23, 59), zone
                )
            except forms.ValidationError as error:
                self.add_error("rsvp_deadline_time", error)
        if data.get("max_guests") is None:
            data["max_guests"] = 0
        return data

    def details(self) -> SessionDetails:
        data = self.cleaned_data
        return SessionDetails(
            title=data["title"],
            format=data["format"],
            start=data["start"],
            end=data["end"],
            timezone=data["timezone"],
            description=data["description"],
            location=data["location"],
            online_url=data["online_url"],
            capacity=data["capacity"],
            online_capacity=data["online_capacity"],
            rsvp_deadline=data["rsvp_deadline"],
            materials=data["materials"],
            guest_speaker=data["guest_speaker"],
            members_only=data.get("members_only", False),
            max_guests=data["max_guests"],
            host_ids=tuple(host.pk for host in data["hosts"]),
        )

    @staticmethod
    def initial_for(session: Session) -> dict:
        """The edit form's initial values: times in the session's own zone."""
        zone = ZoneInfo(session.timezone)
        start, end = session.start.astimezone(zone), session.end.astimezone(zone)
        deadline = session.rsvp_deadline.astimezone(zone) if session.rsvp_deadline else None
        return {
            "title": session.title,
            "format": session.format,
            "description": session.description,
            "hosts": list(session.hosts.all()),
            "guest_speaker": session.guest_speaker,
            "start_date": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
            "end_date": end.date() if end.date() != start.date() else None,
            "timezone": session.timezone,
            "location": session.location,
            "online_url": session.online_url,
            "capacity": session.capacity,
            "no_seat_limit": session.capacity is None,
            "online_capacity": session.online_capacity,
            "rsvp_deadline_date": deadline.date() if deadline else None,
            "rsvp_deadline_time": deadline.time() if deadline else None,
            "materials": session.materials,
            "members_only": session.members_only,
            "max_guests": session.max_guests,
        }


class NewSessionForm(RecurrenceForm, SessionForm):
    """A one-off session or a series: the same details plus how it repeats (no free RRULE)."""


class EditSessionForm(SessionForm):
    """Editing a session; for an occurrence of a series, which occurrences the change is for."""

    THIS, FOLLOWING, ALL = "this", "following", "all"

    scope = forms.ChoiceField(
        label=_("Change"),
        choices=[
            (THIS, _("Only this session")),
            (FOLLOWING, _("This and the following sessions")),
            (ALL, _("The whole series")),
        ],
        initial=THIS,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, in_series: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not in_series:
            del self.fields["scope"]


class CancelSessionForm(forms.Form):
    THIS, REST = "this", "rest"

    reason = forms.CharField(
        label=_("Reason"),
        max_length=280,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the session page and in the cancellation mail."),
    )
    scope = forms.ChoiceField(
        label=_("Cancel"),
        choices=[(THIS, _("Only this session")), (REST, _("This and all later sessions"))],
        initial=THIS,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, in_series: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not in_series:
            del self.fields["scope"]


class RsvpForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (Rsvp.Status.GOING, _("Going")),
            (Rsvp.Status.MAYBE, _("Maybe")),
            (Rsvp.Status.DECLINED, _("Not going")),
        ],
        error_messages={"invalid_choice": _("Answer going, maybe or not going.")},
    )
    guests = forms.IntegerField(
        label=_("Guests"),
        min_value=0,
        max_value=10,
        required=False,
        error_messages={"invalid": _("Give the number of guests as a whole number.")},
    )
    mode = forms.ChoiceField(
        label=_("How will you join?"),
        choices=Rsvp.Mode.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose in the room or online.")},
    )

    def answer(self, session: Session | None) -> dict:
        """status, guests and mode as rsvp_set takes them (mode defaults to where it is held;
        without ``session``, None: rsvp_set then takes it from the locked session)."""
        data = self.cleaned_data
        mode = data.get("mode") or (
            None
            if session is None
            else Rsvp.Mode.ONLINE
            if session.online_url and not session.location
            else Rsvp.Mode.IN_ROOM
        )
        return {"status": data["status"], "guests": data.get("guests") or 0, "mode": mode}


class SessionFilterForm(forms.Form):
    """What's on filters (GET); invalid values are reported and ignored."""

    format = forms.ChoiceField(
        label=_("Format"), choices=[("", _("All formats")), *Session.Format.choices], required=False
    )
    community = forms.SlugField(label=_("Community"), max_length=80, required=False)
    topic = forms.SlugField(label=_("Topic"), max_length=60, required=False)
    date_from = DateField(label=_("From"), widget=DATE_INPUT, required=False)
    date_to = DateField(label=_("Until"), widget=DATE_INPUT, required=False)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data


class MonthField(forms.Field):
    """YYYY-MM, a month between the years 2000 and 2100 (its first day)."""

    def to_python(self, value) -> date | None:
        value = (value or "").strip()
        if not value:
            return None
        try:
            if not re.fullmatch(r"\d{4}-\d{2}", value):
                raise ValueError
            month = date(int(value[:4]), int(value[5:]), 1)
        except ValueError:
            raise forms.ValidationError(_("Give the month as YYYY-MM, e.g. 2026-03.")) from None
        if not 2000 <= month.year <= 2100:
            raise forms.ValidationError(_("Give a month between 2000 and 2100."))
        return month


class AgendaForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)
