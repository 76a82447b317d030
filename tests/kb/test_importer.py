from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from quizdl.errors import BadInput
from quizdl.kb.importer import UNTRANSLATED, ImportReport, format_report, import_notes
from quizdl.kb.loader import load
from quizdl.kb.paths import shipped_content_dir
from quizdl.kb.schema import BasicCard, TopicFile

NOTES = Path(__file__).parent / "data" / "notes"
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)]+)\)")


def topic_files(out: Path) -> dict[str, TopicFile]:
    """Every file in `out`, validated by the schema and by the loader; by topic id."""
    files = {}
    for path in sorted(out.glob("*.yaml")):
        topic_file = TopicFile.model_validate(YAML(typ="safe").load(path.read_text("utf-8")))
        assert path.stem == topic_file.topic.id
        files[topic_file.topic.id] = topic_file
    _, problems = load([out], shipped=False)
    assert problems == []
    return files


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def basic(files: dict[str, TopicFile], card_id: str) -> BasicCard:
    card = next(c for f in files.values() for c in f.cards if c.id == card_id)
    assert isinstance(card, BasicCard)
    return card


def test_the_real_notes(tmp_path: Path) -> None:
    notes = NOTES / "deep-learning.md"  # a copy of the learner's notes
    text = notes.read_text("utf-8")
    report = import_notes(notes, tmp_path)
    files = topic_files(tmp_path)

    headings = [line[3:].strip() for line in text.split("\n") if line.startswith("## ")]
    assert len(files) == len(headings) + 1  # every `##` heading, plus the `#` intro
    sections = [f.topic.source.section for f in sorted(files.values(), key=lambda f: f.topic.order)]
    assert sections == ["Deep Learning", *headings]
    assert {"fan-juan-ji", "se-block", "t-sne", "js-san-du", "gan"} <= files.keys()
    assert all(f.topic.source.note == "deep-learning.md" for f in files.values())

    intro = files["deep-learning"]
    assert [c.origin for c in intro.cards] == [  # the term, then the definition imported
        "term:梯度消失\n主要是指激活函数的导数小于1，例如sigmoid函数，tanh",
        "term:梯度爆炸\n相反是指激活函数的梯度大于1",
    ]
    vanishing = basic(files, "deep-learning/ti-du-xiao-shi")
    assert (
        vanishing.back.zh
        == vanishing.back.en
        == "主要是指激活函数的导数小于1，例如sigmoid函数，tanh"
    )
    assert vanishing.front.zh == "什么是梯度消失？"
    assert UNTRANSLATED in vanishing.tags
    assert "elu、Gelu" in intro.topic.excerpts

    images = IMAGE.findall(text)
    refs = [r for f in files.values() for r in f.topic.references if r.kind == "image"]
    assert sorted(r.target for r in refs) == sorted(images)
    assert all(r.exists is False for r in refs)  # the image folder is not beside the copy
    assert len([f for f in report.flagged if f.startswith("missing image")]) == len(images)
    assert "2 card(s) need an English text" in "\n".join(report.flagged)
    chinese = [h for h in headings if re.search(r"[\u4e00-\u9fff]", h)]
    assert f"{len(chinese)} topic title(s) need an English text" in "\n".join(report.flagged)
    assert len(report.files) == len(files)
    assert set(report.added) == set(files) | {c.id for f in files.values() for c in f.cards}


def test_same_notes_give_identical_files_and_a_second_import_changes_nothing(
    tmp_path: Path,
) -> None:
    notes = NOTES / "tricky.md"
    first = import_notes(notes, tmp_path / "a")
    import_notes(notes, tmp_path / "b")
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
    before = snapshot(tmp_path / "a")
    again = import_notes(notes, tmp_path / "a")
    assert again.added == [] and again.files == []
    assert sorted(again.kept) == sorted(first.added)
    assert snapshot(tmp_path / "a") == before  # no temporary file left behind either


