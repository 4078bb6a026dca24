"""The tokenizer config.yml names: one spelling per word for the featurizers, the typed text kept."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from rasa_components.folding_tokenizer import FoldingTokenizer


def lemmas(text, **config):
    tokenizer = FoldingTokenizer({**FoldingTokenizer.get_default_config(), **config})
    return tokenizer.tokenize(Message(data={"text": text}), "text")


@pytest.mark.parametrize(
    "typed, latin",
    [
        ("сколько стоит", "skolko stoit"),
        ("скільки коштує", "skilki koshtuye"),
        ("привет", "privet"),
        ("żona ma kartę", "zona ma karte"),
        ("Łódź", "lodz"),
        ("займет", "zaimet"),
    ],
)
def test_scripts_and_diacritics_meet(typed, latin):
    assert [t.lemma for t in lemmas(typed)] == [t.lemma for t in lemmas(latin)]


def test_the_typed_text_and_offsets_stay():
    tokens = lemmas("Скільки коштує CUKR?")
    assert [t.text for t in tokens] == ["Скільки", "коштує", "CUKR"]
    assert [(t.start, t.end) for t in tokens] == [(0, 7), (8, 14), (15, 19)]
    assert [t.lemma for t in tokens] == ["skilki", "koshtuye", "cukr"]


def test_lemmatizing_first_reaches_the_dictionary_form():
    assert [t.lemma for t in lemmas("коштує", lemmatize=True)] == ["koshtuvati"]
