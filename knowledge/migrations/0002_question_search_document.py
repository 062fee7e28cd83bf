"""Full-text search of questions on PostgreSQL, as takeaways have it (events 0008).

A ``search_document`` tsvector column that Django does not map, kept by a trigger, with Dutch,
English and 'simple' (unstemmed) lexemes, the title weighted A and the details, tags and the
answers' text B, and a GIN index. SQLite has none of this: the selector falls back to LIKE.
"""

from django.db import migrations

DOCUMENT = """
    setweight(to_tsvector('dutch'::regconfig, coalesce(NEW.title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(NEW.title, '')), 'A')
    || setweight(to_tsvector('simple'::regconfig, coalesce(NEW.title, '')), 'A')
    || setweight(to_tsvector('dutch'::regconfig, {rest}), 'B')
    || setweight(to_tsvector('english'::regconfig, {rest}), 'B')
    || setweight(to_tsvector('simple'::regconfig, {rest}), 'B')
""".format(
    rest="coalesce(NEW.body, '') || ' ' || coalesce(NEW.tags_text, '') || ' '"
    " || coalesce(NEW.answers_text, '')"
)

FORWARD = f"""
ALTER TABLE knowledge_question ADD COLUMN search_document tsvector;
CREATE FUNCTION knowledge_question_search_document() RETURNS trigger AS $$
BEGIN
    NEW.search_document := {DOCUMENT};
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER knowledge_question_search_document
    BEFORE INSERT OR UPDATE OF title, body, tags_text, answers_text ON knowledge_question
    FOR EACH ROW EXECUTE FUNCTION knowledge_question_search_document();
UPDATE knowledge_question SET title = title;
CREATE INDEX question_search_gin ON knowledge_question USING gin (search_document);
"""

BACKWARD = """
DROP INDEX IF EXISTS question_search_gin;
DROP TRIGGER IF EXISTS knowledge_question_search_document ON knowledge_question;
DROP FUNCTION IF EXISTS knowledge_question_search_document();
ALTER TABLE knowledge_question DROP COLUMN IF EXISTS search_document;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_wie_weet_wat")]

    operations = [migrations.RunPython(forward, backward)]
