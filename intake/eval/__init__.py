"""Measuring intake against labelled mail: classification and reply extraction.

:mod:`.corpus` scores a ``labels.jsonl`` corpus (``intake eval``);
:mod:`.replyscore` judges one extracted reply against its expectation.
"""
