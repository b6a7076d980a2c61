"""The linter's configuration (ruff.toml) holds for the tree; ruff comes with requirements-dev.txt."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from cockpit.settings import PROJECT_DIR


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed")
def test_ruff_finds_nothing():
    done = subprocess.run(["ruff", "check", "--no-cache", "."], cwd=PROJECT_DIR, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