HAND_EDITED_BACK = "A network that tells real samples from generated ones."
HAND_WRITTEN = """\
  - id: gan/nash-equilibrium   # written by hand
    kind: basic
    front: {en: What does GAN training aim for?, zh: GAN 训练的目标是什么？}
    back: {en: A Nash equilibrium, zh: 纳什均衡}
    source: {note: round.md, section: GAN}
"""


def hand_edit(path: Path) -> None:
    text = path.read_text("utf-8")
    text = text.replace(
        "back: {en: 区分真实样本和生成样本的网络,", f"back: {{en: {HAND_EDITED_BACK},"
    )
    text = "# reviewed by hand, keep this comment\n" + text + HAND_WRITTEN
    path.write_text(text, "utf-8")


def test_round_trip_keeps_hand_edits(tmp_path: Path) -> None:
    out = tmp_path / "content"
    first = import_notes(NOTES / "round-v1.md", out, note_name="round.md")
    assert first.added == [  # "# Round trip" has no material of its own: no topic
        "gan",
        "gan/pan-bie-qi",
        "gan/sheng-cheng-qi",
        "wgan",
        "wgan/wasserstein-distance",
    ]
    hand_edit(out / "gan.yaml")
    edited = snapshot(out)
    assert "nash-equilibrium" in edited["gan.yaml"].decode()

    same = import_notes(NOTES / "round-v1.md", out, note_name="round.md")
    assert (same.added, same.files) == ([], [])
    assert snapshot(out) == edited  # byte-identical
    # The notes still give the definition recorded at import: the hand edit is no change.
    assert not [f for f in same.flagged if f.startswith("gan/pan-bie-qi")]

    changed = import_notes(NOTES / "round-v2.md", out, note_name="round.md")
    assert changed.added == ["gan/mo-shi-beng-kui"]
    assert "gone from the notes: gan/sheng-cheng-qi (term:生成器)" in changed.flagged
    assert changed.files == [out / "gan.yaml"]
    text = (out / "gan.yaml").read_text("utf-8")
    assert text.startswith("# reviewed by hand, keep this comment\n")
    assert "# written by hand" in text
    files = topic_files(out)
    assert [c.id for c in files["gan"].cards] == [
        "gan/pan-bie-qi",
        "gan/sheng-cheng-qi",  # gone from the notes, never deleted
        "gan/nash-equilibrium",  # hand-written (no origin), kept
        "gan/mo-shi-beng-kui",  # new material is appended
    ]
    assert basic(files, "gan/pan-bie-qi").back.en == HAND_EDITED_BACK
    assert basic(files, "gan/mo-shi-beng-kui").back.zh == "生成器只产生少数几种样本"
    assert snapshot(out)["wgan.yaml"] == edited["wgan.yaml"]


def round_notes(tmp_path: Path, old: str = "", new: str = "") -> Path:
    """round-v1.md, saved as `round.md` beside `tmp_path`, with `old` replaced by `new`."""
    text = (NOTES / "round-v1.md").read_text("utf-8")
    assert old in text
    notes = tmp_path.parent / "round.md"
    notes.write_text(text.replace(old, new) if old else text, "utf-8")
    return notes


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


DISCRIMINATOR = "区分真实样本和生成样本的网络"
REWRITTEN = (  # the back.en and back.zh of gan/pan-bie-qi, both written by hand
    "back: {en: The network that tells real samples from generated ones, "
    "zh: 判别器：判断样本是真实的还是生成的}"
)


