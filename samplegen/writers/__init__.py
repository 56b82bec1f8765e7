"""File writers: one module per format, each taking a ``watch.Recording``.

FIT is written with Garmin's own encoder (``garmin_fit_sdk``) so the project's FIT reader is
tested against bytes it did not produce itself; GPX, TCX and PWX are plain text built by hand so
the output is byte-stable across library versions.
"""

from samplegen.writers.fit import write_fit
from samplegen.writers.gpx import write_gpx
from samplegen.writers.pwx import write_pwx
from samplegen.writers.tcx import write_tcx

__all__ = ["write_fit", "write_gpx", "write_pwx", "write_tcx"]
