"""Running checks over files: one file's pipeline, many files at once, a squad, and the files they write.

``pipeline.check_file`` is the one path from a watch file and a plan to a result; ``batch`` runs
it over many files in worker processes, ``squad`` once per athlete, and ``files`` turns the
paths a user gave into the files to read. ``atomic`` and ``batch_output`` write what they
produce so that a reader or a crash never sees half of it. Nothing here is imported by
``ingest``, ``plan``, ``segment``, ``score`` or ``report``.
"""