def test_a_changed_definition_is_flagged_with_both_texts_until_its_origin_records_it(
    tmp_path: Path,
) -> None:
    import_notes(NOTES / "round-v1.md", tmp_path, note_name="round.md")
    before = snapshot(tmp_path)
    notes = round_notes(tmp_path, "区分真实样本", "判断真假样本")
    for _ in range(2):  # flagged on every import until a person has looked at it
        report = import_notes(notes, tmp_path)
        assert snapshot(tmp_path) == before  # the card is never overwritten
        assert report.added == [] and "gan/pan-bie-qi" in report.kept
        assert [f for f in report.flagged if f.startswith("gan/")] == [
            "gan/pan-bie-qi: the notes changed the definition of '判别器': "
            "'区分真实样本和生成样本的网络' → '判断真假样本和生成样本的网络'; "
            "the card was kept as it is "
            "(once it says what the notes say, put the new text in its origin)"
        ]
    # The person updates the card and records the new text in its origin: no more flag.
    edit(tmp_path / "gan.yaml", f"      {DISCRIMINATOR}\n", "      判断真假样本和生成样本的网络\n")
    accepted = snapshot(tmp_path)
    report = import_notes(notes, tmp_path)
    assert not [f for f in report.flagged if f.startswith("gan/")]
    assert (report.files, snapshot(tmp_path)) == ([], accepted)


def test_long_definitions_are_clipped_in_the_flag(tmp_path: Path) -> None:
    import_notes(NOTES / "round-v1.md", tmp_path, note_name="round.md")
    longer = DISCRIMINATOR + "，" + "它输出样本为真的概率" * 10
    report = import_notes(round_notes(tmp_path, DISCRIMINATOR, longer), tmp_path)
    (line,) = [f for f in report.flagged if f.startswith("gan/pan-bie-qi")]
    assert f"'{DISCRIMINATOR}' → '{longer[:39]}…'" in line


def test_rewritten_or_translated_cards_are_not_flagged_while_the_notes_agree(
    tmp_path: Path,
) -> None:
    import_notes(NOTES / "round-v1.md", tmp_path, note_name="round.md")
    edit(tmp_path / "gan.yaml", f"back: {{en: {DISCRIMINATOR}, zh: {DISCRIMINATOR}}}", REWRITTEN)
    edited = snapshot(tmp_path)
    # Re-wrapped over two lines in the notes: whitespace is no change either.
    notes = round_notes(tmp_path, DISCRIMINATOR, "区分真实样本\n和生成样本的网络")
    report = import_notes(notes, tmp_path)
    assert not [f for f in report.flagged if f.startswith("gan/pan-bie-qi")]
    assert (report.files, snapshot(tmp_path)) == ([], edited)
    # The notes change: the flag shows the text recorded at import, not the card's back.
    report = import_notes(round_notes(tmp_path, "区分真实样本", "判断真假样本"), tmp_path)
    (line,) = [f for f in report.flagged if f.startswith("gan/pan-bie-qi")]
    assert f"'{DISCRIMINATOR}' → '判断真假样本和生成样本的网络'" in line
    assert snapshot(tmp_path) == edited


def test_one_line_origins_of_earlier_imports_are_still_read(tmp_path: Path) -> None:
    import_notes(NOTES / "round-v1.md", tmp_path, note_name="round.md")
    gan = tmp_path / "gan.yaml"
    for term, text in (("判别器", DISCRIMINATOR), ("生成器", "把噪声映射成样本的网络")):
        edit(gan, f"origin: |-\n      term:{term}\n      {text}\n", f"origin: 'term:{term}'\n")
    edit(
        gan,
        "back: {en: 把噪声映射成样本的网络, zh: 把噪声映射成样本的网络}",
        "back: {en: G, zh: G}",
    )

    report = import_notes(round_notes(tmp_path), tmp_path)
    assert report.added == [] and {"gan/pan-bie-qi", "gan/sheng-cheng-qi"} <= set(report.kept)
    # Its back still says what the notes say, so that is what it was made from: recorded.
    assert report.files == [gan]
    origins = {c.id: c.origin for c in topic_files(tmp_path)["gan"].cards}
    assert origins == {
        "gan/pan-bie-qi": f"term:判别器\n{DISCRIMINATOR}",
        "gan/sheng-cheng-qi": "term:生成器",  # rewritten: nothing tells what it was made from
    }
    assert [f for f in report.flagged if f.startswith("gan/")] == [
        "gan/sheng-cheng-qi: its origin records no definition, so a change of '生成器' in the "
        "notes cannot be told; they say '把噪声映射成样本的网络'; the card was kept as it is "
        "(once it says that, put this text in its origin, on a second line)"
    ]
    upgraded = snapshot(tmp_path)
    again = import_notes(round_notes(tmp_path), tmp_path)
    assert (again.files, snapshot(tmp_path)) == ([], upgraded)
    assert again.flagged == report.flagged


