"""The set-up steps a fresh machine runs: finding Python 3.11 and installing Chromium.

The scripts run with a PATH of stand-in commands (``apt-get``, ``sudo``, ``id``,
``python3``…) that log how they were called, so each branch is checked without
touching the machine: root installs with apt-get, a user through sudo, and a machine
without apt-get (or without sudo) stops at once with the command to run.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT

NEED_CHROMIUM = ROOT / "tools" / "need-chromium.sh"
FIND_PYTHON = ROOT / "tools" / "find-python.sh"


def stub(bin_dir: Path, name: str, body: str) -> None:
    """A stand-in command that appends its name and arguments to ``calls.log``."""
    path = bin_dir / name
    log = bin_dir.parent / "calls.log"
    path.write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\n{body}\n')
    path.chmod(0o755)


def run(script: Path, tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    """Run ``script`` with only the stand-ins on PATH; return the result and the call log."""
    result = subprocess.run(["/bin/sh", str(script)], capture_output=True, text=True,
                            env={"PATH": str(tmp_path / "bin"), **env}, timeout=30)
    log = tmp_path / "calls.log"
    return result, log.read_text().splitlines() if log.exists() else []


@pytest.fixture
def machine(tmp_path):
    """A fake Debian machine: apt-get "installs" Chromium by creating the file."""
    (tmp_path / "bin").mkdir()
    chromium = tmp_path / "chromium"
    stub(tmp_path / "bin", "apt-get",
         f'case "$*" in *install*) echo "#!/bin/sh" > "{chromium}"; '
         f'/bin/chmod +x "{chromium}";; esac')
    stub(tmp_path / "bin", "sudo",   # sudo VAR=value… command: run the command
         'for a; do case "$a" in *=*) export "$a"; shift;; *) break;; esac; done; "$@"')
    stub(tmp_path / "bin", "id", "echo 0")
    return tmp_path, chromium


def test_present_chromium_installs_nothing(machine):
    tmp_path, chromium = machine
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)
    result, calls = run(NEED_CHROMIUM, tmp_path, CHROMIUM=str(chromium))
    assert result.returncode == 0
    assert calls == []


def test_root_installs_chromium_with_apt_get(machine):
    tmp_path, chromium = machine
    result, calls = run(NEED_CHROMIUM, tmp_path, CHROMIUM=str(chromium))
    assert result.returncode == 0, result.stderr
    installs = [c for c in calls if c.startswith(("apt-get", "sudo"))]
    assert installs == ["apt-get update -qq", "apt-get install -y -qq chromium"]
    assert chromium.exists()


def test_user_installs_chromium_through_sudo(machine):
    tmp_path, chromium = machine
    stub(tmp_path / "bin", "id", "echo 1000")
    result, calls = run(NEED_CHROMIUM, tmp_path, CHROMIUM=str(chromium))
    assert result.returncode == 0, result.stderr
    assert "sudo DEBIAN_FRONTEND=noninteractive apt-get update -qq" in calls
    assert "sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium" in calls
    assert "apt-get install -y -qq chromium" in calls   # and sudo ran it


def test_user_without_sudo_gets_the_command_to_run(machine):
    tmp_path, chromium = machine
    stub(tmp_path / "bin", "id", "echo 1000")
    (tmp_path / "bin" / "sudo").unlink()
    result, calls = run(NEED_CHROMIUM, tmp_path, CHROMIUM=str(chromium))
    assert result.returncode == 1
    assert 'su -c "apt-get update && apt-get install -y chromium"' in result.stderr
    assert not any(c.startswith("apt-get") for c in calls)


def test_machine_without_apt_get_stops_at_once_with_the_command(machine):
    tmp_path, chromium = machine
    (tmp_path / "bin" / "apt-get").unlink()
    result, calls = run(NEED_CHROMIUM, tmp_path, CHROMIUM=str(chromium))
    assert result.returncode == 1
    assert "make test CHROMIUM=/path/to/chromium" in result.stderr
    assert calls == []


def test_failed_install_fails(machine):
    tmp_path, chromium = machine
    stub(tmp_path / "bin", "apt-get", "exit 100")
    result, _ = run(NEED_CHROMIUM, tmp_path, CHROMIUM=str(chromium))
    assert result.returncode != 0


@pytest.mark.parametrize(
    ("available", "expected"),
    [({"python3.11": 0, "python3": 0}, "python3.11"),
     ({"python3": 0}, "python3"),
     ({"python3.11": 1, "python3": 0}, "python3"),   # a python3.11 that is not 3.11
     ({"python3": 1}, None),                          # python3 is another version
     ({}, None)],
    ids=["python3.11", "python3-is-3.11", "bad-python3.11", "python3-not-3.11", "none"])
def test_find_python_picks_a_3_11_or_says_what_to_install(tmp_path, available, expected):
    (tmp_path / "bin").mkdir()
    for name, status in available.items():
        stub(tmp_path / "bin", name, f"exit {status}")   # status of the version check
    result, _ = run(FIND_PYTHON, tmp_path)
    if expected is None:
        assert result.returncode == 1
        assert "apt-get install python3.11 python3.11-venv" in result.stderr
    else:
        assert result.returncode == 0
        assert result.stdout.strip() == str(tmp_path / "bin" / expected)


def test_ci_only_runs_the_readme_test_command():
    commands = [line for line in (ROOT / ".ci" / "run").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    assert commands[-1] == "make test"
    assert not any("apt-get" in line or "chromium" in line for line in commands)
