from textcore import artifact


def test_it_round_trips_a_payload(tmp_path):
    path = tmp_path / "m" / "model.bin"
    artifact.save(path, "classifier", 2, {"w": [1, 2]})
    assert artifact.load(path, "classifier", 2) == {"w": [1, 2]}
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind


def test_it_loads_missing_corrupt_or_incompatible_files_as_none(tmp_path):
    path = tmp_path / "model.bin"
    assert artifact.load(path, "classifier", 1) is None
    artifact.save(path, "classifier", 1, "x")
    assert artifact.load(path, "classifier", 2) is None
    assert artifact.load(path, "dedupe", 1) is None
    path.write_bytes(b"not a pickle")
    assert artifact.load(path, "classifier", 1) is None
