"""The worker's scikit-learn: `sklearn.datasets.load_digits` and
`sklearn.model_selection.train_test_split`, the two data functions a submission may use, in
NumPy alone. The real package is never readable in the worker, so nothing of scikit-learn or
SciPy can be reached from learner code, import statement or not (sys.modules, __globals__, the
garbage collector). Both give exactly what scikit-learn gives (tests/test_sandbox.py compares
them); other names of the two modules raise ImportError, naming the two that exist.

The worker gets this module as `graders/standin.py`, a package `sklearn` whose `datasets` and
`model_selection` import from it (`PACKAGE`), and scikit-learn's own digits files beside it.
"""
import functools
import gzip
import math
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = ("digits.csv.gz", "digits.rst")  # copied from sklearn/datasets/{data,descr}/
PACKAGE = {  # the package `sklearn` in the worker: file -> source
    "__init__.py": '"""The grader\'s stand-in for scikit-learn: load_digits and '
                   'train_test_split only."""\n',
    "datasets.py": "from graders.standin import Bunch, load_digits\n"
                   "from graders.standin import missing as __getattr__\n",
    "model_selection.py": "from graders.standin import train_test_split\n"
                          "from graders.standin import missing as __getattr__\n",
}


def missing(name):
    """`from sklearn.datasets import load_iris` and the like: a clear ImportError."""
    if name.startswith("__"):
        raise AttributeError(name)
    raise ImportError(f"sklearn.datasets.load_digits and sklearn.model_selection."
                      f"train_test_split are the only scikit-learn functions a submission may "
                      f"use, not {name}", name=name)


class Bunch(dict):
    """A dict whose keys are attributes too, as scikit-learn's."""

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __setattr__(self, key, value):
        self[key] = value

    def __dir__(self):
        return list(self.keys())


def load_digits(*, n_class=10, return_X_y=False, as_frame=False):
    """The 1797 8x8 digits: Bunch(data (1797, 64), target, images (1797, 8, 8), ...)."""
    if as_frame:
        raise ImportError("load_digits(as_frame=True) needs pandas, which grading does not "
                          "provide: use the default as_frame=False")
    data = table(HERE / DATA[0]).copy()  # the learner's own copy, every call
    target = data[:, -1].astype(int, copy=False)
    flat = data[:, :-1]
    images = flat.reshape(-1, 8, 8)
    if n_class < 10:
        keep = target < n_class
        flat, target, images = flat[keep], target[keep], images[keep]
    if return_X_y:
        return flat, target
    descr = HERE / DATA[1]
    return Bunch(data=flat, target=target, frame=None,
                 feature_names=[f"pixel_{r}_{c}" for r in range(8) for c in range(8)],
                 target_names=np.arange(10), images=images,
                 DESCR=descr.read_text(encoding="utf-8") if descr.is_file() else "")


