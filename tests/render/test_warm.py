"""The warm child: the Word libraries imported while the workbook is read (issue 17).

`eqplan build` forks it as the process starts (launch.py); the plan's job is sent to it
pickled (word_job.py, isolation.Warm). The documents must be the very ones a forked
child makes. (That the command's own process never loads the Word libraries is checked
with the other imports, in tests/test_startup.py.)
"""

from __future__ import annotations

import functools
import os
import re
import signal
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

import pytest

from pipeline.build import build
from pipeline.errors import TemplateError
from pipeline.render import isolation, word_job
from pipeline.render.isolation import RenderTimeout, Warm, run_isolated
from tests.bad_inputs.crafted_docx import crafted_template
from tests.conftest import EXAMPLE

ROOT = Path(__file__).resolve().parents[2]
needs_fork = pytest.mark.skipif(not isolation.can_isolate(), reason="needs fork")


def _parts(path: Path) -> dict[str, bytes]:
    """A package's parts, the moments in its properties blanked (when it was made)."""
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["docProps/core.xml"] = re.sub(
        rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\1", parts["docProps/core.xml"]
    )
    return parts


def _in_child_with(rendered):
    return os.getpid(), "tabnanny" in sys.modules  # a module nothing else loads


def _sleeps(rendered):
    time.sleep(30)


# ----------------------------------------------------------------------------- Warm itself


@needs_fork
def test_work_handed_to_a_warm_child_runs_there_with_its_modules_loaded():
    assert "tabnanny" not in sys.modules
    warm = Warm(("tabnanny",))
    child = warm._child.pid
    pid, loaded = run_isolated(_in_child_with, 10, warm=warm)
    assert pid == child and loaded


@needs_fork
def test_work_that_cannot_be_pickled_is_forked_and_the_warm_child_stopped():
    warm = Warm(("tabnanny",))
    child = warm._child
    pid, loaded = run_isolated(lambda rendered: _in_child_with(rendered), 10, warm=warm)
    assert pid not in (os.getpid(), child.pid) and not loaded  # a fork of this process
    assert not child.is_alive()


@needs_fork
def test_a_failed_import_in_the_warm_child_is_left_for_the_work():
    warm = Warm(("no_such_module_anywhere", "tabnanny"))
    child = warm._child.pid
    assert run_isolated(_in_child_with, 10, warm=warm) == (child, True)


def test_a_refused_fork_means_no_warm_child(monkeypatch):
    def refused(work):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(isolation, "_fork", refused)
    monkeypatch.setattr(word_job, "WORD_MODULES", ("tabnanny",))
    with word_job.warm_word_child() as warm:
        assert warm is None


@needs_fork
def test_a_warm_child_that_has_died_is_replaced_by_a_fork():
    warm = Warm(("json",))
    os.kill(warm._child.pid, 9)
    warm._child.join()
    pid, _ = run_isolated(_in_child_with, 10, warm=warm)
    assert pid != os.getpid()


def _killed_unless_in(parent: int, rendered) -> None:
    """Die as the system's out-of-memory killer ends a process; never the test's own."""
    if os.getpid() == parent:
        raise AssertionError("the work ran in the test's own process, not in a child")
    os.kill(os.getpid(), signal.SIGKILL)


@needs_fork
def test_a_warm_child_killed_while_it_works_is_reported_not_waited_for(handed, monkeypatch):
    """The child took the work and then died: the build stops with the plain message
    a forked child's death gives, soon, and no second child is started."""
    warm = Warm(("json",))
    child = warm._child
    forks = []
    fork = isolation._fork
    monkeypatch.setattr(isolation, "_fork", lambda work: forks.append(work) or fork(work))
    started = time.monotonic()
    with pytest.raises(TemplateError, match="stopped by the system, usually for lack of memory"):
        work = functools.partial(_killed_unless_in, os.getpid())
        word_job.in_child(work, "action-plan-rag.docx", 60, warm)
    assert time.monotonic() - started < 10
    assert handed == [True] and not child.is_alive()
    assert forks == []


@needs_fork
def test_work_in_a_warm_child_is_stopped_when_its_time_is_up():
    warm = Warm(("json",))
    child = warm._child
    started = time.monotonic()
    with pytest.raises(RenderTimeout):
        run_isolated(_sleeps, 0.5, warm=warm)
    assert time.monotonic() - started < 10
    assert not child.is_alive()


@needs_fork
def test_a_warm_child_given_no_work_is_stopped_at_the_end_of_its_block(monkeypatch):
    monkeypatch.setattr(word_job, "WORD_MODULES", ("tabnanny",))  # a module nothing loads
    with word_job.warm_word_child() as warm:
        child = warm._child
        assert child.is_alive()
    assert not child.is_alive()
    warm.cancel()  # twice is harmless


def test_no_warm_child_is_started_where_the_word_libraries_are_loaded(monkeypatch):
    """A server or a second build in one process: a fork of it has them already."""
    monkeypatch.setattr(word_job, "WORD_MODULES", ("json",))
    with word_job.warm_word_child() as warm:
        assert warm is None


# ----------------------------------------------------------------------------- the plan


@needs_fork
@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_plan_made_in_a_warm_child_is_the_plan_a_fork_makes(tmp_path, language, handed):
    warm = Warm(word_job.WORD_MODULES)  # forked first, as the command line does
    child = warm._child
    forked = build(EXAMPLE, tmp_path / "forked", language=language)
    sent = build(EXAMPLE, tmp_path / "warm", language=language, warm=warm)
    assert handed == [True]  # the job went to it...
    assert warm._child is None and not child.is_alive()  # ...and it ended
    assert sent.actions == forked.actions == 62
    assert _parts(sent.docx) == _parts(forked.docx)


