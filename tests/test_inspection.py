"""explain and top_features: contributions that match what removing a word does."""

import numpy as np
import pytest

from sklearn_imdb import (
    explain,
    explanation_html,
    named_pipeline,
    tokenize,
    top_features,
)

from .conftest import make_reviews

DOCS, Y = make_reviews(300, seed=9)
LABELS = np.array(["neg", "pos"])[Y]
TEXT = "A wonderful, moving film with a dreadful ending."


def _without(text, word):
    return " ".join(w for w in tokenize(text) if w != word)


@pytest.fixture(scope="module")
def pipes():
    docs = DOCS + ["wonderful moving", "dreadful awful"] * 20
    labels = np.r_[LABELS, ["pos", "neg"] * 20]
    return {
        name: named_pipeline(name, **params).fit(docs, labels)
        for name, params in [
            ("logreg", {"clf__C": 10.0}),
            ("seed-net", {"clf__epochs": 15, "clf__batch_size": 32}),
        ]
    }


@pytest.mark.parametrize("name", ["logreg", "seed-net"])
def test_the_words_that_decide(pipes, name):
    pipe = pipes[name]
    (result,) = explain(pipe, [TEXT], top=10)
    assert result.label == "pos" and 0.5 < result.probability <= 1
    terms = dict(zip(result.terms["term"], result.terms["contribution"]))
    assert terms["wonderful"] > 0 and terms["moving"] > 0
    assert terms["dreadful"] < 0
    assert list(result.terms["contribution"]) == sorted(
        result.terms["contribution"], reverse=True
    )


def test_removing_the_top_word_changes_the_probability_by_its_contribution(pipes):
    pipe = pipes["seed-net"]
    (result,) = explain(pipe, [TEXT])
    word, amount = result.terms.iloc[0]
    k = list(pipe.classes_).index(result.label)
    before = pipe.predict_proba([TEXT])[0, k]
    after = pipe.predict_proba([_without(TEXT, word)])[0, k]
    assert before == pytest.approx(result.probability, abs=1e-6)
    assert before - after == pytest.approx(amount, abs=1e-5)


def test_linear_contributions_are_coefficient_times_value(pipes):
    pipe = pipes["logreg"]
    (result,) = explain(pipe, [TEXT], top=50)
    coef = pipe[-1].coef_[0]
    vocabulary = pipe[0].vocabulary_
    for term, contribution in zip(result.terms["term"], result.terms["contribution"]):
        assert contribution == pytest.approx(coef[vocabulary[term]])


def test_top_features_per_class(pipes):
    for pipe in pipes.values():
        words = top_features(pipe, n=5)
        assert set(words) == {"neg", "pos"}
        assert set(words["pos"]["term"][:5]) & {"wonderful", "moving", "great"}
        assert set(words["neg"]["term"][:5]) & {"dreadful", "awful", "dull"}
        assert list(words["pos"]["score"]) == sorted(
            words["pos"]["score"], reverse=True
        )


def test_explain_needs_a_list(pipes):
    with pytest.raises(ValueError, match="list of texts"):
        explain(pipes["logreg"], TEXT)


def test_each_explanation_says_what_its_contributions_are(pipes):
    assert explain(pipes["logreg"], [TEXT])[0].kind == "linear"
    assert explain(pipes["seed-net"], [TEXT])[0].kind == "removal"


@pytest.mark.slow
def test_the_explanation_page_renders_styled_in_chromium(pipes, tmp_path, chromium):
    from selenium.webdriver.common.by import By

    found = explain(pipes["seed-net"], [TEXT, "Dull <b>and</b> dreadful."])
    page = explanation_html(found, title="Model: seed-net")
    assert "http" not in page  # self-contained: no request leaves the file
    path = tmp_path / "explained.html"
    path.write_text(page, encoding="utf-8")
    chromium.get(path.as_uri())
    body = chromium.find_element(By.TAG_NAME, "body")
    assert "serif" not in body.value_of_css_property("font-family").replace(
        "sans-serif", ""
    )
    assert "Model: seed-net" in body.text
    assert "do not add up" in chromium.find_element(By.CLASS_NAME, "legend").text
    sections = chromium.find_elements(By.TAG_NAME, "section")
    assert [s.find_element(By.CLASS_NAME, "text").text for s in sections] == [
        TEXT,
        "Dull <b>and</b> dreadful.",  # the text's markup shown, not run
    ]
    marks = sections[0].find_elements(By.TAG_NAME, "mark")
    colours = {m.text: m.value_of_css_property("background-color") for m in marks}
    assert colours["wonderful"].startswith("rgba(0, 160, 0")
    assert colours["dreadful"].startswith("rgba(220, 0, 0")
    width = chromium.execute_script("return document.documentElement.scrollWidth")
    assert width <= chromium.execute_script("return window.innerWidth")
