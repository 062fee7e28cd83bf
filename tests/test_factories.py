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
# Fields a factory leaves empty on purpose although the model's validation wants a value.
LEFT_EMPTY = {
    # A version without a programme in it: rows that only need a version do not care.
    factories.ProgrammeVersionFactory: ["snapshot", "changes"],
    # Written outside a phase run, as live_item_add stores it when no phase is running.
    factories.LiveItemFactory: ["run"],
}


def test_the_package_exports_every_factory():
    assert sorted(f.__name__ for f in FACTORIES) == sorted(
        name for name in factories.__all__ if name.endswith("Factory")
    )


@pytest.mark.django_db
@pytest.mark.parametrize("model_factory", FACTORIES, ids=lambda cls: cls.__name__)
def test_defaults_make_a_valid_row(model_factory):
    first, second = model_factory(), model_factory()  # unique fields differ between rows

    for row in (first, second):
        row.full_clean(exclude=LEFT_EMPTY.get(model_factory))
    assert first.pk != second.pk
