"""The program's version, shown in 帮助 → 关于 and by the packaged program."""
__version__ = "1.0.0"
