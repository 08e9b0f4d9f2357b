"""Excel and .lrmx import/export (issue 4): cell values, sheet reading, importers, exporters, the .lrmx format."""
