"""A family: captions, related headlines, link labels, embeds, page furniture, signatures."""
from __future__ import annotations

from pathlib import Path

import pytest

from mtcheck import api
from mtcheck.checks import artefacts

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "geneva_es-en_mt.txt"

P1 = "The talks lasted two hours and ended without a deal."
P2 = "Both sides agreed to meet again next week in Geneva."


def a_findings(text, *, filename="story.txt", select=("A",)):
    return api.check(text, filename=filename, target_lang="en", select=list(select))


def story(*middle):
    return "\n\n".join((P1,) + middle + (P2,))


def only(findings, code):
    return [f for f in findings if f.code == code]


# -- the seed story -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed():
    if not SEED.is_file():
        pytest.skip("../shared/seed is not beside the repository")
    text = SEED.read_text(encoding="utf-8")
    return text, a_findings(text)


def test_seed_photo_captions(seed):
    _, fs = seed
    caps = only(fs, "A001")
    assert len(caps) == 2
    assert all(f.severity == "warning" for f in caps)
    assert caps[0].text.endswith("MINISTRY OF DEFENSE / AFP")
    assert caps[1].text.endswith("Photo: EFE/EPA /MARCIAL TREZZINI")


def test_seed_caption_without_credit_next_to_a_pasted_headline(seed):
    _, fs = seed
    (f,) = only(fs, "A002")
    assert f.text.startswith("A satellite image shows") and f.severity == "warning"


def test_seed_related_headlines(seed):
    _, fs = seed
    heads = {f.text: f.severity for f in only(fs, "A003")}
    assert heads["The United States asked Russia to withdraw its troops from the border with Ukraine"] == "warning"
    assert heads["Baltic states urge Russia to cease its aggressive and irresponsible behavior"] == "warning"
    # The section head that the next paragraph takes up is not flagged at warning level.
    assert heads.get("Baltic states to send anti-tank, anti-aircraft missiles to Ukraine") in (None, "info")


def test_seed_desk_signature(seed):
    _, fs = seed
    (f,) = only(fs, "A007")
    assert f.text == "INTERNATIONAL WRITING"
    # The agency source line is a credit, not an artefact.
    assert not any("With information from" in f.text for f in fs)


def test_every_finding_suggests_removal_unsafely(seed):
    _, fs = seed
    for f in fs:
        if f.code in ("A008", "A009"):
            continue
        assert [s.replacement for s in f.suggestions] == [""]
        assert all(s.applicability == "unsafe" for s in f.suggestions)


def test_spans_are_whole_blocks(seed):
    text, fs = seed
    for f in only(fs, "A001") + only(fs, "A003"):
        assert text[f.start:f.end] == f.text
        assert text[f.end:f.end + 1] in ("\n", "")


# -- captions --------------------------------------------------------------------------------


def test_inline_photo_credit():
    text = "Lavrov arrived in Geneva on Friday (Photo: EFE/Salvatore Di Nolfi) for talks with Blinken."
    (f,) = only(a_findings(text), "A001")
    assert f.text == " (Photo: EFE/Salvatore Di Nolfi)"


def test_poll_names_and_bare_credits_are_not_captions():
    assert not a_findings(story("An AP/NORC poll found that most Americans back the sanctions."))
    assert not only(a_findings(story("(EFE)")), "A001")


def test_html_figcaption_is_only_info():
    html = (
        "<html><body><p>" + P1 + "</p><figure><img src='x.jpg'><figcaption>Blinken in Geneva. Photo: EFE/EPA/MARCIAL TREZZINI"
        "</figcaption></figure><p>" + P2 + "</p></body></html>"
    )
    fs = only(a_findings(html, filename="story.html"), "A001")
    assert fs and all(f.severity == "info" for f in fs)


# -- related headlines ------------------------------------------------------------------------


def test_concatenated_stories_do_not_raise_warnings():
    # WMT-style: the next story's headline, taken up by its first paragraph.
    text = story("Mass infection: 174 harvest workers infected on a farm", "After a mass infection on a farm, 174 harvest workers are in quarantine.")
    assert not [f for f in only(a_findings(text), "A003") if f.severity == "warning"]


def test_markdown_headings_are_structure():
    text = f"{P1}\n\n## Baltic states urge Russia to cease its aggressive and irresponsible behavior\n\n" \
           "\"The Baltic states urge Russia to cease its aggressive and irresponsible behavior,\" he said."
    assert not only(a_findings(text, filename="story.md"), "A003")


def test_video_tag_marks_a_related_headline():
    (f,) = only(a_findings(story("Thousands protest in Madrid against the housing crisis (VIDEO)")), "A003")
    assert f.severity == "warning"


# -- link labels, embeds, page furniture -------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    ["Read more: Russia moves troops", "ALSO READ Baltic states send missiles", "Lea también: Rusia despliega tropas",
     "Lire aussi | La Russie déploie des troupes", "Lesen Sie auch: Russland verlegt Truppen", "RELATED"],
)
def test_read_more_labels(line):
    assert only(a_findings(story(line)), "A004")


def test_read_more_in_a_sentence_is_fine():
    assert not a_findings(story("Readers can read more about the talks on the ministry's website."))


def test_tweet_embed_is_flagged_as_one_block():
    line = "Great talks in Geneva today. pic.twitter.com/AbC123xyz — Antony Blinken (@SecBlinken) January 21, 2022"
    fs = only(a_findings(story(line)), "A005")
    assert len(fs) == 1 and fs[0].text == line and fs[0].severity == "warning"


def test_bare_links_are_info():
    fs = only(a_findings(story("The video is at https://www.youtube.com/watch?v=WxsYTK8l_Gk and was shared widely.")), "A005")
    assert fs and all(f.severity == "info" for f in fs)


@pytest.mark.parametrize("line", ["Advertisement", "Story continues below advertisement", "Publicidad", "Tags: Russia, Ukraine, NATO"])
def test_web_page_furniture(line):
    assert only(a_findings(story(line)), "A006")


def test_web_words_inside_copy_are_fine():
    assert not a_findings(story("Advertisement revenue fell by 8% in the quarter, the company said."))


# -- signatures and datelines ---------------------------------------------------------------


@pytest.mark.parametrize("line", ["INTERNATIONAL WRITING", "Redacción Internacional", "Rédaction", "REDACCIÓN"])
def test_source_desk_signatures(line):
    assert only(a_findings(f"{P1}\n\n{P2}\n\n{line}"), "A007")


@pytest.mark.parametrize("line", ["International Desk", "(EFE)", "With reporting from Reuters"])
def test_english_desks_and_credits_are_fine(line):
    assert not only(a_findings(f"{P1}\n\n{P2}\n\n{line}"), "A007")


def test_wire_sign_off_is_info():
    (f,) = only(a_findings(f"{P1}\n\n{P2}\n\nReporting by Jane Smith; Editing by John Doe"), "A008")
    assert f.severity == "info" and not f.suggestions


def test_second_dateline_is_info_and_brand_names_are_not_datelines():
    fs = only(a_findings(story("MADRID (EFE) - The Spanish government said on Friday that it would send aid.")), "A009")
    assert len(fs) == 1 and fs[0].severity == "info" and fs[0].text.startswith("MADRID (EFE)")
    assert not only(a_findings(story("DUPLI-COLOR offers a wiping-resistant paint for cars.")), "A009")


def test_rules_are_documented():
    for rule in artefacts.RULES:
        assert rule.code.startswith("A") and rule.summary
        assert any(e.flags for e in rule.examples) and any(not e.flags for e in rule.examples)
