"""Every factory's defaults make a valid row: the database's constraints hold (the row is
saved) and so do the model's own validators (``full_clean``)."""

import factory
import pytest

from tests import factories

FACTORIES = sorted(
    (
        value
        for value in vars(factories).values()
        if isinstance(value, type) and issubclass(value, factory.django.DjangoModelFactory)
    ),
    key=lambda cls: cls.__name__,
)


def test_the_package_exports_every_factory():
    assert sorted(f.__name__ for f in FACTORIES) == sorted(
        name for name in factories.__all__ if name.endswith("Factory")
    )


@pytest.mark.django_db
@pytest.mark.parametrize("model_factory", FACTORIES, ids=lambda cls: cls.__name__)
def test_defaults_make_a_valid_row(model_factory):
    first, second = model_factory(), model_factory()  # unique fields differ between rows

    for row in (first, second):
        row.full_clean()
    assert first.pk != second.pk
