"""A class's submissions as they arrive: one folder or .zip per learner. Zips are checked
before anything is unpacked; a hostile or broken one, or a link, is refused with the reason."""
import os
import re
import sys
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from graders import escaping, limits, names


class Refused(Exception):
    """A learner's entry that cannot be graded at all (a hostile or broken zip, a clash)."""


def find_learners(root, out):
    """{learner id: [its entries]} for the folders, .zip files and links of `root`, in name
    order."""
    found = {}
    for entry in sorted(root.iterdir()):
        if entry.name.startswith(".") or entry.resolve() == out:
            continue
        zipped = entry.suffix.lower() == ".zip"
        if entry.is_dir() and not entry.is_symlink():
            found.setdefault(entry.name, []).append(entry)
        elif zipped or entry.is_symlink():  # folder_of refuses a link, naming it
            found.setdefault(entry.stem if zipped else entry.name, []).append(entry)
        else:
            print(f"graders: ignored {escaping.printable(entry.name)}: not a folder or a .zip",
                  file=sys.stderr)
    return found


def unpack(archive, dest):
    """Check a learner's zip and unpack its day files into `dest`, under their own names (a
    `Day1.py` stays Day1.py: `names.resolve` decides later, as for a folder, and a name that is
    only like a day file's is kept for the message); Refused says what is wrong."""
    try:
        with zipfile.ZipFile(archive) as z:
            infos = z.infolist()
            check_zip(archive.name, infos)
            root = day_root(archive.name, infos)
            dest.mkdir(parents=True)
            for info in infos:
                path = PurePosixPath(info.filename.replace("\\", "/"))
                if path.parent == root and names.day_of(path.name) and not info.is_dir():
                    (dest / path.name).write_bytes(z.read(info))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError,
            OSError, EOFError, ValueError) as exc:
        raise Refused(f"{archive.name} is not a zip file that can be read ({exc})") from None


def check_zip(name, infos):
    """Refused for paths outside the folder, links, and an absurd unpacked size."""
    if len(infos) > limits.ZIP_ENTRIES:
        raise Refused(f"{name} holds {len(infos)} files; at most {limits.ZIP_ENTRIES} are "
                      "accepted")
    for info in infos:
        path = info.filename.replace("\\", "/")
        if path.startswith("/") or re.match(r"[A-Za-z]:", path) or ".." in path.split("/"):
            raise Refused(f"{name} holds a path outside its folder: {path[:100]!r}")
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise Refused(f"{name} holds a link, which is not accepted: {path[:100]!r}")
        if info.file_size > (1 << 20) and info.file_size > limits.ZIP_RATIO * info.compress_size:
            raise Refused(f"{name} looks like a zip bomb: {path[:100]!r} unpacks "
                          f"{info.file_size // max(info.compress_size, 1)} times larger")
    total = sum(info.file_size for info in infos)
    if total > limits.ZIP_UNPACKED_BYTES:
        raise Refused(f"{name} unpacks to {total >> 20} MB; at most "
                      f"{limits.ZIP_UNPACKED_BYTES >> 20} MB are accepted")


def day_root(name, infos):
    """The folder of the zip holding the day files: its top, or the one folder holding them
    (where there is none, the one folder of files named like them, `dayone.py`, if any)."""
    paths = [PurePosixPath(i.filename.replace("\\", "/")) for i in infos if not i.is_dir()]
    kinds = {p: (names.day_of(p.name) or (0, None))[1] for p in paths}
    near = {p.parent for p in paths if kinds[p] == "near"}
    folders = {p.parent for p in paths if kinds[p] in names.RANKS} or \
        (near if len(near) == 1 else set())
    top = PurePosixPath(".")
    if top in folders or not folders:
        return top
    if len(folders) > 1:
        raise Refused(f"{name} holds day files in more than one folder: "
                      + ", ".join(sorted(f"{f}/" for f in folders))[:200])
    return folders.pop()


def folder_of(name, entries, work, taken=()):
    """The folder to grade: the learner's own, or its zip unpacked into a new folder of
    `work`. Names in `taken` (the class outputs) are refused."""
    if name in taken:
        raise Refused(f"the name {name!r} is taken by the class outputs: rename it")
    if len(entries) > 1:
        raise Refused(f"{' and '.join(e.name for e in entries)} are both named "
                      f"{name!r}: keep one")
    entry = entries[0]
    if entry.is_symlink():
        raise Refused(f"{entry.name} is a link (to {os.readlink(entry)[:200]}): links are not "
                      "graded; put the learner's folder or zip itself here")
    if entry.is_dir():
        return entry.resolve()
    dest = Path(tempfile.mkdtemp(dir=work)) / "submission"
    unpack(entry, dest)
    return dest
