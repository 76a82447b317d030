"""Output files that appear whole or not at all, and never replace a file unasked.

Each file is written under a temporary name in its target's folder; only when every file
of an export is complete are they moved into place. Without `force` a file is moved with
a hard link, which fails if the target exists, so a file that appeared while the export
ran is not overwritten either.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from quizdl.errors import BadInput


def check_target(path: Path, *, force: bool) -> None:
    """Refuse (BadInput) a target that cannot be written as asked."""
    if path.is_dir():
        raise BadInput(f"{path}: is a folder; give a file name for the export")
    if not path.parent.is_dir():
        raise BadInput(f"{path}: the folder {path.parent} does not exist")
    if path.exists() and not force:
        raise BadInput(f"{path}: the file exists; pass --force to overwrite it")


class AtomicOutputs:
    """Temporary files for `targets`, moved into place together by `commit`."""

    def __init__(self, targets: Sequence[Path], *, force: bool) -> None:
        self.targets = [Path(t) for t in targets]
        self.force = force
        for target in self.targets:
            check_target(target, force=force)
        self._temps: dict[Path, Path] = {}
        self._files: dict[Path, BinaryIO] = {}

    def open(self, target: Path) -> BinaryIO:
        """A new temporary file beside `target`, for writing bytes."""
        target = Path(target)
        if target not in self.targets:
            raise ValueError(f"{target} is not one of this export's files")
        while True:
            temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
            try:
                # 0o666 before the umask: the permissions an ordinary new file gets.
                fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                continue
            break
        self._temps[target] = temp
        handle = os.fdopen(fd, "wb", buffering=1 << 20)
        self._files[target] = handle
        return handle

    def temp_path(self, target: Path) -> Path:
        """A temporary path for a writer that creates its file itself (by name)."""
        target = Path(target)
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        self._temps[target] = temp
        return temp

    def commit(self) -> None:
        for handle in self._files.values():
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
        for target in self.targets:
            if target not in self._temps:
                raise RuntimeError(f"{target} was never written")
            if target.exists() and not self.force:
                raise BadInput(f"{target}: a file appeared there meanwhile; it was left as it is")
        for target in self.targets:
            self._place(self._temps[target], target)
        for folder in {t.parent for t in self.targets}:
            _sync_folder(folder)
        self._temps.clear()

    def _place(self, temp: Path, target: Path) -> None:
        if self.force:
            os.replace(temp, target)
            return
        try:
            os.link(temp, target)
        except FileExistsError:
            raise BadInput(
                f"{target}: a file appeared there meanwhile; it was left as it is"
            ) from None
        except OSError:  # a file system without hard links
            if target.exists():
                raise BadInput(
                    f"{target}: a file appeared there meanwhile; it was left as it is"
                ) from None
            os.replace(temp, target)
            return
        os.unlink(temp)

    def discard(self) -> None:
        for handle in self._files.values():
            with contextlib.suppress(OSError):
                handle.close()
        for temp in self._temps.values():
            with contextlib.suppress(OSError):
                temp.unlink()
        self._temps.clear()


@contextlib.contextmanager
def atomic_outputs(targets: Sequence[Path], *, force: bool) -> Iterator[AtomicOutputs]:
    """Write through the yielded AtomicOutputs; on success all files appear, on any error none."""
    outputs = AtomicOutputs(targets, force=force)
    try:
        yield outputs
        outputs.commit()
    finally:
        outputs.discard()  # after a commit there is nothing left to remove


def _sync_folder(folder: Path) -> None:
    """Make the renames durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
