"""Find the reps: align the plan to the recording's speed (see ``segmenter``)."""

from workoutcheck.segment.result import Segment, Segmentation, SegmentKind, Split
from workoutcheck.segment.segmenter import LAPS_MODES, segment

__all__ = ["LAPS_MODES", "Segment", "SegmentKind", "Segmentation", "Split", "segment"]
