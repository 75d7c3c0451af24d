"""Run a template's render in a child process that is killed when its time is up.

The sandbox (sandbox.py) checks a deadline as loops turn and output grows,
but a single filter call working through a huge list in C
(`map(attribute=...)`, `sum`, `groupby`, `sort`) never returns to those
checks. So on systems that can fork (Linux, macOS) the whole Word document
is made in a forked child: the parent waits for the child to say the
template is filled in, and kills it the moment the time budget
(--template-timeout) is spent, whatever it is doing. The memory cap is set
in the child only, so the parent's own limits never change. The child then
finishes the document (our own code: properties, pagination, cleaning) and
hands back its bytes; that stage has its own, generous, limit.

Where fork is not available (Windows), or the process runs other threads
(the web server, `eqplan serve`: a fork copies only the calling thread, so a
lock held by another thread would stay locked in the child forever), the
work runs in this process and only the sandbox's own checks stop it. The web
page renders only the shipped templates, never one a user uploads.

Word documents are made one at a time (one_at_a_time: render_word, render_cover and
the changes document hold it from loading the template to the last byte).
lxml keeps the names of a parser's documents in a table of that parser's
own (lxml 6), and python-docx parses every part with one parser for the whole
process: a thread adding a name to that table while another thread's parse
reads it can hand the parse a wrong name. Under the web server's four
concurrent uploads this once failed a build with "Namespace prefix gs for
val ... is not defined" in a part whose bytes were sound. eqplan's own
parsers are one per thread (safe_parser). Python runs one thread's code at a
time anyway, so waiting costs the web server little.

The same fork lets `eqplan build` write the summary workbook (and the CSV
and web page) in a second child while the Word plan renders: two cores do
the two jobs at once (in_background). The chart is drawn likewise while the
plan is made, and taken by the plan's own child as it saves it (Pending, chart_slot.py).

A child can also be forked before the work is known (Warm): `eqplan build` starts one
as the command starts, to import the Word libraries on the core left idle while the
workbook is read, and sends it the Word plan's job, pickled, once the plan is read
(word_job.py). It is waited for, timed and stopped as a forked child is.

Every child ends when the process that forked it does, however that ends (even
`kill -9`, which gives it no chance to stop its children): a render left
running would keep a core busy until its own time was up, an hour if asked.
On Linux the kernel kills the child when its parent dies (prctl's
PR_SET_PDEATHSIG, which follows the thread that forked: eqplan forks only
from a process with one thread); elsewhere (macOS) a thread in the child
checks once a second whether its parent is still there, and ends it at the
child's next turn of Python code (_end_with_parent). Programs eqplan starts
(LibreOffice, render/pdf.py) are given the same death signal by
signalled_with_this_process.
"""

from __future__ import annotations

import functools
import gc
import importlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from multiprocessing.reduction import ForkingPickler
from typing import Any, Generic, TypeVar

from lxml import etree

T = TypeVar("T")

#: Held while a Word document is made in this process (threads: see the module's note).
_WORD_IN_PROCESS = threading.RLock()
_parsers = threading.local()

#: Seconds the child may spend finishing the document after the template is filled in.
FINISH_SECONDS = 600.0
_RENDERED, _DONE, _FAILED = "rendered", "done", "failed"
#: prctl's option for the signal a process gets when its parent dies (linux/prctl.h).
_PR_SET_PDEATHSIG = 1
#: Where the kernel cannot end a child with its parent: how often the child looks.
PARENT_CHECK_SECONDS = 1.0
#: The exit status of a child that ended because its parent had.
ORPHANED = 70


class RenderTimeout(Exception):
    """The template was still being filled in when its time was up (the child was killed)."""


class FinishTimeout(Exception):
    """The filled-in document took longer than FINISH_SECONDS to finish (the child was killed)."""


class ChildDied(Exception):
    """The child stopped without an answer (killed by the system, usually for memory)."""


