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
    "directory.scim": _("called directory sync (SCIM)"),
    "directory.token_create": _("created a directory token"),
    "directory.token_revoke": _("revoked a directory token"),
    "directory.person_create": _("provisioned a person from the directory"),
    "directory.group_create": _("created a directory group"),
    "directory.group_update": _("changed a directory group"),
    "directory.group_delete": _("deleted a directory group"),
    "directory.link_create": _("linked a directory group to a community"),
    "directory.link_delete": _("removed a directory group's link to a community"),
    "directory.hold": _("held a directory deactivation for staff"),
    "directory.hold_discard": _("discarded a held directory deactivation"),
    "secrets.rotate": _("re-encrypted the stored secrets with the current key"),
}


def event_label(code: str) -> str:
    return str(EVENTS.get(code, code))
