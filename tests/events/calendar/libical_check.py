"""Run with Debian's /usr/bin/python3: libical's restriction check of one calendar on stdin.

Prints every X-LIC-ERROR libical adds (parse errors and iTIP per-method restrictions) and exits 1
when there is any.
"""

import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402

text = sys.stdin.read()
component = ICalGLib.Component.new_from_string(text)
if component is None:
    print("libical could not parse the calendar")
    sys.exit(1)
component.check_restrictions()
errors = []


def walk(node):
    prop = node.get_first_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    while prop is not None:
        errors.append(prop.as_ical_string().strip())
        prop = node.get_next_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    child = node.get_first_component(ICalGLib.ComponentKind.ANY_COMPONENT)
    while child is not None:
        walk(child)
        child = node.get_next_component(ICalGLib.ComponentKind.ANY_COMPONENT)


walk(component)
print("\n".join(errors))
sys.exit(1 if errors else 0)
