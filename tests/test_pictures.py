"""Pictures: the learner's own scripts (days 5 and 7) and the grader's Day 7 run, which is saved
in OUT/grader/ and never over the learner's; the figures read well (a log loss with the test
accuracy, mistakes that stand out in the confusion matrix, a mistakes grid that fills its
canvas, Day 5's sign flips); the Day 7 script pins the maths library to one thread."""
import ast
import importlib.util
import os
import struct
import subprocess
import sys

import numpy as np
import pytest

from conftest import ENV, EXERCISES, REFERENCE
from graders import pictures, render

HEADLESS = {k: v for k, v in ENV.items()
            if k not in ("DISPLAY", "WAYLAND_DISPLAY", "MPLBACKEND")}  # no screen at all
SCRIPT_PICTURES = {5: ("day5_learning_rates.png",), 7: pictures.NAMES}
THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def png_size(path):
    """(width, height) of a PNG file, read from its IHDR chunk; fails unless it is a PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", path
    return struct.unpack(">II", data[16:24])


def labels(mistakes, n=360, seed=0):
    """(true, pred): n digits, about n/10 of each, `mistakes` of them read wrong."""
    rng = np.random.default_rng(seed)
    true = rng.permutation(np.arange(n) % 10)
    pred = true.copy()
    pred[:mistakes] = (true[:mistakes] + 1 + rng.integers(0, 9, mistakes)) % 10
    return true, pred


@pytest.fixture
def day_module(monkeypatch):
    """load(folder, day): a submission's day file imported as a module (its siblings
    importable); the day modules leave sys.modules afterwards."""
    before = set(sys.modules)

    def load(folder, day):
        monkeypatch.syspath_prepend(str(folder))
        spec = importlib.util.spec_from_file_location(f"day{day}", folder / f"day{day}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    yield load
    for name in set(sys.modules) - before:
        if name.startswith("day"):
            del sys.modules[name]


def drawn(fig):
    """The figure drawn on an Agg canvas: (RGB pixels as floats in [0, 1], its canvas)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3] / 255, canvas


def cell_colour(fig, pixels, row, col):
    """The colour of a confusion-matrix cell, read near its corner (clear of the count)."""
    ax = fig.axes[0]
    x, y = ax.transData.transform((col + 0.35, row + 0.35))
    return pixels[int(round(pixels.shape[0] - y)), int(round(x))]


