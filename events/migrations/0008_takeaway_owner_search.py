"""Takeaways: the owner of existing takeaways is their author; full-text search on PostgreSQL.

PostgreSQL gets a ``search_document`` tsvector column that Django does not map, kept by a
trigger (not a generated column, so later ALTERs of title/body keep working), with Dutch,
English and 'simple' (unstemmed, for names and codes) lexemes, the title weighted A and the
rest B, and a GIN index. SQLite has none of this: the selector falls back to LIKE there.
"""

from django.db import migrations
from django.db.models import F

DOCUMENT = """
    setweight(to_tsvector('dutch'::regconfig, coalesce(NEW.title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(NEW.title, '')), 'A')
    || setweight(to_tsvector('simple'::regconfig, coalesce(NEW.title, '')), 'A')
    || setweight(to_tsvector('dutch'::regconfig, {rest}), 'B')
    || setweight(to_tsvector('english'::regconfig, {rest}), 'B')
    || setweight(to_tsvector('simple'::regconfig, {rest}), 'B')
""".format(
    rest="coalesce(NEW.body, '') || ' ' || coalesce(NEW.tags_text, '') || ' '"
    " || coalesce(NEW.who_benefits, '')"
)

FORWARD = f"""
ALTER TABLE events_takeaway ADD COLUMN search_document tsvector;
CREATE FUNCTION events_takeaway_search_document() RETURNS trigger AS $$
BEGIN
    NEW.search_document := {DOCUMENT};
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER events_takeaway_search_document
    BEFORE INSERT OR UPDATE OF title, body, tags_text, who_benefits ON events_takeaway
    FOR EACH ROW EXECUTE FUNCTION events_takeaway_search_document();
UPDATE events_takeaway SET title = title;
CREATE INDEX takeaway_search_gin ON events_takeaway USING gin (search_document);
"""

BACKWARD = """
DROP INDEX IF EXISTS takeaway_search_gin;
DROP TRIGGER IF EXISTS events_takeaway_search_document ON events_takeaway;
DROP FUNCTION IF EXISTS events_takeaway_search_document();
ALTER TABLE events_takeaway DROP COLUMN IF EXISTS search_document;
"""


def owner_is_author(apps, schema_editor):
    Takeaway = apps.get_model("events", "Takeaway")
    Takeaway.objects.filter(owner__isnull=True, author__isnull=False).update(
        owner_id=F("author_id")
    )


def search_forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def search_backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("events", "0007_takeaways_grown")]

    operations = [
        migrations.RunPython(owner_is_author, migrations.RunPython.noop),
        migrations.RunPython(search_forward, search_backward),
    ]
