"""Small builders for the tests of "wie weet wat"."""

from knowledge.services.expertise import expertise_set


def opt_in(user, topics: str, *, evidence: bool = True, mail: bool = False, route: bool = True):
    return expertise_set(
        user=user,
        topics=topics,
        listed=True,
        show_evidence=evidence,
        route_questions=route,
        mail_questions=mail,
    )
