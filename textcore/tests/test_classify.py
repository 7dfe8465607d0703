import csv
import random

import pytest

from textcore import artifact
from textcore.__main__ import main
from textcore.classify import ARTIFACT_KIND, FORMAT_VERSION, TextClassifier

TOPICS = {
    "交通运输": ["公交车", "红绿灯", "道路拥堵", "出租车", "停车场"],
    "教育文体": ["学校", "老师", "学生", "补课", "幼儿园"],
    "环境保护": ["噪音", "污水", "垃圾焚烧", "空气污染", "排放"],
}
FILLER = ["我们", "小区", "附近", "问题", "希望", "领导", "尽快", "处理", "反映", "长期"]


def make_texts(n_per_label=24, seed=7):
    rng = random.Random(seed)
    texts, labels = [], []
    for label, words in TOPICS.items():
        others = [w for topic, ws in TOPICS.items() if topic != label for w in ws]
        for i in range(n_per_label):
            place = f"A{rng.randint(1, 9)}区"
            # one word of another topic, as real messages have: perfectly separable data would
            # saturate the calibration and every confidence would be 1.0
            body = rng.sample(words, 2) + rng.sample(others, 1) + rng.sample(FILLER, 4)
            rng.shuffle(body)
            text = f"{place}{body[0]}的问题\n{'，'.join(body)}。"
            if i % 2:  # the segmented form the training data also comes in
                text = " ".join([place[:2], "区", *body])
            texts.append(text)
            labels.append(label)
    return texts, labels


@pytest.fixture(scope="module")
def fitted():
    texts, labels = make_texts()
    return TextClassifier(cv=3).fit(texts, labels)


def test_it_predicts_the_topic_of_raw_and_segmented_texts(fitted):
    assert list(fitted.predict(["B2县公交车太少，红绿灯坏了", "公交车 红绿灯 坏 了"])) == [
        "交通运输",
        "交通运输",
    ]
    assert fitted.predict(["幼儿园老师乱收补课费"])[0] == "教育文体"
    assert set(fitted.classes_) == set(TOPICS)


def test_it_gives_a_calibrated_confidence_higher_for_clearer_texts(fitted):
    labels, confidence = fitted.predict_with_confidence(
        ["学校老师学生补课幼儿园", "我们小区附近的问题，希望尽快处理"]
    )
    assert labels[0] == "教育文体"
    assert all(0.0 <= c <= 1.0 for c in confidence)
    assert confidence[0] > confidence[1]
    proba = fitted.predict_proba(["污水排放"])
    assert proba.shape == (1, 3) and abs(proba.sum() - 1) < 1e-6


def test_it_explains_a_decision_with_readable_phrases_of_the_text(fitted):
    text = "A3区小区附近的污水排放，噪音很大"
    phrases = fitted.explain(text, k=3)
    assert 1 <= len(phrases) <= 3
    assert all(phrase in text and weight > 0 for phrase, weight in phrases)
    assert any("污水" in p or "噪音" in p or "排放" in p for p, _ in phrases)
    segmented = fitted.explain("小区 污水 排放", k=2)
    assert any("污水" in phrase or "排放" in phrase for phrase, _ in segmented)


@pytest.mark.parametrize(
    ("text", "some"),
    [
        ("村里不管。污水排放，噪音", True),
        ("排放1)</script><img src=x>污水", True),
        ("污。水排，放噪！音", False),
    ],
)
def test_it_never_shows_evidence_running_across_punctuation_or_markup(fitted, text, some):
    # the last text has no two-character word between its marks: no evidence beats broken evidence
    phrases = [phrase for phrase, _weight in fitted.explain(text, k=5)]
    assert bool(phrases) == some
    for phrase in phrases:
        assert phrase in text
        assert all(c.isalnum() for c in phrase), phrase


def test_it_learns_unit_ids_as_labels():
    texts, topics = make_texts(n_per_label=10)
    units = {"交通运输": 17, "教育文体": 4, "环境保护": 230}
    model = TextClassifier(cv=3).fit(texts + ["垃圾焚烧 臭"], [units[t] for t in topics] + [9])
    assert model.predict(["学校老师补课"])[0] == "4"
    assert "9" in model.classes_  # a unit seen once stays suggestible


