"""回访教育: visit records, plan lists, the rule settings, document rows. Plan upkeep: models/derived/visit_plans."""
