"""Headless commands (design §4). Each command lives in its own module with:

    NAME = "rules"
    HELP = "一行中文说明"
    def add_arguments(parser: argparse.ArgumentParser) -> None
    def run(args: argparse.Namespace) -> int

`main.py` builds the parser from COMMAND_MODULES. A command raises `models.errors.AppError`
(or `cli.UsageError`) for bad input; main turns it into one line on stderr and exit 2.
Add a new command by appending its module path here.
"""

COMMAND_MODULES = [
    "cli.demo_cmd",
    "cli.rules_cmd",
]
