"""The processing register (verwerkingsregister) at ``/organisation/register/``: which personal
data the app holds, why, how long and who sees it, generated from the personal-data registry
(the models tied to a person) and the retention settings, for the works council and the data
protection officer."""
