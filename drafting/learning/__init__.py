"""The drafter's learned part: a sentence model trained from reviewed documents, beside the rules.

``examples`` turns reviewed documents into labelled sentences, ``features`` says what the model reads of
a sentence (in any language, through ``tokens``), ``model`` trains and applies it.
"""