def test_scripts_save_their_pictures_without_a_display(tmp_path):
    for day in (5, 7):
        done = subprocess.run([sys.executable, REFERENCE / f"day{day}.py"], cwd=tmp_path,
                              env=HEADLESS, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        for name in SCRIPT_PICTURES[day]:
            width, height = png_size(tmp_path / "reports" / name)
            assert 500 <= width <= 2000 and 300 <= height <= 1500, (name, width, height)


def test_the_plotting_helpers_are_given_code_identical_in_stub_and_reference():
    for day, name in ((5, "save_learning_rates"), (7, "save_pictures")):
        bodies = [next(ast.dump(n) for n in ast.parse((d / f"day{day}.py").read_text()).body
                       if isinstance(n, ast.FunctionDef) and n.name == name)
                  for d in (EXERCISES, REFERENCE)]
        assert bodies[0] == bodies[1], name


def before_numpy(path):
    """The top-level statements of a day file before its `import numpy`, unparsed."""
    body = ast.parse(path.read_text()).body
    at = next(k for k, node in enumerate(body) if isinstance(node, ast.Import)
              and any(a.name == "numpy" for a in node.names))
    return [ast.unparse(node) for node in body[:at] if not isinstance(node, ast.Expr)
            or not isinstance(node.value, ast.Constant)]  # the module docstring aside


def test_day7_pins_the_maths_library_to_one_thread_before_importing_numpy():
    stub, reference = (before_numpy(d / "day7.py") for d in (EXERCISES, REFERENCE))
    assert stub == reference
    for name in THREADS:
        assert f"os.environ.setdefault('{name}', '1')" in stub, stub


@pytest.mark.parametrize("folder", [EXERCISES, REFERENCE], ids=["stub", "reference"])
def test_importing_day7_runs_numpy_on_one_thread_unless_the_learner_says_otherwise(folder):
    """Without the variables set, numpy's BLAS takes a thread per core (2 here)."""
    script = ("import os, sys; sys.path.insert(0, sys.argv[1]); import day7, threadpoolctl; "
              "print(max(p['num_threads'] for p in threadpoolctl.threadpool_info() "
              "if p['user_api'] == 'blas'), os.environ.get('OMP_NUM_THREADS'))")
    bare = {k: v for k, v in HEADLESS.items() if k not in THREADS}
    for env, expected in ((bare, "1 1"), (dict(bare, OMP_NUM_THREADS="2"), "1 2")):
        done = subprocess.run([sys.executable, "-c", script, folder], env=env,
                              capture_output=True, text=True, timeout=60)
        assert done.stdout.split() == expected.split(), done.stderr


def test_the_grader_loss_is_on_a_log_axis_with_the_test_accuracy_in_its_title():
    losses = 2.3 * np.exp(-np.arange(1000) / 80) + 0.004
    ax = pictures.loss_figure(losses, 0.9861).axes[0]
    assert ax.get_yscale() == "log"
    assert "98.6%" in ax.get_title() and "grader" in ax.get_title()
    flat = pictures.loss_figure([np.nan] * 1000, 0.1).axes[0]  # nothing to take a log of
    assert flat.get_yscale() == "linear" and "10.0%" in flat.get_title()


def test_the_learner_pictures_show_the_loss_on_a_log_axis_and_the_accuracy(day_module,
                                                                           tmp_path):
    day7 = day_module(REFERENCE, 7)
    y_test = day7.load_data()[3]
    true, pred = y_test.argmax(axis=1), y_test.argmax(axis=1)
    pred[:9] = (pred[:9] + 1) % 10

    class Model:
        def forward(self, X):
            return np.eye(10)[pred]

    losses = list(2.3 * np.exp(-np.arange(1000) / 80) + 0.004)
    loss, mistakes, confusion = day7.save_pictures(Model(), losses, tmp_path)
    ax = loss.axes[0]
    assert ax.get_yscale() == "log"
    assert f"{np.mean(true == pred):.2%}" in ax.get_title()
    assert len([a for a in mistakes.axes if a.images]) == 9
    assert f"{np.mean(true == pred):.2%}" in confusion.axes[0].get_title()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(pictures.NAMES)


@pytest.mark.parametrize("whose", ["grader", "learner"])
def test_one_mistake_beside_full_diagonal_cells_is_coloured_and_counted(whose, day_module,
                                                                        tmp_path):
    if whose == "grader":
        true, pred = labels(1)
        fig = pictures.confusion_figure(true, pred)
    else:  # save_pictures of the Day 7 file, on its own test set, one digit read wrong
        day7 = day_module(REFERENCE, 7)
        true = day7.load_data()[3].argmax(axis=1)
        pred = true.copy()
        pred[0] = (pred[0] + 1) % 10

        class Model:
            def forward(self, X):
                return np.eye(10)[pred]
        fig = day7.save_pictures(Model(), [1.0, 0.5], tmp_path)[2]
    pixels, _ = drawn(fig)
    t, p = int(true[0]), int(pred[0])
    empty = next((r, c) for r in range(10) for c in range(10)
                 if r != c and not np.any((true == r) & (pred == c)))
    mistake, blank = cell_colour(fig, pixels, t, p), cell_colour(fig, pixels, *empty)
    assert np.max(np.abs(mistake - blank)) > 0.3, (mistake, blank)  # not washed out
    written = {(round(x.get_position()[1]), round(x.get_position()[0])): x.get_text()
               for x in fig.axes[0].texts}
    assert written[(t, p)] == "1" and written[(t, t)] == str(np.sum((true == t) & (pred == t)))


@pytest.mark.parametrize("count", [1, 3, 5, 12, 40])
def test_the_mistakes_grid_fills_its_canvas(count):
    true, pred = labels(count)
    fig = pictures.mistakes_figure(np.random.default_rng(0).random((len(true), 64)), true, pred)
    _, canvas = drawn(fig)
    width, height = canvas.get_width_height()
    boxes = [a.get_window_extent() for a in fig.axes if a.images]
    assert len(boxes) == min(count, 32)
    span_x = max(b.x1 for b in boxes) - min(b.x0 for b in boxes)
    span_y = max(b.y1 for b in boxes) - min(b.y0 for b in boxes)
    assert span_x > 0.85 * width and span_y > 0.6 * height, (span_x, span_y, width, height)


@pytest.mark.parametrize("folder", [EXERCISES, REFERENCE], ids=["stub", "reference"])
def test_day5_shows_the_sign_flips_of_the_divergent_learning_rate(folder, day_module,
                                                                   tmp_path):
    day5 = day_module(folder, 5)
    runs = {0.1: [0.8 ** k for k in range(11)], 100: [(-199.0) ** k for k in range(11)]}
    fig = day5.save_learning_rates(runs, tmp_path / "lr.png")
    calm, wild = fig.axes
    assert calm.get_yscale() == "linear" and wild.get_yscale() == "symlog"
    shown = np.concatenate([c.get_offsets()[:, 1] for c in wild.collections]
                           + [line.get_ydata() for line in wild.lines])
    assert np.any(shown < -1e3) and np.any(shown > 1e3)  # the sign is kept: both sides of 0
    assert "sign" in wild.get_title()
    assert png_size(tmp_path / "lr.png")[0] >= 500


def test_the_grader_pictures_go_to_their_own_folder_and_are_listed(tmp_path):
    true, pred = labels(60, n=60 * 5)
    learner = tmp_path / "day7_loss.png"
    learner.write_bytes(b"the learner's own picture")
    losses = 2.3 * np.exp(-np.arange(1000) / 150) + 0.05
    rng = np.random.default_rng(0)
    paths = pictures.day7(losses, rng.random((len(true), 64)), np.eye(10)[true], pred, tmp_path)
    assert paths == [tmp_path / "grader" / name for name in pictures.NAMES]
    assert learner.read_bytes() == b"the learner's own picture"
    assert sorted(tmp_path.glob("*.png")) == [learner]
    for path in paths:
        width, height = png_size(path)
        assert 500 <= width <= 2000 and 300 <= height <= 1500, (path.name, width, height)
    assert pictures.saved(7, tmp_path) == paths
    assert pictures.saved(5, tmp_path) == []
    (tmp_path / "day7.json").write_text("{}")
    result = {"day": 7, "submission": {"folder": "sub"}, "seed": 1, "tests": [], "score": 0,
              "max_score": 10, "status": "failed", "message": "", "duration_s": 5.0}
    shown = render.day(result, tmp_path / "day7.json")
    assert all(f"Picture: {p}" in shown for p in paths), shown
    assert f"Picture: {learner}" not in shown


def test_a_loss_that_is_not_numbers_skips_that_picture_only(tmp_path):
    true, pred = labels(5)
    paths = pictures.day7(["not", "numbers"], np.zeros((len(true), 64)), true, pred, tmp_path)
    assert [p.name for p in paths] == list(pictures.NAMES[1:])
    assert os.listdir(tmp_path) == ["grader"]
