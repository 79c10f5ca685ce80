"""Progress collected from offline machines: bundles on USB sticks, xAPI in and out.

On a learner's machine
    export_bundle(record, path, learner_ids=None, everything=False, state=None) -> BundleExport
        (export.py) the statements stored since the last export, as a .zip bundle (bundle_file.py)
On the trainer's machine (TRAINER role and above)
    import_bundles(database, paths, principal, state=None) -> [FileImport]
        (importing.py) bundles and xAPI files into collected_* tables, a set union by statement id
Reading what was collected (collected.py), for reports, cohorts and certificates
    collected_statements(conn_or_db, course_id=None) -> iterator of (learner_key, Statement),
        ordered by learner key, then timestamp: one learner's statements are one run
    collected_learners(conn_or_db) -> [CollectedLearner(key, installation_id, learner_id, name,
        staff_number, locale, last_seen)], by name
    learner keys are "<installation id>/<learner id>"
xAPI (xapi.py, checks in xapi_check.py)
    export_xapi(database, path, XapiSelection(...)) -> count: a JSON array of xAPI 1.0.3 statements
    read_xapi_statements(path) -> XapiFile(statements, rejected): an LRS export, checked statement by statement

Import this package's modules directly (app.core.collect.collected, ...); nothing is re-exported here,
so importing one part does not load the others.
"""
