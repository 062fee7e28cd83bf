"""Knowledge articles get full-text search on PostgreSQL, as takeaways have (events 0008).

A ``search_document`` tsvector column Django does not map, kept by a trigger, with Dutch,
English and 'simple' (unstemmed) lexemes, the title weighted A and the text B, and a GIN index.
SQLite has none of this: the selector falls back to LIKE there.
"""

from django.db import migrations

DOCUMENT = """
    setweight(to_tsvector('dutch'::regconfig, coalesce(NEW.title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(NEW.title, '')), 'A')
    || setweight(to_tsvector('simple'::regconfig, coalesce(NEW.title, '')), 'A')
    || setweight(to_tsvector('dutch'::regconfig, coalesce(NEW.body, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce(NEW.body, '')), 'B')
    || setweight(to_tsvector('simple'::regconfig, coalesce(NEW.body, '')), 'B')
"""

FORWARD = f"""
ALTER TABLE learning_article ADD COLUMN search_document tsvector;
CREATE FUNCTION learning_article_search_document() RETURNS trigger AS $$
BEGIN
    NEW.search_document := {DOCUMENT};
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER learning_article_search_document
    BEFORE INSERT OR UPDATE OF title, body ON learning_article
    FOR EACH ROW EXECUTE FUNCTION learning_article_search_document();
UPDATE learning_article SET title = title;
CREATE INDEX article_search_gin ON learning_article USING gin (search_document);
"""

BACKWARD = """
DROP INDEX IF EXISTS article_search_gin;
DROP TRIGGER IF EXISTS learning_article_search_document ON learning_article;
DROP FUNCTION IF EXISTS learning_article_search_document();
ALTER TABLE learning_article DROP COLUMN IF EXISTS search_document;
"""


def search_forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def search_backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("learning", "0002_articles_ambassador_welcomes")]

    operations = [migrations.RunPython(search_forward, search_backward)]