@functools.cache
def table(path):
    """The digits file, parsed once per worker (20 ms; a Day 7 grading loads the digits about
    ten times)."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return np.loadtxt(f, delimiter=",")


def train_test_split(*arrays, test_size=None, train_size=None, random_state=None,
                     shuffle=True, stratify=None):
    """[a_train, a_test for each array], split as scikit-learn splits (same seed, same rows)."""
    if not arrays:
        raise ValueError("At least one array required as input")
    lengths = {len(a) for a in arrays}
    if len(lengths) > 1:
        raise ValueError(f"Found input variables with inconsistent numbers of samples: "
                         f"{[len(a) for a in arrays]}")
    n = lengths.pop()
    n_train, n_test = split_sizes(n, test_size, train_size)
    if shuffle is False:
        if stratify is not None:
            raise ValueError("Stratified train/test split is not implemented for "
                             "shuffle=False")
        train, test = np.arange(n_train), np.arange(n_train, n_train + n_test)
    else:
        rng = random_state_of(random_state)
        if stratify is None:
            order = rng.permutation(n)
            train, test = order[n_test:n_test + n_train], order[:n_test]
        else:
            train, test = stratified(np.asarray(stratify), n_train, n_test, rng)
    return [part for a in arrays for part in (take(a, train), take(a, test))]


def random_state_of(seed):
    """scikit-learn's check_random_state: None -> np.random's global state."""
    if seed is None or seed is np.random:
        return np.random.mtrand._rand
    if isinstance(seed, (int, np.integer)):
        return np.random.RandomState(seed)
    if isinstance(seed, np.random.RandomState):
        return seed
    raise ValueError(f"{seed!r} cannot be used to seed a numpy.random.RandomState instance")


def split_sizes(n, test_size, train_size):
    """(n_train, n_test) from the sizes given (fractions or counts), or ValueError."""
    if test_size is None and train_size is None:
        test_size = 0.25
    kinds = [np.asarray(s).dtype.kind for s in (test_size, train_size)]
    for name, size, kind in (("test_size", test_size, kinds[0]),
                             ("train_size", train_size, kinds[1])):
        if (kind == "i" and not 0 < size < n) or (kind == "f" and not 0 < size < 1):
            raise ValueError(f"{name}={size} should be either positive and smaller than the "
                             f"number of samples {n} or a float in the (0, 1) range")
        if size is not None and kind not in "if":
            raise ValueError(f"Invalid value for {name}: {size}")
    if kinds == ["f", "f"] and train_size + test_size > 1:
        raise ValueError(f"The sum of test_size and train_size = {train_size + test_size}, "
                         "should be in the (0, 1) range. Reduce test_size and/or train_size.")
    n_test = math.ceil(test_size * n) if kinds[0] == "f" else test_size
    n_train = math.floor(train_size * n) if kinds[1] == "f" else train_size
    n_train = n - n_test if train_size is None else n_train
    n_test = n - n_train if test_size is None else n_test
    if n_train + n_test > n:
        raise ValueError(f"The sum of train_size and test_size = {int(n_train + n_test)}, "
                         f"should be smaller than the number of samples {n}. Reduce "
                         "test_size and/or train_size.")
    if int(n_train) == 0:
        raise ValueError(f"With n_samples={n}, test_size={test_size} and train_size="
                         f"{train_size}, the resulting train set will be empty.")
    return int(n_train), int(n_test)


def stratified(y, n_train, n_test, rng):
    """scikit-learn's StratifiedShuffleSplit, first split: each class in proportion."""
    if y.ndim == 2:
        y = np.array([" ".join(row.astype("str")) for row in y])
    classes, y_indices, counts = np.unique(y, return_inverse=True, return_counts=True)
    if counts.min() < 2:
        raise ValueError(f"The least populated classes in y have only 1 member, which is too "
                         f"few. The minimum number of groups for any class cannot be less than "
                         f"2. Classes with too few members are: {classes[counts < 2].tolist()}")
    for name, size in (("train_size", n_train), ("test_size", n_test)):
        if size < len(classes):
            raise ValueError(f"The {name} = {size} should be greater or equal to the number "
                             f"of classes = {len(classes)}")
    members = np.split(np.argsort(y_indices, kind="stable"), np.cumsum(counts)[:-1])
    n_i = approximate_mode(counts, n_train, rng)
    t_i = approximate_mode(counts - n_i, n_test, rng)
    train, test = [], []
    for i in range(len(classes)):
        rows = members[i].take(rng.permutation(counts[i]), mode="clip")
        train.extend(rows[:n_i[i]])
        test.extend(rows[n_i[i]:n_i[i] + t_i[i]])
    return rng.permutation(train), rng.permutation(test)


def approximate_mode(counts, draws, rng):
    """scikit-learn's _approximate_mode: `draws` shared out in proportion to `counts`, the
    largest remainders first, ties broken at random."""
    continuous = counts / counts.sum() * draws
    floored = np.floor(continuous)
    need = int(draws - floored.sum())
    if need > 0:
        remainder = continuous - floored
        for value in np.sort(np.unique(remainder))[::-1]:
            (inds,) = np.where(remainder == value)
            add = min(len(inds), need)
            floored[rng.choice(inds, size=add, replace=False)] += 1
            need -= add
            if need == 0:
                break
    return floored.astype(int)


def take(a, rows):
    """Rows of an array (by index) or of a list (a list)."""
    if hasattr(a, "shape"):
        return a[rows]
    return [a[i] for i in rows]
