"""Headless commands (design §4). Each command lives in its own module with:

    NAME = "rules"
    HELP = "一行中文说明"
    def add_arguments(parser: argparse.ArgumentParser) -> None
    def run(args: argparse.Namespace) -> int

`main.py` builds the parser from COMMAND_MODULES and adds the benchmark (bench/command.py) itself. A command raises
`models.core.errors.AppError` for bad input; main turns it into one line on stderr and exit 2.
"""

COMMAND_MODULES = [
    "cli.demo_cmd",      # demo database
    "cli.import_cmd",    # import cadres / commendations / handling / lrmx
    "cli.export_cmd",    # export cadres / handling / roster / lrmx
    "cli.rules_cmd",     # the rules contract
    "cli.pdf_cmd",       # one document: clarification / visit / assessment
    "cli.backup_cmd",    # backup
    "cli.restore_cmd",   # restore
    "cli.audit_cmd",     # audit verify
    "cli.encrypt_cmd",   # encrypt / decrypt a database copy (SQLCipher)
]

# Commands that may run while a GUI has the database open (models/core/instance_lock.py): `backup` reads through
# SQLite's backup API and is safe at any time; the others read only, or do not touch the database; `restore`
# holds the lock itself. Every other command writes and refuses while a GUI holds the database.
SAFE_WHILE_OPEN = frozenset({"backup", "audit", "rules", "bench", "encrypt", "restore"})


def refuse_while_gui_open(command: str, db_arg) -> None:
    """Refuse a writing command while a GUI (or a restore) holds the database file."""
    if command in SAFE_WHILE_OPEN:
        return
    from models.core.db import resolve_url, sqlite_path
    from models.core.instance_lock import refuse_if_held

    refuse_if_held(sqlite_path(resolve_url(db_arg)), f"运行 {command} 命令")
