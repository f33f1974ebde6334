"""The package's layout: sub-packages on floors, imports flowing down, no cycle."""

import ast
import pathlib
import subprocess
import sys

import pytest

import sklearn_imdb

# a new process per sub-package: left out of make test-fast
pytestmark = pytest.mark.slow


PACKAGE = pathlib.Path(sklearn_imdb.__file__).parent
#: a module imports from its own sub-package and from lower floors only
FLOORS = {
    "utils": 0,
    "text": 1,
    "network": 1,
    "datasets": 2,
    "model_files": 2,
    "inspection": 2,
    "plotting": 2,
    "model_selection": 3,
    "serve": 3,
    "cli": 4,
}
#: public in 0.1 (the API reference then), importable from the top level
PUBLIC_IN_0_1 = """DenseNetworkClassifier MultiHotVectorizer NBFeatureWeighter explain
fetch_imdb load_model load_reviews plot_history save_model tokenize top_features
explanation_html read_texts named_pipeline available_pipelines describe_pipeline
check_classes compare tune load_splits load_labelled classification_scores
predict_with_scores scores_of_predictions iter_predictions predict_in_batches
build_network available_threads share_tensorflow_ops plot_comparison plot_search
plot_confusion_matrix""".split()


def module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(source, name, is_package):
    """The ``sklearn_imdb`` modules a module's source imports, anywhere in it."""
    package = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("sklearn_imdb")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("sklearn_imdb"):
                found.add(target)
                # `from . import x` may name a module
                found |= {f"{target}.{a.name}" for a in node.names}
    return found


def floor_of(module):
    """The sub-package (or top-level module) a module belongs to, or None."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def violations(name, imported):
    """Imports of ``name`` that go sideways or up the floors."""
    own = floor_of(name)
    if own is None:  # sklearn_imdb/__init__.py: the top, imports anything
        return []
    bad = []
    for target in sorted(imported):
        other = floor_of(target)
        if other is None or other == own or other not in FLOORS:
            continue
        if FLOORS[other] >= FLOORS[own]:
            bad.append(f"{name} imports {target}")
    return bad


def all_modules():
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        modules[name] = imports_of(
            path.read_text(encoding="utf-8"), name, path.name == "__init__.py"
        )
    return modules


def test_imports_flow_down_the_floors():
    modules = all_modules()
    assert {floor_of(m) for m in modules} - {None} == set(FLOORS)
    bad = [v for name, imported in modules.items() for v in violations(name, imported)]
    assert bad == []


@pytest.mark.parametrize(
    "name, source",
    [
        ("sklearn_imdb.text._vectorizer", "from ..network import build_network"),
        ("sklearn_imdb.network._batches", "from ..text import tokenize"),
        ("sklearn_imdb.utils.parallel", "def f():\n    from ..network import _keras"),
        ("sklearn_imdb.datasets._imdb", "import sklearn_imdb.cli"),
        ("sklearn_imdb.model_files._steps", "from ..model_selection import tune"),
    ],
)
def test_an_import_against_the_floors_is_caught(name, source):
    assert violations(name, imports_of(source, name, is_package=False))


def test_no_module_imports_itself_back_through_others():
    # every import counts, those inside functions too (the old _keras <-> parallel)
    modules = all_modules()
    graph = {
        name: {t for t in imported if t in modules and t != name}
        for name, imported in modules.items()
        if not name.endswith("__init__") and name != "sklearn_imdb"
    }
    graph = {n: {t for t in ts if t in graph} for n, ts in graph.items()}
    done, path = set(), []

    def visit(name):
        if name in path:
            raise AssertionError(" -> ".join(path[path.index(name) :] + [name]))
        if name in done:
            return
        path.append(name)
        for target in sorted(graph[name]):
            visit(target)
        path.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)


def test_the_top_level_holds_at_most_three_modules():
    top = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")
    assert len(top) <= 3, top
    assert all(
        not p.name.startswith("_") for p in PACKAGE.glob("*.py") if p.stem != "__init__"
    )


@pytest.mark.parametrize("package", sorted(FLOORS))
def test_each_sub_package_imports_alone_without_tensorflow(package):
    code = (
        "import sys\n"
        f"import sklearn_imdb.{package} as package\n"
        "assert package.__doc__, 'no docstring'\n"
        "for name in getattr(package, '__all__', []):\n"
        "    if name != 'DenseNetworkClassifier':\n"
        "        getattr(package, name)\n"
        "assert 'tensorflow' not in sys.modules, 'TensorFlow started'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_everything_public_in_0_1_is_importable_from_the_top():
    for name in PUBLIC_IN_0_1:
        assert name in sklearn_imdb.__all__
        assert getattr(sklearn_imdb, name) is not None
    assert sorted(sklearn_imdb.__all__) == sorted(set(sklearn_imdb.__all__))
