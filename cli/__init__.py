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
