"""The domain library: everything but the screens. Never imports Qt, gui/, cli/, reports/ or bench/ (tests/test_layers.py).

One folder per layer; a concept lives in the folder named for it:

    core/        what every layer below the services uses: database and sessions (db opens them, on engine,
                 connected_files, schema_version; db_faults, sql_match),
                 errors, actor (roles), audit (+ audit_anchor), concurrency (optimistic locking, the one helper),
                 withdrawal (the one withdraw helper), settings_store, paths, logs, progress, text_limits,
                 backup, encryption, instance_lock
    entities/    the SQLAlchemy tables, one module per area (cadre, handling, visit, accusation, org, …)
    rules/       the pure engine — no SQLAlchemy, no entities: rule_table, period_math, engine, case (CASE ↔ RESULT),
                 visit_plan, calendar
    derived/     recomputed on every write from the rules: restrictions, visit_plans, commendation_summary
    reference/   codes, id_number, pinyin, similarity, four_forms
    services/    use cases; each takes (session, actor, …), checks the role, validates, writes, audits, flushes
                 (never commits) and returns plain rows: cadres/ (search, editing, profile, appointment_text),
                 handling/ (register, reviews, overrides, preview), visits/ (records, plans, documents, settings),
                 units, accusations, inquiries, clarifications, commendations, assessments, tasks, dashboard, roster,
                 statistics, timeline, accounts, audit_log, document_numbers, document_log, templates, holidays, …
    exchange/    Excel and .lrmx import/export; kinds.py is the one registry of import and export kinds
    demo/        the demo database

Dependencies point down the list: services → derived → rules, all of them on core and entities (entities/ registers
the commendation summary's flush hook from derived/); rules/ uses nothing but core.errors.
"""
