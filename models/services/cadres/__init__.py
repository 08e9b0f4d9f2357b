"""Cadres: search, editing, profile (the cadre's page), the 任免表 texts. Import the submodule you need."""
