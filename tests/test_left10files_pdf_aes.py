"""AES-encrypted PDFs that only restrict editing (an owner password, no user password) are
read (left10files, issue #12's "noticed and left alone"): pypdf opens them only with the
``cryptography`` package, which Lantu now installs; before, such a file — what Acrobat and WPS
write when "restrict editing" is ticked — was refused as encrypted. A PDF that needs a user
password is still refused by name.

Expected answers were written by hand first (/work/notes/left10files-expect.md); each test
failed on main unless its name ends in ``_held``."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from hostile import text_pdf
from lantu.ingest.textio import TextReadError, read_text

ROOT = Path(__file__).resolve().parents[1]


def _pdf(path: Path, *, user: str, algorithm: str) -> None:
    text_pdf(path, user=user, algorithm=algorithm)


def test_cryptography_is_a_declared_dependency():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    assert any(d.split(">")[0].split("=")[0].strip() == "cryptography" for d in deps)
    assert any(line.startswith("cryptography==")
               for line in (ROOT / "requirements.lock").read_text("utf-8").splitlines())


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])
def test_an_aes_pdf_that_only_restricts_editing_is_read(tmp_path, algorithm):
    path = tmp_path / "owner.pdf"
    try:
        _pdf(path, user="", algorithm=algorithm)
    except Exception as exc:  # noqa: BLE001 - without cryptography pypdf cannot even write one
        pytest.fail(f"pypdf cannot write AES without cryptography: {exc}")
    assert "5571.17" in read_text(path).text


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256", "RC4-128"])
def test_a_pdf_that_needs_a_user_password_is_refused_by_name_held(tmp_path, algorithm):
    path = tmp_path / "locked.pdf"
    _pdf(path, user="secret", algorithm=algorithm)  # cryptography is a dependency
    with pytest.raises(TextReadError, match="the PDF is encrypted"):
        read_text(path)
