"""Learner text as data. A submission controls much of what the kit shows and writes (an
exception's message, what it printed, a folder's name); `printable` writes every character that
could drive a terminal (ANSI and OSC escapes: a forged score, a clipboard write) or break UTF-8
(a lone surrogate) as an escape, `\\x1b` or `\\udc80`, so that it reads as text and never acts.
Every view, report, gradebook, page and Gradescope result of the kit goes through here."""
from graders import switches

SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}  # written as Python writes them


def printable(text, lines=False):
    """`text` with every non-printable character escaped; `lines` keeps newlines and tabs (for
    multi-line messages such as arrays). Idempotent: printable text comes back unchanged."""
    text = str(text)
    if text.isprintable() or switches.disabled("escaping"):
        return text
    keep = "\n\t" if lines else ""
    return "".join(c if c.isprintable() or c in keep else escape(c) for c in text)


def escape(c):
    """One character as Python writes it in a string literal: \\n, \\x1b, \\u202e, \\udc80."""
    n = ord(c)
    if c in SHORT:
        return SHORT[c]
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"


def clean(data):
    """JSON data with every string (keys included) made printable, newlines kept."""
    if isinstance(data, str):
        return printable(data, lines=True)
    if isinstance(data, dict):
        return {clean(k): clean(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [clean(v) for v in data]
    return data
