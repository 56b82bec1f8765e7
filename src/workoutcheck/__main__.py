"""Allow ``python -m workoutcheck``."""

from workoutcheck.cli import main

main()
