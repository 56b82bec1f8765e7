"""``workoutcheck watch``: check files as they arrive in a folder, once each, across restarts.

``watcher`` decides what to check, ``state`` remembers what was done, ``report`` names and
writes each file's reports, ``schedule`` says which plan belongs to which day. It runs each
file through ``run.pipeline``, as ``check`` does.
"""