WGAN_EXCERPT = "    - Critic instead of discriminator.\n"


def test_an_excerpt_edited_by_hand_is_not_added_again(tmp_path: Path) -> None:
    import_notes(NOTES / "round-v1.md", tmp_path, note_name="round.md")
    edit(
        tmp_path / "wgan.yaml", WGAN_EXCERPT, "    - A critic instead of a discriminator (WGAN).\n"
    )
    edited = snapshot(tmp_path)
    report = import_notes(round_notes(tmp_path), tmp_path)
    assert (report.added, report.files) == ([], [])
    assert not [f for f in report.flagged if "wgan" in f]
    assert snapshot(tmp_path) == edited


def test_an_excerpt_rewritten_beyond_recognition_or_deleted_comes_back(tmp_path: Path) -> None:
    import_notes(NOTES / "round-v1.md", tmp_path, note_name="round.md")
    wgan = tmp_path / "wgan.yaml"
    edit(wgan, WGAN_EXCERPT, "    - The WGAN critic has no sigmoid at its output.\n")
    report = import_notes(round_notes(tmp_path), tmp_path)
    assert report.files == [wgan]
    assert topic_files(tmp_path)["wgan"].topic.excerpts == [
        "The WGAN critic has no sigmoid at its output.",  # kept, and flagged as not the notes'
        "Critic instead of discriminator.",
    ]
    assert [f for f in report.flagged if "wgan" in f] == [
        "gone from the notes: wgan excerpt 'The WGAN critic has no sigmoid at its output.'"
    ]
    # The excerpts record what was taken from the notes: one deleted is taken again.
    edit(wgan, WGAN_EXCERPT, "")
    import_notes(round_notes(tmp_path), tmp_path)
    assert topic_files(tmp_path)["wgan"].topic.excerpts[-1] == "Critic instead of discriminator."


def test_the_shipped_content_is_a_fixed_point_of_the_importer(tmp_path: Path) -> None:
    """The hand-written content/ already holds everything the real notes would add."""
    notes = NOTES / "deep-learning.md"
    content = tmp_path / "content"
    shutil.copytree(shipped_content_dir(), content)
    before = snapshot(content)
    report = import_notes(notes, content)
    assert snapshot(content) == before  # byte-identical
    assert (report.added, report.files) == ([], [])
    # Only what is inherent: the notes' images are not in the repository.
    images = IMAGE.findall(notes.read_text("utf-8"))
    assert all(f.startswith("missing image in ") for f in report.flagged)
    assert sorted(f.split(": ", 1)[1] for f in report.flagged) == sorted(images)
    gradients = ["deep-learning/vanishing-gradient", "deep-learning/exploding-gradient"]
    assert set(gradients) <= set(report.kept)  # found by their origin, not added again
    topics = [
        TopicFile.model_validate(YAML(typ="safe").load(path.read_text("utf-8"))).topic
        for path in content.glob("*.yaml")
    ]
    from_notes = {t.id for t in topics if t.source.note == notes.name}
    assert set(report.kept) == {*gradients, *from_notes}


def test_a_renamed_topic_is_found_by_its_section(tmp_path: Path) -> None:
    import_notes(NOTES / "round-v1.md", tmp_path, note_name="round.md")
    text = (tmp_path / "gan.yaml").read_text("utf-8").replace("gan", "adversarial")
    (tmp_path / "gan.yaml").unlink()
    (tmp_path / "adversarial.yaml").write_text(text, "utf-8")
    report = import_notes(NOTES / "round-v2.md", tmp_path, note_name="round.md")
    assert report.added == ["adversarial/mo-shi-beng-kui"]
    assert not (tmp_path / "gan.yaml").exists()
    assert "adversarial" in report.kept
    topic_files(tmp_path)


