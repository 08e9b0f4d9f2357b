"""Search as you type without a scan (issue 21): an FTS5 trigram index over every cadre, kept by triggers.

SQLite only (PostgreSQL searches with its plain conditions). One row per cadre, columns:
  name, name_pinyin, id_number   any fragment of 3+ characters is a trigram query
  name_grams, pinyin_grams       every 1- and 2-character piece, padded to three ("蔡##", "蔡超#")
  initials                       "^^" + initials, so a prefix of the initials is a trigram query
  unit                           "|<unit id>|"
  long                           "***" for a name or pinyin longer than the pieces cover (always a candidate)
The rowid is a sort key: the first eight characters of name_pinyin in base 30 (never against the BINARY order the
list sorts by; two names may tie) times 2^23, plus the cadre id. FTS5 returns matches in rowid order, so the first
page of a common term streams out of the index already in (almost) name order; models/services/search_index.py
makes it exact. Ids above 2^23 - 1 (8,388,607 cadres) are not indexed; the search then does not use it.

The triggers fire for every write, ORM or bulk (imports, the demo), so the index cannot drift from the table.
The SQL is written out here on purpose: a migration must not depend on today's models.

Revision ID: 0010
Revises: 0009
"""
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

NAME_PIECES = 40  # cadre.name is String(40): every character is covered
PINYIN_PIECES = 60  # longer pinyin (very long names) is flagged `long` instead
ID_BITS = 23
KEY_CHARS = 8


def _pieces(ref: str, n: int) -> str:
    one = [f"CASE WHEN length({ref}) >= {i} THEN substr({ref}, {i}, 1) || '## ' ELSE '' END" for i in range(1, n + 1)]
    two = [f"CASE WHEN length({ref}) >= {i + 1} THEN substr({ref}, {i}, 2) || '# ' ELSE '' END" for i in range(1, n)]
    return "(" + " || ".join(one + two) + ")"


def _digit(ref: str, i: int) -> str:
    """Character i of ref as 0 (none), 1 (below 'a'), 2..27 ('a'..'z'), 28 (above 'z'); 0 after any character
    that is not a-z, so that the key never orders two names against their BINARY order (ties are allowed)."""
    ch = f"substr({ref}, {i}, 1)"
    earlier = " OR ".join(f"substr({ref}, {j}, 1) NOT BETWEEN 'a' AND 'z'" for j in range(1, i))
    return (f"(CASE WHEN length({ref}) < {i} THEN 0 " + (f"WHEN {earlier} THEN 0 " if earlier else "")
            + f"WHEN {ch} < 'a' THEN 1 WHEN {ch} <= 'z' THEN 2 + unicode({ch}) - 97 ELSE 28 END)")


def _sort_key(p: str, cadre_id: str) -> str:
    code = " + ".join(f"{_digit(p, i)} * {30 ** (KEY_CHARS - i)}" for i in range(1, KEY_CHARS + 1))
    return f"(({code}) * {2 ** ID_BITS} + {cadre_id})"


def _insert(r: str, source: str = "") -> str:
    """INSERT of the index row of `r` (new / old in a trigger, or every row of `source`)."""
    return (
        "INSERT INTO cadre_search (rowid, name, name_grams, name_pinyin, pinyin_grams, initials, id_number, unit, long) "
        f"SELECT {_sort_key(r + '.name_pinyin', r + '.id')}, {r}.name, {_pieces(r + '.name', NAME_PIECES)}, "
        f"{r}.name_pinyin, {_pieces(r + '.name_pinyin', PINYIN_PIECES)}, '^^' || {r}.name_initials, {r}.id_number, "
        f"'|' || coalesce({r}.unit_id, '') || '|', "
        f"CASE WHEN length({r}.name_pinyin) > {PINYIN_PIECES} THEN '***' ELSE '' END "
        f"{source} WHERE {r}.id < {2 ** ID_BITS}" + (" ORDER BY 1;" if source else ";")  # rowid order: see bulk_load
    )


def _delete(r: str) -> str:
    return f"DELETE FROM cadre_search WHERE rowid = {_sort_key(r + '.name_pinyin', r + '.id')};"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("CREATE VIRTUAL TABLE cadre_search USING fts5("
               "name, name_grams, name_pinyin, pinyin_grams, initials, id_number, unit, long, tokenize = 'trigram')")
    op.execute(_insert("cadre", "FROM cadre"))
    op.execute(f"CREATE TRIGGER cadre_search_ai AFTER INSERT ON cadre BEGIN {_insert('new')} END")
    op.execute(f"CREATE TRIGGER cadre_search_ad AFTER DELETE ON cadre BEGIN {_delete('old')} END")
    op.execute("CREATE TRIGGER cadre_search_au AFTER UPDATE OF id, name, name_pinyin, name_initials, id_number, "
               f"unit_id ON cadre BEGIN {_delete('old')} {_insert('new')} END")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("cadre_search_ai", "cadre_search_ad", "cadre_search_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS cadre_search")
