"""Loading by content: format detection, gzip, size limits and the errors for non-watch files."""

from __future__ import annotations

import gzip
import shutil

import pytest

from tests.conftest import corpus_file
from workoutcheck.errors import (
    CorruptFileError,
    FileTooLargeError,
    InputError,
    NoDataError,
    UnknownFormatError,
)
from workoutcheck.ingest import detect, load
from workoutcheck.model import Source


def test_format_is_detected_from_content_not_name(tmp_path):
    """A FIT file named .gpx is still read as FIT."""
    src = corpus_file("fit", "synthetic__garmin-encoder-6x400m.fit")
    renamed = tmp_path / "run.gpx"
    shutil.copyfile(src, renamed)
    activity = load(renamed)
    assert activity.source is Source.FIT
    assert activity.n_records == 1932


def test_gzipped_fit_loads_like_the_plain_file(tmp_path):
    """Bulk exports gzip each file: .fit.gz gives the same activity as the .fit."""
    src = corpus_file("fit", "synthetic__garmin-encoder-6x400m.fit")
    packed = tmp_path / "run.fit.gz"
    packed.write_bytes(gzip.compress(src.read_bytes()))
    plain, unpacked = load(src), load(packed)
    assert unpacked.n_records == plain.n_records
    assert unpacked.total_distance_m == pytest.approx(plain.total_distance_m)


def test_gzip_bomb_is_refused(tmp_path):
    """A small .gz that expands past the limit is refused before it fills memory."""
    bomb = tmp_path / "bomb.fit.gz"
    bomb.write_bytes(gzip.compress(b"\0" * (4 * 1024 * 1024)))
    with pytest.raises(FileTooLargeError, match="expands past the 1 MB limit"):
        load(bomb, max_unzipped_bytes=1024 * 1024)


def test_oversized_file_is_refused(tmp_path):
    """The size limit is checked before reading."""
    big = tmp_path / "big.fit"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(
        FileTooLargeError, match=r"file is 0.00195 MB, over the 0.000977 MB limit .*--max-size"
    ):
        load(big, max_bytes=1024)


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        (b"", NoDataError, "empty"),
        (b"hello, this is not a watch file", UnknownFormatError, "not a FIT, GPX, TCX or PWX file"),
        (b"<?xml version='1.0'?><kml></kml>", UnknownFormatError, "neither GPX"),
        (b"\x1f\x8bnot really gzip", CorruptFileError, "gzip"),
    ],
)
def test_non_watch_content_gets_a_clear_error(tmp_path, content, error, message):
    """Each kind of wrong file names its problem in one line."""
    path = tmp_path / "file.fit"
    path.write_bytes(content)
    with pytest.raises(error, match=message) as info:
        load(path)
    assert str(info.value).startswith(str(path))
    assert "\n" not in str(info.value)


def test_missing_file_is_an_input_error(tmp_path):
    """A path that does not exist is reported, not crashed on."""
    with pytest.raises(InputError, match="no such file"):
        load(tmp_path / "nope.fit")


def test_detect_recognises_the_three_formats():
    """The first bytes decide: FIT header, <gpx, <TrainingCenterDatabase."""
    assert detect(corpus_file("fit", "fitsdk__Activity.fit").read_bytes()) is Source.FIT
    assert detect(b"\xef\xbb\xbf<?xml version='1.0'?>\n<gpx version='1.1'>") is Source.GPX
    assert detect("<?xml version='1.0'?><TrainingCenterDatabase>".encode("utf-16")) is Source.TCX
    assert detect(b"PK\x03\x04") is None
