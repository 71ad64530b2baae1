"""The import rule (SPEC section 4): NumPy and the standard library, sklearn for data only."""
import ast
import sys

ALLOWED = {"numpy", "matplotlib"} | {f"day{n}" for n in range(1, 8)}
ALLOWED_SKLEARN = {"sklearn.datasets", "sklearn.model_selection"}
DYNAMIC = {"__import__", "import_module"}
RULE = ("only NumPy and the standard library are allowed (plus sklearn.datasets and "
        "sklearn.model_selection for data, matplotlib for plots)")
# What allowed modules need at run time: the worker may read only these installed packages.
# scikit-learn is not among them: in the worker, `sklearn.datasets` and
# `sklearn.model_selection` are the kit's stand-in (standin.py), which needs NumPy only.
RUNTIME = {"numpy", "matplotlib", "mpl_toolkits", "PIL", "pillow", "kiwisolver", "pyparsing",
           "cycler", "fontTools", "dateutil", "six", "packaging", "contourpy"}


def allowed(module):
    """True when `module` (dotted) may be imported by a submission."""
    top = module.split(".")[0]
    if top == "sklearn":
        return any(module == m or module.startswith(m + ".") for m in ALLOWED_SKLEARN)
    return top in ALLOWED or top in sys.stdlib_module_names


def imported(module, names):
    """The modules `from module import names` imports, as the rule judges them: for sklearn,
    its submodules (`from sklearn import datasets` is sklearn.datasets)."""
    return [f"sklearn.{n}" for n in names] if module == "sklearn" and names else [module]


def installed(entry):
    """True when the site-packages entry (a name like numpy, numpy.libs, six.py) may be read."""
    return entry.endswith(".dist-info") or entry.split(".")[0] in RUNTIME


def runtime_metadata(entry):
    """True for the .dist-info folder of a RUNTIME package (named by its distribution:
    pillow for PIL, python_dateutil for dateutil)."""
    name = entry.split("-")[0].lower().replace(".", "_")
    return entry.endswith(".dist-info") and name in {
        n.lower() for n in RUNTIME} | {"python_dateutil"}


def violations(tree):
    """[(line, module)] for every forbidden import in a parsed file, static or dynamic."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if not allowed(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [(node.lineno, m) for m in imported(node.module, [a.name for a in node.names])
                      if not allowed(m)]
        elif isinstance(node, ast.Call) and _name(node.func) in DYNAMIC:
            arg = node.args[0] if node.args else None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                if not allowed(arg.value):
                    found.append((node.lineno, arg.value))
            else:
                found.append((node.lineno, f"{_name(node.func)}(<computed name>)"))
    return sorted(found)


def _name(func):
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
