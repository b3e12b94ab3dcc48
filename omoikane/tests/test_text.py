from __future__ import annotations

from omoikane.text import fold, fold_with_map


def test_it_folds_case_accents_and_compatibility_forms() -> None:
    assert fold("Grüßen GRÜSSEN") == "grussen grussen"
    assert fold("Ελληνικά ΟΔΟΣ οδός") == "ελληνικα οδοσ οδοσ"
    assert fold("Café ﬁle Ørsted") == "cafe file ørsted"


def test_it_folds_every_sigma_into_the_ordinary_one() -> None:
    assert fold("ς ϲ Ϲ") == "σ σ σ"


def test_it_maps_each_folded_character_back_to_the_original() -> None:
    text = "Straße é"
    folded, origin = fold_with_map(text)
    assert folded == fold(text) == "strasse e"
    assert [text[i] for i in origin] == list("Straßße é")
