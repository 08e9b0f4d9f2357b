"""A helper process for the storage tests: `python -m tests.security.wal_writer DB N MODE`.

Writes N cadres through the program (models.core.db), one committed transaction each, with the WAL never
checkpointed, then
- MODE "crash": ends at once without closing (as after a power cut or kill -9: the committed rows are in the WAL);
- MODE "hold": prints "ready" and keeps the database open until stdin closes (another program using the file).
"""
from __future__ import annotations

import os
import sys


def main(path: str, count: int, mode: str) -> None:
    from models.core.db import open_database
    from models.entities import Cadre

    db = open_database(path)
    with db.engine.connect() as conn:  # the pool hands this same connection to the sessions below
        conn.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
    for i in range(count):
        with db.session() as s:
            s.add(Cadre(name=f"测试{i:03d}", id_number=f"T{os.getpid()}-{i:04d}"))
    if mode == "crash":
        os._exit(0)
    print("ready", flush=True)
    sys.stdin.read()
    db.dispose()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