def test_a_section_gone_from_the_notes_is_flagged_and_kept(tmp_path: Path) -> None:
    import_notes(NOTES / "round-v1.md", tmp_path, note_name="round.md")
    notes = tmp_path.parent / "round.md"
    notes.write_text((NOTES / "round-v1.md").read_text("utf-8").split("## WGAN")[0], "utf-8")
    report = import_notes(notes, tmp_path)
    assert "gone from the notes: wgan (section 'WGAN')" in report.flagged
    assert (tmp_path / "wgan.yaml").exists()


def test_topics_of_other_notes_are_left_alone(tmp_path: Path) -> None:
    import_notes(NOTES / "round-v1.md", tmp_path, note_name="other.md")
    before = snapshot(tmp_path)
    report = import_notes(NOTES / "round-v1.md", tmp_path, note_name="round.md")
    assert "gan-2" in report.added and "gan-2/pan-bie-qi" in report.added
    assert {name: before[name] for name in before} == {n: snapshot(tmp_path)[n] for n in before}
    topic_files(tmp_path)  # ids stay unique across the folder


def test_empty_flow_lists_become_block_lists(tmp_path: Path) -> None:
    (tmp_path / "gan.yaml").write_text(
        "topic:\n  id: gan\n  title: GAN\n  source: {note: round.md, section: GAN}\n"
        "  excerpts: []\ncards: []\n",
        "utf-8",
    )
    report = import_notes(NOTES / "round-v1.md", tmp_path, note_name="round.md")
    assert "gan/pan-bie-qi" in report.added
    text = (tmp_path / "gan.yaml").read_text("utf-8")
    assert "cards: []" not in text and "cards:\n  - id: gan/pan-bie-qi" in text
    assert "  references:\n    - {kind: link" in text
    assert "  excerpts: []\n" in text  # nothing to add there: left as written
    assert topic_files(tmp_path)["gan"].topic.references[0].target == "https://example.org/gan"


def test_tricky_markdown(tmp_path: Path) -> None:
    shutil.copytree(NOTES, tmp_path / "notes")
    report = import_notes(tmp_path / "notes" / "tricky.md", tmp_path / "out")
    files = topic_files(tmp_path / "out")
    assert set(files) == {"juan-ji", "juan-ji-2", "se-block", "section", "tricky-notes", "zong-lan"}
    origins = {c.origin for f in files.values() for c in f.cards}
    assert {"term:fake", "term:cell", "term:html", "term:indented", "term:注意"}.isdisjoint(origins)
    assert [c.id for c in files["juan-ji-2"].cards] == ["juan-ji-2/stride"]
    conv = basic(files, "juan-ji/zhuan-zhi-juan-ji")
    assert (conv.source.section, conv.source.subsection) == ("卷积", "反卷积")
    assert basic(files, "se-block/cost").back.en == r"costs \$5 to train"  # not math
    exists = {r.target: r.exists for r in files["section"].topic.references}
    windows = r"C:\Users\Administrator\AppData\Roaming\Typora\typora-user-images\image-1.png"
    assert exists == {
        "tricky.assets/absent.png": False,
        windows: False,
        "tricky.assets/present.png": True,
    }
    missing = [f for f in report.flagged if f.startswith("missing image")]
    assert missing == [
        "missing image in section: tricky.assets/absent.png",
        f"missing image in section: {windows}",
    ]
    (tmp_path / "notes" / "tricky.assets" / "absent.png").write_bytes(b"now here")
    again = import_notes(tmp_path / "notes" / "tricky.md", tmp_path / "out")
    assert again.files == [tmp_path / "out" / "section.yaml"] and again.added == []
    assert topic_files(tmp_path / "out")["section"].topic.references[0].exists is True


