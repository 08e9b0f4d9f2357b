"""Which digit trigrams of an ID-number fragment to ask the fragment index for (SQLite, issue 21).

Digit trigrams are few (a thousand) and most of them are in most numbers of one region ("420" in nine of ten),
so asking for all of them merges long lists for nothing: the index's AND costs about the lists it merges plus a row
check per candidate it proposes. The rarest few, chosen together (the digits of a birth date go together: "971"
and "710" of 1971-0x are nearly always both there), propose about as few rows for a fraction of the work — at a
million cadres "420113197105": 609 candidates in 29 ms → 195 in 4 ms.

Rarity is read from a sample of the stored numbers (runs of consecutive ids spread over the table), once per
database per process and again when the table has doubled or halved since. It only steers the choice: every set
of the fragment's trigrams proposes all of its matches, and the search's own condition keeps the exact ones, so an
old sample can cost time, never a row. The sample lives in this process only (nothing of it is written or logged), and is read only for a
role that may see ID numbers (the search asks nothing of the index for the others).
"""
from __future__ import annotations

from sqlalchemy.orm import Session

RUNS, RUN = 64, 128  # numbers read: 64 runs of 128 consecutive ids, a few pages each (64 seeks on a cold disk)
# A proposed row costs the index about as much as this many entries of the lists it merges: its check (the cadre
# row, the exact condition, the sort) measured 3–5 µs, an entry of an AND 0.02–0.035 µs (100,000 and a million
# cadres).
ROW_COST = 100


class Sample:
    """Stored ID numbers; for each trigram asked about, the set of them that contain it (as the bits of an int,
    made when first asked: a query asks about a dozen of the thousand)."""

    def __init__(self, numbers: list[str], upto: int):
        self.numbers = [n.upper() for n in numbers]
        self.upto = upto  # max(id) when read
        self._bits: dict[str, int] = {}

    def bits(self, gram: str) -> int:
        known = self._bits.get(gram)
        if known is None:
            known = int("0" + "".join("1" if gram in n else "0" for n in reversed(self.numbers)), 2)
            self._bits[gram] = known
        return known

    def pick(self, digits: str) -> list[str]:
        """The trigrams of `digits` (3 or more characters) to require, in the fragment's order. Greedily the one that
        lowers the estimated cost most — the lists merged plus ROW_COST per candidate left, both counted in sampled
        numbers — until no trigram lowers it (a list most numbers are in costs more than it filters out)."""
        grams = list(dict.fromkeys(digits[i:i + 3] for i in range(len(digits) - 2)))
        alive = (1 << len(self.numbers)) - 1
        chosen: list[str] = []
        merged, cost = 0, None
        while len(chosen) < len(grams):
            after, gram = min((merged + self.bits(g).bit_count() + (alive & self.bits(g)).bit_count() * ROW_COST, g)
                              for g in grams if g not in chosen)
            if cost is not None and after >= cost:
                break
            chosen.append(gram)
            merged += self.bits(gram).bit_count()
            alive &= self.bits(gram)
            cost = after
        return sorted(chosen, key=digits.index)


_cache: dict[str, Sample] = {}  # two threads reading a sample at once each make one; either is right


def sample(session: Session) -> Sample:
    """The sample of this database's ID numbers, read when first needed or when the table has grown or shrunk by
    half since (max(id) is read from the primary key's end: no scan)."""
    conn = session.connection()
    top = int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM cadre").scalar() or 0)
    key = str(session.get_bind().url)
    known = _cache.get(key)
    if known is not None and known.upto // 2 <= top <= known.upto * 2:
        return known
    step = max(RUN, top // RUNS)
    rows = conn.exec_driver_sql(
        "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + ? FROM k WHERE i + ? <= ?) "
        "SELECT cadre.id_number FROM k JOIN cadre ON cadre.id >= k.i AND cadre.id < k.i + ?",
        (step, step, top, RUN)).scalars().all()
    made = Sample(list(rows), top)
    _cache[key] = made
    return made