def can_isolate() -> bool:
    """True where a render can run in a forked child: fork exists and no other thread runs."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def run_isolated(
    work: Callable[[Callable[[], None]], T],
    timeout: float,
    *,
    finish: float = FINISH_SECONDS,
    warm: Warm | None = None,
) -> T:
    """work(rendered) in a forked child; its result, or its exception raised here.

    work must call rendered() once the template is filled in: until then the
    child is killed after timeout seconds (RenderTimeout); after it, after
    finish seconds (FinishTimeout). Without fork, work runs here. With warm, work
    (pickled) goes to that child if it is still waiting, instead of a new one.
    """
    if not can_isolate():
        if warm is not None:
            warm.cancel()
        return work(lambda: None)
    handed = warm.hand(work) if warm is not None else None
    child, receiver = handed or _fork(work)
    try:
        message = _receive(receiver, timeout, RenderTimeout)
        if message[0] == _RENDERED:
            message = _receive(receiver, finish, FinishTimeout)
        if message[0] == _FAILED:
            raise message[1]
        return message[1]
    finally:
        _stop(child, receiver)


def one_at_a_time() -> threading.RLock:
    """The lock that lets one thread at a time make a Word document with python-docx."""
    return _WORD_IN_PROCESS


def safe_parser() -> etree.XMLParser:
    """This thread's strict parser for rendered and template parts: entities never expanded,
    nothing fetched, large documents allowed. One per thread, never shared (module note)."""
    parser = getattr(_parsers, "strict", None)
    if parser is None:
        parser = _parsers.strict = etree.XMLParser(
            resolve_entities=False, no_network=True, huge_tree=True
        )
    return parser


class Pending(Generic[T]):
    """work() running in a forked child (in_background): result() waits for it.

    result() may also be called once in a child forked later (the Word plan's takes the
    chart): only the process that started work's child stops and reaps it (cancel).
    """

    def __init__(self, work: Callable[[], T]) -> None:
        self._work = work
        self._child: Any = None
        self._owner = os.getpid()
        if can_isolate():
            self._child, self._receiver = _fork(lambda rendered: work())

    def result(self) -> T:
        """What work() returned, or the exception it raised, raised here.

        Without fork, work runs now; if the child was stopped by the system
        (for lack of memory), it runs again here, where any failure is reported as usual.
        """
        if self._child is None:
            return self._work()
        try:
            message = self._receiver.recv()
        except EOFError:
            self.cancel()
            return self._work()
        self.cancel()
        if message[0] == _FAILED:
            raise message[1]
        return message[1]

    def cancel(self) -> None:
        """Stop the child if it is still running (another output failed); safe to call twice.

        In a process forked after the child started, only this copy of the pipe is closed.
        """
        if self._child is not None:
            if os.getpid() == self._owner:
                if self._child.is_alive():
                    self._child.kill()
                self._child.join()
            self._receiver.close()
            self._child = None


def in_background(work: Callable[[], T]) -> Pending[T]:
    """Start work() in a forked child now; Pending.result() waits for it (see Pending)."""
    return Pending(work)


class Warm:
    """A child forked before a slow step, importing modules meanwhile, for one later job.

    Forked as `eqplan build` starts, it imports the Word libraries on the core the build
    leaves idle while it reads the workbook (word_job.py); run_isolated(work, warm=...)
    then sends it work, pickled, in place of forking a new child, and waits for it in the
    same way. A child that cannot take the work (it has died) is stopped and a new one
    forked. Without fork, or once the work has gone, it does nothing.
    """

    def __init__(self, modules: tuple[str, ...]) -> None:
        self._child: Any = None
        if can_isolate():
            receiving, self._jobs = multiprocessing.get_context("fork").Pipe(duplex=False)
            self._child, self._receiver = _fork(
                functools.partial(_warm_up, modules, receiving, self._jobs)
            )
            receiving.close()

    @property
    def waiting(self) -> bool:
        """Whether the child is there to be handed work (not yet handed any, nor stopped)."""
        return self._child is not None

    def hand(self, work: Callable[[Callable[[], None]], Any]) -> tuple[Any, Any] | None:
        """Send work to the child: the child and the end its answer comes down, or None
        if it cannot take this work (then it is stopped, and the work is forked as usual).
        Handed over once.

        The work is pickled first, so work that cannot be pickled is forked instead of
        failing the build. Sending waits while the child is still importing (a pipe holds
        64 KB, the example's job 155 KB): its imports are bounded, so no limit is set.
        """
        if not self.waiting:
            return None
        child, receiver, jobs = self._child, self._receiver, self._jobs
        self._child = None
        try:
            data = ForkingPickler.dumps(work)
            jobs.send_bytes(data)
        except Exception:  # noqa: BLE001 - not picklable, or the child has gone: fork instead
            _stop(child, receiver)
            return None
        except BaseException:  # interrupted (Ctrl+C): the child must not outlive this call
            _stop(child, receiver)
            raise
        finally:
            jobs.close()
        return child, receiver

    def cancel(self) -> None:
        """Stop the child if it was given no work; safe to call twice."""
        if self._child is not None:
            self._jobs.close()
            _stop(self._child, self._receiver)
            self._child = None


def _warm_up(
    modules: tuple[str, ...], jobs: Any, parents_end: Any, rendered: Callable[[], None]
) -> Any:
    """In a Warm child: import modules, then run the work the parent sends.

    The imports only save time: one that fails is left for the work to meet (or not) as a
    forked child would. A child given no work is killed (Warm.cancel): children forked
    later hold the sending end of the pipe too, so it need never end.
    """
    parents_end.close()
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - best effort (see above)
            continue
    try:
        work = jobs.recv()
    except EOFError:
        return None  # the parent closed its end without sending (it is ending)
    finally:
        jobs.close()
    return work(rendered)


def _stop(child: Any, receiver: Any) -> None:
    if child.is_alive():
        child.kill()
    child.join()
    receiver.close()


def _fork(work: Callable[[Callable[[], None]], Any]) -> tuple[Any, Any]:
    """A forked child running work, and the end of the pipe its answer comes down."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    _kernel_ends_orphans()  # looked up here, once, so no child pays for it
    child = context.Process(target=_child, args=(work, sender, os.getpid()), daemon=True)
    child.start()
    sender.close()
    return child, receiver


def _receive(receiver: Any, seconds: float, late: type[Exception]) -> tuple[str, Any]:
    if not receiver.poll(seconds):
        raise late()
    try:
        return receiver.recv()
    except EOFError:
        raise ChildDied() from None


def _child(work: Callable[[Callable[[], None]], Any], sender: Any, parent: int) -> None:
    """In the child: run work, send what it made or the exception it raised.

    First the child makes sure it will not outlive parent (the module's note).

    The objects the child was born with (the plan, its view, every module) are frozen out of
    garbage collection: they outlive the child, and a collection walking them would write to
    each one, copying the parent's memory pages into the child for nothing. The child's own
    work makes hundreds of thousands of objects (a 10,000-action document's elements) that
    stay alive until it ends, so collecting is switched off too (about a tenth of the time):
    reference counting still frees what is let go, and the child's memory is capped.
    """
    _end_with_parent(parent)
    gc.freeze()
    gc.disable()
    try:
        result = work(lambda: sender.send((_RENDERED, None)))
        sender.send((_DONE, result))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        try:
            sender.send((_FAILED, exc))
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled
            sender.send((_FAILED, RuntimeError(traceback.format_exc())))
    finally:
        sender.close()


def signalled_with_this_process(signal_number: int) -> Callable[[], None] | None:
    """A preexec_fn for subprocess.Popen: the program started gets signal_number when this
    process dies, however it ends (even `kill -9`); if this process died before the kernel
    was asked, the program is not run.

    None where that cannot be done: other than on Linux, and while other threads run (the web
    server), where Python code between fork and exec could wait for ever on a lock another
    thread held (subprocess's documentation).
    """
    arm = _kernel_ends_orphans()
    if arm is None or threading.active_count() != 1:
        return None
    parent = os.getpid()

    def arm_in_child() -> None:
        # A signal eqplan was started ignoring stays ignored across exec: the program could
        # not act on it (a service manager or a parent process may start eqplan so).
        signal.signal(signal_number, signal.SIG_DFL)
        arm(signal_number)  # if the kernel refuses, the program runs as it would have anyway
        if os.getppid() != parent:
            os._exit(ORPHANED)

    return arm_in_child


@functools.cache
def _kernel_ends_orphans() -> Callable[..., bool] | None:
    """On Linux, a call asking the kernel to kill this process (or send it the signal given)
    when its parent dies (True if it agreed); None elsewhere. Looked up in the parent before
    it forks: importing ctypes costs about 5 ms, paid once per build instead of once in each
    child."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # no C library to be found, or one without prctl
        return None
    prctl.restype = ctypes.c_int
    prctl.argtypes = (ctypes.c_int, *[ctypes.c_ulong] * 4)

    def signal_me_when_my_parent_dies(signal_number: int = signal.SIGKILL) -> bool:
        return prctl(_PR_SET_PDEATHSIG, int(signal_number), 0, 0, 0) == 0

    return signal_me_when_my_parent_dies


def _end_with_parent(parent: int) -> None:
    """In a child forked by parent: end this process as soon as parent has ended.

    SIGKILL, not a gentler signal: the child may be deep in one long C call (the reason it
    was forked) and has nothing to tidy (a temporary it leaves is removed by the next run,
    temporaries.py). The kernel sends it when the parent dies; if the parent died before it
    was asked, the child has a new parent already, which the check below sees.
    """
    arm = _kernel_ends_orphans()
    if arm is None or not arm():
        threading.Thread(
            target=_exit_when_orphaned, args=(parent,), name="eqplan-parent-check", daemon=True
        ).start()
    if os.getppid() != parent:
        os._exit(ORPHANED)


def _exit_when_orphaned(parent: int) -> None:
    """Where the kernel cannot end a child with its parent: look every PARENT_CHECK_SECONDS.

    A child whose parent has died is given a new one (init, or a service manager), so
    getppid() changes; one system call a second costs nothing measurable.
    """
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(ORPHANED)