def test_unreadable_yaml_stops_the_import_before_anything_is_written(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("topic: {id: [unclosed\n", "utf-8")
    with pytest.raises(BadInput, match=r"broken\.yaml"):
        import_notes(NOTES / "round-v1.md", tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["broken.yaml"]


def test_missing_notes_file(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="cannot read the notes"):
        import_notes(tmp_path / "nope.md", tmp_path / "out")


def test_format_report() -> None:
    report = ImportReport(
        added=["gan", "gan/x"],
        kept=["wgan"],
        flagged=["gone from the notes: gan/y (term:y)"],
        files=[Path("content/gan.yaml")],
    )
    assert format_report(report).splitlines() == [
        "added 2:",
        "  + gan",
        "  + gan/x",
        "kept 1 as they were (never overwritten)",
        "flagged 1:",
        "  ! gone from the notes: gan/y (term:y)",
        "wrote 1 file(s):",
        "  content/gan.yaml",
    ]
    assert format_report(ImportReport()).splitlines() == [
        "added nothing",
        "kept 0 as they were (never overwritten)",
        "flagged nothing",
        "wrote 0 file(s)",
    ]


# Arbitrary notes: headings, definitions, images, code fences, links, lists and HTML, with
# random unicode (control characters, emoji, CJK, dollars, colons) in every slot.
_any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
_word = st.text(st.sampled_from("ab中文 $:：*_`#!?[]()<>\\/.、🎉"), max_size=8) | _any_text
_block = st.one_of(
    st.builds("{} {}".format, st.sampled_from(["#", "##", "###", "####"]), _word),
    st.builds("**{}**{}{}".format, _word, st.sampled_from(["：", ":", " : ", "", "*"]), _word),
    st.builds("**{}{}**{}".format, _word, st.sampled_from(["：", ":"]), _word),
    st.builds(
        "![{}]({})".format,
        _word,
        st.sampled_from(["a.png", r"C:\Users\x\y.png", "深度学习.assets/z.png", "http://e.org/i"]),
    ),
    st.builds("```{}\n**{}**：{}\n```".format, _word, _word, _word),
    st.builds("- **{}**：{}\n  - {}".format, _word, _word, _word),
    st.builds("> {}\n[{}](https://e.org/{})".format, _word, _word, _word),
    st.builds("| {} | {} |\n| - | - |\n| {} | x |".format, _word, _word, _word),
    st.builds("<div>{}</div>".format, _word),
    st.just("[TOC]"),
    st.just("---\ntitle: t\n---"),
    _any_text,
)
_notes = st.lists(st.tuples(_block, st.sampled_from(["\n", "\n\n", "\r\n"])), max_size=14).map(
    lambda parts: "".join(block + end for block, end in parts)
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_notes)
def test_any_markdown_imports_into_valid_topics(notes_text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        notes, out = Path(tmp) / "n.md", Path(tmp) / "out"
        notes.write_text(notes_text, "utf-8", newline="")
        report = import_notes(notes, out)
        card_ids: list[str] = []
        for path in report.files:
            data = YAML(typ="safe").load(path.read_text("utf-8"))
            topic_file = TopicFile.model_validate(data)
            card_ids += [c.id for c in topic_file.cards]
        assert len(card_ids) == len(set(card_ids))
        assert len({p.stem for p in report.files}) == len(report.files)
        before = snapshot(out) if out.exists() else {}
        again = import_notes(notes, out)  # idempotent: nothing new, nothing written
        assert (again.added, again.files) == ([], [])
        assert (snapshot(out) if out.exists() else {}) == before


def test_web_images_and_links_are_not_checked_on_disk(tmp_path: Path) -> None:
    notes = tmp_path / "n.md"
    notes.write_text("## A\n\n![web](https://e.org/x.png) [site](https://e.org)\n", "utf-8")
    report = import_notes(notes, tmp_path / "out")
    refs = topic_files(tmp_path / "out")["a"].topic.references
    assert [(r.kind, r.target, r.title, r.exists) for r in refs] == [
        ("image", "https://e.org/x.png", "web", None),
        ("link", "https://e.org", "site", None),
    ]
    assert not [f for f in report.flagged if f.startswith("missing image")]
