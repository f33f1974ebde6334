"""How ``sklearn-imdb predict`` prints its rows: aligned text, CSV or JSON Lines.

Each writer is made from the model's classes, prints its header at once and
returns a function that prints one row (a text, its label and, for a model
with ``predict_proba``, the probability of each class), so that predictions
stream out a batch at a time.
"""

import json
import sys

import numpy as np

__all__ = ["ROW_WRITERS"]


def _text_rows(classes, with_proba):
    """Aligned columns: the label, each class's probability, the text."""
    width = max(5, *(len(str(c)) for c in classes))
    heads = [f"P({c})" for c in classes] if with_proba else []
    widths = [max(5, len(h)) for h in heads]
    header = [f"{'label':<{width}}", *(f"{h:>{w}}" for h, w in zip(heads, widths))]
    print("  ".join([*header, "text"]))

    def write(text, label, proba):
        text = text if len(text) <= 70 else text[:67] + "..."
        cells = [f"{str(label):<{width}}"]
        if proba is not None:
            cells += [f"{p:>{w}.3f}" for p, w in zip(proba, widths)]
        print("  ".join([*cells, text.replace("\n", " ")]))

    return write


def _csv_rows(classes, with_proba):
    import csv

    writer = csv.writer(sys.stdout, lineterminator="\n")
    heads = [f"proba_{c}" for c in classes] if with_proba else []
    writer.writerow(["text", "label", *heads])

    def write(text, label, proba):
        probabilities = [] if proba is None else [f"{p:.6f}" for p in proba]
        writer.writerow([text, _plain(label), *probabilities])

    return write


def _jsonl_rows(classes, with_proba):
    def write(text, label, proba):
        row = {"text": text, "label": _plain(label)}
        if proba is not None:
            row["proba"] = {str(c): round(float(p), 6) for c, p in zip(classes, proba)}
        print(json.dumps(row, ensure_ascii=False))

    return write


ROW_WRITERS = {"text": _text_rows, "csv": _csv_rows, "jsonl": _jsonl_rows}


def _plain(value):
    """A NumPy label as the Python value JSON and CSV write."""
    return value.item() if isinstance(value, np.generic) else value
