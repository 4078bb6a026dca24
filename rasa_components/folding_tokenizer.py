"""Whitespace tokens whose lemma is the folded, romanised word, for the featurizers to count.

The same question reaches us as "сколько стоит", "skolko stoit" and "ile kosztuje" with or
without diacritics; Rasa's CountVectorsFeaturizer counts `token.lemma` when it is set, so giving it
one spelling per word lets an example written in Cyrillic teach the Latin-typed one and back.
Token text (offsets, entities, LexicalSyntacticFeaturizer) stays what the person typed.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.understanding.text import fold, lemma, romanize


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class FoldingTokenizer(WhitespaceTokenizer):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # lemmatize: the dictionary form first (pymorphy3 for Cyrillic, simplemma's Polish otherwise)
        return {**WhitespaceTokenizer.get_default_config(), "lemmatize": False}

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        tokens = super().tokenize(message, attribute)
        for token in tokens:
            word = lemma(token.text, "ru") if self._config.get("lemmatize") else token.text
            token.lemma = romanize(fold(word)).replace(" ", "") or token.text.lower()
        return tokens