@needs_fork
def test_a_plan_larger_than_warm_actions_is_forked_and_the_warm_child_stopped(
    tmp_path, monkeypatch, handed
):
    monkeypatch.setattr(word_job, "WARM_ACTIONS", 61)  # the example has 62
    warm = Warm(word_job.WORD_MODULES)
    child = warm._child
    result = build(EXAMPLE, tmp_path / "out", warm=warm)
    assert result.actions == 62
    assert handed == []
    assert warm._child is None and not child.is_alive()


@needs_fork
def test_a_template_that_fails_in_a_warm_child_is_reported_as_in_a_fork(tmp_path, handed):
    template = crafted_template(tmp_path / "t.docx", "{{ plan.titel }}")
    messages = []
    for warm in (None, Warm(word_job.WORD_MODULES)):  # forked, then sent to a warm child
        with pytest.raises(TemplateError) as raised:
            build(EXAMPLE, tmp_path / "out", template=template, warm=warm)
        messages.append(str(raised.value))
    assert handed == [True]
    assert messages[0] == messages[1]
    assert "plan.titel" in messages[0]


def test_scripts_find_render_word_where_the_readme_says():
    from pipeline.render import word

    assert word.render_word is word_job.render_word


_SPY = """
import sys
from pipeline.cli import cli
from pipeline.render.isolation import Warm

taken = []
hand = Warm.hand


def spy(self, work):
    child = self._child
    started = hand(self, work)
    taken.append(started is not None and started[0] is child)
    return started


Warm.hand = spy
try:
    cli(sys.argv[1:])
except SystemExit as end:
    assert not end.code, end.code
print(taken)
"""


@needs_fork
@pytest.mark.parametrize(
    ("options", "taken"),
    [([], [True]), (["--language", "both"], [True, False])],
)
@pytest.mark.parametrize("call", ["cli(sys.argv[1:])", "main()"])
def test_the_build_command_hands_its_plan_to_the_warm_child(tmp_path, options, taken, call):
    """The command line starts the warm child and the first plan goes to it; a second
    language's is forked (the child takes one job). Called as a script would call it (the
    click command, or cli.main), not through launch.py, its command group forks the child."""
    script = _SPY.replace("cli(sys.argv[1:])", call).replace("import cli", "import cli, main")
    printed = _last_line_of(script, "build", str(EXAMPLE), "-o", str(tmp_path), *options)
    assert printed == str(taken)


def _python(*arguments: str) -> str:
    """What a fresh interpreter run in the project with arguments printed; it must end well."""
    done = subprocess.run(
        [sys.executable, *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _last_line_of(script: str, *arguments: str) -> str:
    """What script, run in a fresh interpreter with arguments, printed last; it must end well."""
    return _python("-c", script, *arguments).strip().splitlines()[-1]


_LAUNCH_SPY = """
import runpy
import sys
from pipeline.render.isolation import Warm

forked, taken = [], []
start, hand = Warm.__init__, Warm.hand


def counted(self, modules):
    forked.append("click" in sys.modules)
    start(self, modules)


def spy(self, work):
    child = self._child
    started = hand(self, work)
    taken.append(started is not None and started[0] is child)
    return started


Warm.__init__, Warm.hand = counted, spy
sys.argv = ["eqplan", *sys.argv[1:]]
try:
    runpy.run_module("pipeline", run_name="__main__")
except SystemExit as end:
    assert not end.code, end.code
print(forked, taken)
"""


@needs_fork
@pytest.mark.parametrize(
    ("command", "forked", "taken"),
    [("build", [False], [True]), ("validate", [], [])],
)
def test_eqplan_forks_a_builds_warm_child_before_it_imports_click(tmp_path, command, forked, taken):
    """`eqplan` and `python -m pipeline` (launch.py) fork the build's warm child as the
    process starts, before click is imported, and the group uses that one (no second
    fork); any other command forks none."""
    output = ["-o", str(tmp_path)] if command == "build" else []
    printed = _last_line_of(_LAUNCH_SPY, command, str(EXAMPLE), *output)
    assert printed == f"{forked} {taken}"


@needs_fork
def test_asking_for_the_build_commands_help_forks_no_warm_child():
    assert _last_line_of(_LAUNCH_SPY, "build", "--help") == "[] []"


def test_the_eqplan_command_starts_in_launch():
    """The installed `eqplan` runs launch.main, as `python -m pipeline` does, so it forks the
    build's warm child first too."""
    with (ROOT / "pyproject.toml").open("rb") as project:
        assert tomllib.load(project)["project"]["scripts"]["eqplan"] == "pipeline.launch:main"
    assert "from pipeline.launch import main" in (ROOT / "pipeline" / "__main__.py").read_text()


def test_python_m_pipeline_launch_runs_the_command_line_too():
    assert _python("-m", "pipeline.launch", "--help").startswith("Usage: eqplan ")


_INTERRUPTED = """
import sys
from pipeline import launch
from pipeline.render import word_job


def interrupted():
    raise KeyboardInterrupt


word_job.warm_word_child = interrupted  # Ctrl+C before click is loaded
sys.argv = ["eqplan", "build"]
launch.main()
"""


def test_ctrl_c_before_click_is_loaded_aborts_as_click_does():
    done = subprocess.run(
        [sys.executable, "-c", _INTERRUPTED],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "Aborted!"
    assert "Traceback" not in done.stderr