def test_it_refuses_a_single_label():
    with pytest.raises(ValueError):
        TextClassifier().fit(["a", "b"], ["x", "x"])


def test_it_saves_and_loads_a_model(fitted, tmp_path):
    path = tmp_path / "models" / "category.bin"
    fitted.save(path)
    loaded = TextClassifier.load(path)
    texts = ["公交车红绿灯", "学校老师"]
    assert list(loaded.predict(texts)) == list(fitted.predict(texts))
    assert loaded.explain(texts[0]) == fitted.explain(texts[0])


def test_it_loads_missing_corrupt_or_old_models_as_none(fitted, tmp_path):
    assert TextClassifier.load(tmp_path / "missing.bin") is None
    corrupt = tmp_path / "corrupt.bin"
    corrupt.write_bytes(b"\x80\x05garbage")
    assert TextClassifier.load(corrupt) is None
    old = tmp_path / "old.bin"
    artifact.save(old, ARTIFACT_KIND, FORMAT_VERSION - 1, fitted)
    assert TextClassifier.load(old) is None
    other = tmp_path / "other.bin"
    artifact.save(other, ARTIFACT_KIND, FORMAT_VERSION, {"not": "a classifier"})
    assert TextClassifier.load(other) is None


def write_csv(path, fieldnames, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(rows)


def test_it_trains_and_predicts_from_the_command_line(tmp_path):
    texts, labels = make_texts(n_per_label=12)
    train = tmp_path / "train.csv"
    rows = [
        {"id": i, "subject": t.split("\n")[0], "detail": t, "label": y}
        for i, (t, y) in enumerate(zip(texts, labels, strict=True))
    ]
    write_csv(train, ["id", "subject", "detail", "label"], rows)
    model = tmp_path / "model.bin"
    assert main(["classify", "train", "--input", str(train), "--text", "subject,detail", "--label", "label",
                 "--model", str(model)]) == 0  # fmt: skip

    new = tmp_path / "in.csv"
    write_csv(
        new,
        ["id", "raw", "seg"],
        [{"id": "a", "raw": "", "seg": "噪音 污水"}, {"id": "b", "raw": "学校补课", "seg": "x"}],
    )
    out = tmp_path / "out.csv"
    assert main(["classify", "predict", "--model", str(model), "--input", str(new), "--text", "raw,seg",
                 "--fallback", "--output", str(out)]) == 0  # fmt: skip
    with open(out, encoding="utf-8") as f:
        result = list(csv.DictReader(f))
    assert [r["id"] for r in result] == ["a", "b"]
    assert [r["predicted"] for r in result] == ["环境保护", "教育文体"]
    assert all(0 <= float(r["confidence"]) <= 1 for r in result)


def test_it_reports_a_missing_column_or_an_unreadable_model(tmp_path):
    data = tmp_path / "in.csv"
    write_csv(data, ["id", "text"], [{"id": 1, "text": "学校"}])
    bad_model = tmp_path / "bad.bin"
    bad_model.write_bytes(b"nope")
    with pytest.raises(SystemExit, match="bad.bin"):
        main(["classify", "predict", "--model", str(bad_model), "--input", str(data), "--text", "text",
              "--output", str(tmp_path / "out.csv")])  # fmt: skip
    with pytest.raises(SystemExit, match="no column label"):
        main(["classify", "train", "--input", str(data), "--text", "text", "--label", "label",
              "--model", str(tmp_path / "m.bin")])  # fmt: skip


def test_it_normalises_raw_and_segmented_text_alike():
    from textcore.textprep import normalise, normalise_with_offsets

    raw = "A市A3区大道12号的路口，车流量大！"
    assert normalise(raw) == normalise("A市 A3 区 大道 12 号 路口 车流量 大")
    text, spans = normalise_with_offsets(raw)
    assert text == normalise(raw)
    assert [raw[a:b] for a, b in spans][:4] == ["A", "市", "A3", "区"]
