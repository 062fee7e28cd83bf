"""Run with Debian's /usr/bin/python3: libical's reading of VTIMEZONEs.

stdin: JSON {tzid: [vtimezone text, [unix seconds, ...]]}. Prints JSON
{tzid: [UTC offset in seconds at each instant]} as libical computes it from the text alone.
"""

import json
import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402

request = json.load(sys.stdin)
utc = ICalGLib.Timezone.get_utc_timezone()
answer = {}
for tzid, (text, instants) in request.items():
    zone = ICalGLib.Timezone.new()
    zone.set_component(ICalGLib.Component.new_from_string(text))
    offsets = []
    for instant in instants:
        moment = ICalGLib.Time.new_from_timet_with_zone(instant, False, utc)
        offset, _is_daylight = zone.get_utc_offset_of_utc_time(moment)
        offsets.append(offset)
    answer[tzid] = offsets
print(json.dumps(answer))
