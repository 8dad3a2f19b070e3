# Assay's runner for one check program of lm-eval's code tasks (HumanEval, MBPP): what Hugging Face evaluate's
# code_eval does to a program in its child process, so that a program passes or fails here as it does there.
# The sandbox around this process is the protection; the guards below only reproduce upstream's results.
# Filled in by CheckProgram: the program and the marker, base64, and the time limit in seconds.
import base64, builtins, contextlib, faulthandler, io, os, shutil, signal, subprocess, sys, tempfile, traceback

_SOURCE = base64.b64decode("@PROGRAM@").decode("utf-8")
_MARKER = base64.b64decode("@MARKER@").decode("ascii")
_LIMIT = @LIMIT@
_stdout, _stderr, _exit = sys.__stdout__, sys.__stderr__, os._exit


class _TimeoutException(Exception):
    pass


class _WriteOnlyStringIO(io.StringIO):
    """What code_eval's swallow_io gives a program for stdin, stdout and stderr: writes kept, reads refused."""

    def read(self, *args, **kwargs):
        raise OSError

    def readline(self, *args, **kwargs):
        raise OSError

    def readlines(self, *args, **kwargs):
        raise OSError

    def readable(self, *args, **kwargs):
        return False


class _RedirectStdin(contextlib._RedirectStream):
    _stream = "stdin"


def _alarm(signum, frame):
    raise _TimeoutException("Timed out!")


def _guard():
    """The effect of code_eval's reliability_guard(None): these names are None, so a call raises TypeError."""
    faulthandler.disable()
    builtins.exit = None
    builtins.quit = None
    os.environ["OMP_NUM_THREADS"] = "1"
    for name in ("kill", "system", "putenv", "remove", "removedirs", "rmdir", "fchdir", "setuid", "fork", "forkpty",
                 "killpg", "rename", "renames", "truncate", "replace", "unlink", "fchmod", "fchown", "chmod", "chown",
                 "chroot", "lchflags", "lchmod", "lchown", "getcwd", "chdir"):
        setattr(os, name, None)
    shutil.rmtree = None
    shutil.move = None
    shutil.chown = None
    subprocess.Popen = None
    builtins.help = None
    for module in ("ipdb", "joblib", "resource", "psutil", "tkinter"):
        sys.modules[module] = None


os.chdir(tempfile.mkdtemp())
_guard()
_swallowed = _WriteOnlyStringIO()
_failure = None
try:
    with contextlib.redirect_stdout(_swallowed), contextlib.redirect_stderr(_swallowed), _RedirectStdin(_swallowed):
        signal.setitimer(signal.ITIMER_REAL, _LIMIT)
        signal.signal(signal.SIGALRM, _alarm)
        try:
            exec(_SOURCE, {})
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    _result = "passed"
except _TimeoutException:
    _result = "timed out"
except BaseException as e:
    _result = "failed: %s" % (e,)
    _failure = e
_stdout.write(_MARKER + " " + _result.replace("\n", " ") + "\n")
_stdout.write(_swallowed.getvalue()[:65536])
_stdout.flush()
if _failure is not None:
    _stderr.write("".join(traceback.format_exception(type(_failure), _failure, _failure.__traceback__)))
_stderr.flush()
_exit(0 if _result == "passed" else 1)
