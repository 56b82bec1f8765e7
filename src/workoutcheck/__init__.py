"""workoutcheck: find the reps of an interval session in a watch file and check them against the plan."""

__version__ = "0.1.0"
