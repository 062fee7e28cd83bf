"""The knowledge articles and the ambassador of the permission matrix's ``world``.

The matrix's ``ambassador`` is an active ambassador of the public and of the private community.
The ``member`` owns an article of the public community (due for review, with an image and a
co-author Cas), the ``coordinator`` owns one of the private community (with a file), and there
is an organisation-wide article. Nina joined the public community two days ago: a newcomer.
"""

from datetime import timedelta

from django.utils import timezone

from learning.articles.models import Article
from learning.articles.services import article_coauthor_add, article_create, article_file_add
from tests.factories import MembershipFactory, UserFactory

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def ambassador_of(community, private_community):
    ambassador = UserFactory(email="ambassador@example.org", display_name="Amber Ambassador")
    for target in (community, private_community):
        MembershipFactory(user=ambassador, community=target, role="ambassador")
    return ambassador


def articles_world(*, member, coordinator, community, private_community) -> dict:
    cas = UserFactory(email="cas@example.org", display_name="Cas Coauthor")
    MembershipFactory(user=cas, community=community)
    public = article_create(
        author=member, community=community, title="Releasen", body="1. Tag\n2. Push"
    )
    Article.objects.filter(pk=public.pk).update(review_due=timezone.localdate() - timedelta(days=1))
    coauthor = article_coauthor_add(article_id=public.pk, user=member, email=cas.email)
    image = article_file_add(article_id=public.pk, user=member, name="schema.png", data=PNG)
    private = article_create(
        author=coordinator, community=private_community, title="Incidentprocedure", body="Bel"
    )
    private_file = article_file_add(
        article_id=private.pk, user=coordinator, name="procedure.pdf", data=b"%PDF-1.4\n%%EOF\n"
    )
    organisation = article_create(author=coordinator, community=None, title="Eerste week")
    nina = UserFactory(email="nina@example.org", display_name="Nina Newcomer")
    newcomer = MembershipFactory(
        user=nina, community=community, joined_at=timezone.now() - timedelta(days=2)
    )
    return {
        "la_public": public.pk,
        "la_private": private.pk,
        "la_organisation": organisation.pk,
        "la_image": image.pk,
        "la_private_file": private_file.pk,
        "la_coauthor": coauthor.pk,
        "la_newcomer": newcomer.pk,
    }
