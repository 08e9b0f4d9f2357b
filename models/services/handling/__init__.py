"""处理处分: the register (record, change, withdraw, list), reviews, overrides of computed dates, the preview."""
