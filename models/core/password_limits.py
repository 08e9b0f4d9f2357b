"""Password lengths, apart from the account service so that the login window can show them before SQLAlchemy
is loaded (gui/startup.py)."""
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
