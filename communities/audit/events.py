"""What the audit log records: each event's code and the label staff read (pure, no database)."""

from django.utils.translation import gettext_lazy as _

# code -> label. A code is an API: entries keep it after a release renames the label.
EVENTS = {
    "admin.add": _("added in the admin"),
    "admin.change": _("changed in the admin"),
    "admin.delete": _("deleted in the admin"),
    "organisation.update": _("changed the organisation settings"),
    "person.deactivate": _("deactivated a person"),
    "person.reactivate": _("reactivated a person"),
    "person.approve": _("approved a sign-up"),
    "person.decline": _("declined a sign-up"),
    "person.erase": _("erased an account"),
    "export.personal_data": _("downloaded their personal data"),
    "export.audit": _("exported the audit log"),
    "export.intervision_history": _("downloaded their intervision history"),
    "export.csv": _("downloaded a CSV export"),
    "token.create": _("created a token"),
    "secrets.rotate": _("re-encrypted the stored secrets with the current key"),
}


def event_label(code: str) -> str:
    return str(EVENTS.get(code, code))
