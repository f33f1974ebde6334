"""The service's page: type a review, see its label, probability and deciding words.

One self-contained HTML document (no external requests) that calls
``POST /explain`` and builds the highlighted text with DOM nodes, never
with HTML from the answer.
"""

__all__ = ["PAGE"]

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sklearn-imdb: which words decide</title>
<style>
  body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif;
         max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; }
  h1 { font-size: 1.4rem; margin-bottom: .2rem; }
  #model { color: #555; font-size: .9rem; margin-top: 0; }
  textarea { width: 100%; box-sizing: border-box; min-height: 8rem;
             font: inherit; padding: .5rem; border: 1px solid #bbb;
             border-radius: 6px; }
  button { margin-top: .5rem; font: inherit; padding: .4rem 1.2rem;
           border: 0; border-radius: 6px; background: #2457c5; color: #fff;
           cursor: pointer; }
  button:disabled { background: #8aa4d6; }
  #result { margin-top: 1.5rem; }
  #label { font-size: 1.2rem; font-weight: 600; }
  #text { white-space: pre-wrap; border-left: 3px solid #ddd;
          padding-left: .8rem; }
  mark { border-radius: 3px; padding: 0 1px; color: inherit; }
  .legend { font-size: .85rem; color: #555; }
  .swatch { display: inline-block; width: .9rem; height: .9rem;
            vertical-align: middle; border-radius: 2px; }
  #error { color: #b00020; }
</style>
</head>
<body>
<h1>Which words decide</h1>
<p id="model">loading the model's description&hellip;</p>
<form id="form">
  <label for="review">A review</label>
  <textarea id="review" name="review"
    placeholder="A moving, beautiful film with a dreadful ending."></textarea>
  <button id="submit" type="submit">Classify</button>
</form>
<p id="error" role="alert"></p>
<section id="result" hidden>
  <p><span id="label"></span> <span id="probability"></span></p>
  <p id="text"></p>
  <p class="legend">
    <span class="swatch" style="background:rgba(0,160,0,.6)"></span>
    pushes towards the predicted label &nbsp;
    <span class="swatch" style="background:rgba(220,0,0,.6)"></span>
    pushes against it; the stronger the colour, the larger the word's
    contribution (hover for its value). A contribution is
    <span id="meaning"></span>.
  </p>
</section>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
fetch("model").then((r) => r.json()).then((m) => {
  $("model").textContent = "Model: " + (m.pipeline || m.file) +
    " \\u00b7 classes: " + m.classes.join(", ") +
    (m.training_data ? " \\u00b7 trained on " + m.training_data : "");
}).catch(() => { $("model").textContent = ""; });

function highlighted(text, spans) {
  const out = document.createDocumentFragment();
  const largest = Math.max(1e-12, ...spans.map((s) => Math.abs(s[2])));
  let position = 0;
  for (const [start, end, value] of spans) {
    out.append(text.slice(position, start));
    const mark = document.createElement("mark");
    const colour = value > 0 ? "0,160,0" : "220,0,0";
    const alpha = 0.15 + 0.75 * Math.abs(value) / largest;
    mark.style.background = `rgba(${colour},${alpha.toFixed(2)})`;
    mark.title = (value > 0 ? "+" : "") + value.toFixed(4);
    mark.textContent = text.slice(start, end);
    out.append(mark);
    position = end;
  }
  out.append(text.slice(position));
  return out;
}

$("form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("error").textContent = "";
  $("submit").disabled = true;
  try {
    const response = await fetch("explain", {
      method: "POST",
      headers: {"content-type": "application/json"},
      body: JSON.stringify({texts: [$("review").value], top: 20}),
    });
    const answer = await response.json();
    if (!response.ok) {
      throw new Error(typeof answer.detail === "string" ? answer.detail
                      : response.status + " " + response.statusText);
    }
    const e = answer.explanations[0];
    $("label").textContent = "Predicted: " + e.label;
    $("probability").textContent = e.probability === null ? ""
      : "(probability " + e.probability.toFixed(3) + ")";
    $("text").replaceChildren(highlighted(e.text, e.spans));
    $("meaning").textContent = e.meaning;
    $("result").hidden = false;
  } catch (error) {
    $("error").textContent = error.message;
  } finally {
    $("submit").disabled = false;
  }
});
</script>
</body>
</html>
"""
