"""Long-lived Pylint + Bandit worker for codeenhancer.

Started as ``python -I analyzer_worker.py '<config json>'`` with the configuration
``{"pylintEnable": [...], "banditSeverity": "low", "banditConfidence": "low",
"banditSkip": [...]}``.
It prints one ready line, then answers each ``{"id": n, "path": "/abs/file.py"}`` line read on
stdin with one JSON line on stdout carrying the same id. Several requests may be in flight at
once and their answers come out in the order the analyses finish; ``{"cancel": n}`` kills the
analysis of request n, which is then answered with the error "cancelled" (a request already
answered is not answered again; without os.fork, see below, nothing is killed). It exits when stdin closes, abandoning the analyses in flight, or
on SIGTERM.

The findings are the ones the command-line tools report for the same file (see
src/analyzers/cli-tools.ts for the equivalent command lines):

    pylint --output-format=json --disable=all --enable=<ids> --rcfile=<empty-pylintrc>
           --persistent=n --score=n <file>
    bandit -f json -q --severity-level=<s> --confidence-level=<c> [--skip=<ids>] --exclude= <file>

Both tools only parse the file (astroid and ast); nothing in it is imported or executed. With
syntax-error (E0001) pylint's only message, the default, a file that Python's parser and tokenizer
accept exactly as astroid and pylint would is answered without building astroid's tree (see
nothing_for_pylint): the same empty answer at a fraction of the cost.

Each file is analyzed in a child forked from this warm process: the child starts with pylint,
bandit and the astroid trees of common library modules already loaded, and everything the
analysis changes (astroid's caches, trees that the analyzed code patches, sys.path, linecache)
dies with it, so nothing leaks from one file to the next and memory stays flat. A crash in the
child (a C stack overflow on deeply nested code) costs that file only. One warm process serves
every core: its children run side by side, so the warm-up is paid once. Without os.fork
(Windows) files are analyzed here, one at a time.
"""

import ast
import contextlib
import gc
import glob
import io
import json
import linecache
import os
import platform
import selectors
import signal
import sys
import sysconfig
import tempfile
import tokenize
import warnings

import bandit
import pylint
from astroid.context import _invalidate_cache
from astroid.inference_tip import clear_inference_tip_cache
from astroid.interpreter._import import spec as astroid_spec
from astroid.interpreter._import import util as astroid_import_util
from astroid.interpreter._import.spec import _find_spec, _is_setuptools_namespace
from astroid.interpreter.objectmodel import ObjectModel
from astroid.modutils import _cache_normalize_path_, _has_init, cached_os_path_isfile
from astroid.nodes import ClassDef
from astroid.nodes._base_nodes import LookupMixIn
from bandit.core import config as b_config
from bandit.core import constants as b_constants
from bandit.core import extension_loader
from bandit.core import manager as b_manager
from pylint.checkers.clear_lru_cache import clear_lru_caches
from pylint.lint import Run
from pylint.lint.expand_modules import discover_package_path
from pylint.lint.pylinter import MANAGER, PyLinter
from pylint.reporters.json_reporter import JSONReporter

# An empty rcfile given explicitly stops pylint from discovering pylintrc, .pylintrc,
# setup.cfg or pyproject.toml (and running their init-hook) around the file or the cwd.
EMPTY_RCFILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "empty-pylintrc")

LEVELS = ("low", "medium", "high")

# bandit's JSON formatter is told how many lines of code to quote; its CLI default (-n) is 3.
BANDIT_CONTEXT_LINES = 3

# Library modules generated code tends to import; their astroid trees are built once, up front.
WARM_UP_SOURCE = '''"""Warm-up."""
import base64, collections, csv, datetime, functools, hashlib, hmac, io, itertools, json
import logging, math, os, pathlib, pickle, random, re, secrets, shutil, socket, sqlite3
import string, subprocess, sys, tempfile, time, typing, urllib.parse, urllib.request


def main(path):
    """Use a little of everything."""
    data = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    digest = hashlib.sha256(base64.b64encode(data.encode())).hexdigest()
    found = re.findall(r"\\w+", os.path.join(tempfile.gettempdir(), digest))
    logging.getLogger(__name__).info("%s %s", found, datetime.datetime.now())
    with sqlite3.connect(":memory:") as conn, open(path, encoding="utf-8") as file:
        conn.execute("select 1")
        rows = list(csv.reader(io.StringIO(file.read())))
    counts = collections.Counter(itertools.chain.from_iterable(rows))
    value = functools.reduce(lambda a, b: a + b, [math.sqrt(random.random()), time.time()])
    subprocess.run(["true"], check=True, capture_output=True)
    return counts, value, secrets.token_hex(8), string.ascii_letters, sys.argv, typing.Any
'''

# Nesting deeper than this may exhaust the recursion limit in astroid's or pylint's walkers (F0002).
SHALLOW_DEPTH = 100

# Modules the children found missing from the warm cache are built here, up to this many.
MAX_LEARNED_MODULES = 500


class ConfigError(Exception):
    pass


def parse_config(text):
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"configuration is not JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError("configuration must be a JSON object")
    enable = raw.get("pylintEnable", [])
    skip = raw.get("banditSkip", [])
    for name, ids in (("pylintEnable", enable), ("banditSkip", skip)):
        if not isinstance(ids, list) or not all(
            isinstance(i, str) and i and "," not in i for i in ids
        ):
            raise ConfigError(f"{name} must be a list of ids")
    severity = raw.get("banditSeverity", "low")
    confidence = raw.get("banditConfidence", "low")
    for name, level in (("banditSeverity", severity), ("banditConfidence", confidence)):
        if level not in LEVELS:
            raise ConfigError(f"{name} must be one of {', '.join(LEVELS)}")
    return {"enable": enable, "severity": severity, "confidence": confidence, "skip": skip}


class Analyzer:
    def __init__(self, config):
        self.pylint_args = [
            "--disable=all",
            f"--enable={','.join(config['enable'])}",
            f"--rcfile={EMPTY_RCFILE}",
            "--persistent=n",
            "--score=n",
        ]
        # pylint with nothing enabled prints "No files to lint" and exits 32.
        self.pylint_enabled = bool(config["enable"])
        # With syntax-error alone (the default, and the original's setting), pylint has nothing
        # to say about most files: see nothing_for_pylint.
        self.syntax_only = self.pylint_enabled and set(config["enable"]) <= {"E0001", "syntax-error"}
        # bandit's CLI maps --severity-level=low to RANKING[1] ("LOW"), and so on
        # (bandit/cli/main.py).
        self.severity = b_constants.RANKING[LEVELS.index(config["severity"]) + 1]
        self.confidence = b_constants.RANKING[LEVELS.index(config["confidence"]) + 1]
        self.skip = set(config["skip"])
        try:
            extension_loader.MANAGER.validate_profile(self.bandit_profile())
        except ValueError as exc:
            raise ConfigError(f"banditSkip: {exc}") from exc
        if not self.bandit_manager().b_ts.tests:
            raise ConfigError("banditSkip leaves no Bandit test to run")
        self.prepared_linter = None
        # Whether pylint itself has run in this process (a forked child reports it: see
        # serve_forking), and whether its start-up has been paid here, before the forks.
        self.pylint_ran = False
        self.warm = False
        # Modules astroid holds before any analyzed file is read; a fresh pylint has them too.
        self.baseline_modules = frozenset()
        self.library_roots = library_roots()

    def bandit_profile(self):
        # What bandit's _get_profile builds without a config file, plus --skip.
        return {"include": set(), "exclude": set(self.skip)}

    def bandit_manager(self):
        # No config file: bandit's defaults, never a .bandit, bandit.yaml or pyproject.toml.
        return b_manager.BanditManager(
            b_config.BanditConfig(),
            "file",
            debug=False,
            verbose=False,
            quiet=True,
            profile=self.bandit_profile(),
            ignore_nosec=False,
        )

    def pylint(self, path):
        if not self.pylint_enabled or (self.syntax_only and nothing_for_pylint(path)):
            return []
        self.pylint_ran = True
        # pylint puts the file's package root on sys.path while it checks; restore it in case.
        saved_path = list(sys.path)
        saved_cwd = os.getcwd()
        out = io.StringIO()
        # glob.escape: pylint expands its arguments with glob() (config_initialization.py).
        target = glob.escape(path)
        try:
            if self.prepared_linter is None:
                Run([*self.pylint_args, target], reporter=JSONReporter(out), exit=False)
            else:
                self.check_with_prepared_linter(target, out)
        except SystemExit as exc:
            raise RuntimeError(f"pylint exited with status {exc.code}") from None
        finally:
            sys.path[:] = saved_path
            os.chdir(saved_cwd)
        return json.loads(out.getvalue())

    def prepare_linter(self):
        """Run pylint's start-up (checkers, options, rcfile) once, stopping short of the check.

        Only a forked child may use the result, once: checking changes the linter.
        """
        placeholder = EMPTY_RCFILE  # any existing path; the child replaces the file list
        run = PreparedRun(
            [*self.pylint_args, placeholder], reporter=JSONReporter(io.StringIO()), exit=False
        )
        self.prepared_linter = run.linter

    def check_with_prepared_linter(self, target, out):
        # The rest of pylint.lint.Run.__init__ after option parsing, for this file.
        linter = self.prepared_linter
        linter.__class__ = PyLinter
        linter.config.files = glob.glob(target, recursive=True) or [target]
        linter.reporter.out = out
        linter.check(linter.config.files)
        linter.generate_reports(verbose=False)

    def bandit(self, path):
        # bandit quotes code through linecache, which would serve a rewritten file's old lines.
        linecache.clearcache()
        manager = self.bandit_manager()
        # bandit's default --exclude list is matched as substrings of the path (".git" is in
        # "my.github.io"): a file named explicitly would be skipped silently, so exclude nothing.
        manager.discover_files([path], False, "")
        manager.run_tests()
        sink = ReportSink()
        manager.output_results(BANDIT_CONTEXT_LINES, self.severity, self.confidence, sink, "json")
        linecache.clearcache()
        report = json.loads(sink.text)
        return report["results"], report["errors"]

    def analyze(self, request_id, path):
        response = {"id": request_id, "pylint": [], "bandit": [], "banditErrors": [], "error": None}
        errors = []
        noise = Discard()
        with contextlib.redirect_stdout(noise), contextlib.redirect_stderr(noise):
            try:
                response["pylint"] = self.pylint(path)
            except Exception as exc:
                errors.append(f"pylint: {describe(exc)}")
            try:
                response["bandit"], response["banditErrors"] = self.bandit(path)
            except Exception as exc:
                errors.append(f"bandit: {describe(exc)}")
        if errors:
            response["error"] = "; ".join(errors)
        return response

    def forget_shadowed_modules(self, path):
        """Drop warm trees that a module beside the file would shadow.

        pylint puts the file's folder (or package root) first on sys.path, so there `import
        random` finds a local random.py; a fresh pylint would build that one, not the library's.
        """
        names = set()
        for folder in (os.path.dirname(os.path.realpath(path)), discover_package_path(path, [])):
            with contextlib.suppress(OSError):
                names.update(entry.split(".", 1)[0] for entry in os.listdir(folder))
        for key in list(MANAGER.astroid_cache):
            if key not in self.baseline_modules and key.split(".", 1)[0] in names:
                del MANAGER.astroid_cache[key]

    def library_modules_added_since(self, before):
        """Names of library modules astroid built during this analysis (worth keeping warm)."""
        added = []
        for key, module in MANAGER.astroid_cache.items():
            if key in before:
                continue
            file = getattr(module, "file", None)
            if file and any(os.path.realpath(file).startswith(root) for root in self.library_roots):
                added.append(key)
        return added

    def analyze_in_child(self, request_id, path):
        before = set(MANAGER.astroid_cache)
        self.forget_shadowed_modules(path)
        response = self.analyze(request_id, path)
        response["learn"] = self.library_modules_added_since(before)
        response["pylintRan"] = self.pylint_ran
        return response

    def warm_up(self):
        """Load every checker and the trees of common modules as a fresh pylint builds them, then
        the linter's start-up."""
        # pylint itself, even where a child would answer without it.
        syntax_only, self.syntax_only = self.syntax_only, False
        try:
            self.warm_up_pylint()
        finally:
            self.syntax_only = syntax_only
        if self.pylint_enabled:
            self.prepare_linter()
        self.warm = True
        self.settle_for_children()

    def warm_up_shortcut(self):
        """What children answering without pylint use: the shortcut's parse and bandit, run once."""
        with tempfile.TemporaryDirectory(prefix="codeenhancer-warmup-") as folder:
            self.analyze(0, write_module(folder, "warm_module", WARM_UP_SOURCE))
        self.settle_for_children()

    def settle_for_children(self):
        """After a warm-up: children report their own pylint runs, and the collector is kept off
        what they inherit (their pages stay shared)."""
        self.pylint_ran = False
        gc.collect()
        gc.freeze()

    def warm_up_pylint(self):
        with tempfile.TemporaryDirectory(prefix="codeenhancer-warmup-") as folder:
            self.analyze(0, write_module(folder, "empty_module", '"""Empty."""\n'))
            self.baseline_modules = frozenset(MANAGER.astroid_cache)
            self.analyze(0, write_module(folder, "warm_module", WARM_UP_SOURCE))
            forget_module("empty_module")
            forget_module("warm_module")
        clear_inference_caches()

    def learn(self, names, learned):
        for name in names:
            if len(learned) >= MAX_LEARNED_MODULES:
                return
            if name in learned or name in MANAGER.astroid_cache:
                continue
            learned.add(name)
            with contextlib.suppress(Exception):
                MANAGER.ast_from_module_name(name)
        clear_inference_caches()


def write_module(folder, name, text):
    path = os.path.join(folder, f"{name}.py")
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)
    return path


def nothing_for_pylint(path):
    """Whether pylint, with syntax-error (E0001) its only message, is sure to report nothing.

    True when the file decodes as astroid decodes it (builder.open_source_file), parses as astroid
    parses it (builder._parse_string: the text plus a newline, type comments on), tokenizes as
    pylint tokenizes it (utils.tokenize_module), holds no pylint pragma (which could enable
    messages in the file) and nests shallowly; a fraction of the cost of building astroid's tree.
    Anything else, pylint runs: its message and line for a syntax error are its own.
    """
    try:
        with open(path, "rb") as file:
            raw = file.read()
        encoding = tokenize.detect_encoding(io.BytesIO(raw).readline)[0]
        text = io.TextIOWrapper(io.BytesIO(raw), encoding=encoding, newline=None).read()
        if "pylint" in text.lower():
            return False
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text + "\n", type_comments=True)
        for _ in tokenize.tokenize(io.BytesIO(raw).readline):
            pass
    except Exception:  # pylint: disable=broad-exception-caught
        return False
    return nests_at_most(tree, SHALLOW_DEPTH)


def nests_at_most(tree, limit):
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return False
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return True


def library_roots():
    paths = sysconfig.get_paths()
    roots = {os.path.realpath(paths[key]) for key in ("stdlib", "platstdlib", "purelib", "platlib")}
    return tuple(root + os.sep for root in roots)


def forget_module(name):
    MANAGER.astroid_cache.pop(name, None)


def clear_inference_caches():
    """What astroid's MANAGER.clear_cache() clears, except the module trees and the brain.

    Import lookups are cached without the sys.path they ran under (astroid/manager.py), so
    they must not reach a child, whose sys.path starts with the analyzed file's folder.
    """
    clear_lru_caches()
    clear_inference_tip_cache()
    _invalidate_cache()
    MANAGER._mod_file_cache.clear()  # pylint: disable=protected-access
    for cached in (
        LookupMixIn.lookup,
        _cache_normalize_path_,
        _has_init,
        cached_os_path_isfile,
        astroid_import_util.is_namespace,
        ObjectModel.attributes,
        ClassDef._metaclass_lookup_attribute,  # pylint: disable=protected-access
        _find_spec,
        _is_setuptools_namespace,
    ):
        cached.cache_clear()
    for finder in astroid_spec._SPEC_FINDERS:  # pylint: disable=protected-access
        finder.find_module.cache_clear()


class DeferredLinter(PyLinter):
    """A PyLinter whose check waits: pylint.lint.Run then only parses options and loads checkers."""

    def check(self, files_or_modules):
        pass

    def generate_reports(self, verbose=False):
        return None


class PreparedRun(Run):
    LinterClass = DeferredLinter


class Discard(io.StringIO):
    """Where pylint's and bandit's own prints go while a file is analyzed."""

    # bandit's JSON formatter compares its output file's name with sys.stdout.name.
    name = "<discarded>"

    def write(self, s):
        return len(s)


class ReportSink(io.StringIO):
    """A file for bandit's JSON formatter, which closes the file it is given."""

    name = "<analyzer_worker>"
    text = ""

    def close(self):
        self.text = self.getvalue()
        super().close()


def describe(exc):
    first_line = str(exc).split("\n", 1)[0][:300]
    return f"{type(exc).__name__}: {first_line}" if first_line else type(exc).__name__


class Protocol:
    """Private copies of stdin and stdout; fds 0 and 1 are pointed elsewhere.

    pylint and bandit (and anything they load) may print or read: at fd level their output now
    goes to stderr and their input comes from /dev/null, so stdout carries protocol lines only.
    """

    def __init__(self):
        self.in_fd = os.dup(0)
        self.out = os.fdopen(os.dup(1), "wb", buffering=0)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        sys.stdout.flush()
        os.dup2(2, 1)
        self.pending = b""
        self.closed = False

    def send(self, message):
        self.out.write((json.dumps(message) + "\n").encode("ascii"))

    def fill(self):
        chunk = os.read(self.in_fd, 65536)
        if chunk:
            self.pending += chunk
        else:
            self.closed = True

    def lines(self):
        """Takes the complete lines read so far (fill() reads more)."""
        *lines, self.pending = self.pending.split(b"\n")
        return lines

    def close_in_child(self):
        os.close(self.in_fd)
        self.out.close()


def parse_message(line):
    """("analyze", id, path), ("cancel", id, None), or ("bad", None, reason)."""
    try:
        message = json.loads(line)
        if not isinstance(message, dict):
            raise TypeError("a message must be a JSON object")
        if "cancel" in message:
            return "cancel", message["cancel"], None
        path = message["path"]
        if not isinstance(path, str):
            raise TypeError("path must be a string")
        return "analyze", message["id"], path
    except (ValueError, KeyError, TypeError) as exc:
        return "bad", None, f"bad request: {describe(exc)}"


def failed(request_id, error):
    return {"id": request_id, "pylint": [], "bandit": [], "banditErrors": [], "error": error}


def load_prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes  # pylint: disable=import-outside-toplevel

        return ctypes.CDLL(None, use_errno=True).prctl
    except (ImportError, OSError, AttributeError):
        return None


PRCTL = load_prctl()
PR_SET_PDEATHSIG = 1


def set_parent_death_signal(parent):
    # Linux only: the child dies with the worker even when the worker is killed with SIGKILL.
    if PRCTL is not None:
        PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL)
        # The worker died before the prctl: the signal will never come.
        if os.getppid() != parent:
            os._exit(70)  # pylint: disable=protected-access


class Analysis:
    """A child forked to analyze one file; its answer arrives on a pipe of its own."""

    def __init__(self, request_id, pid, read_fd):
        self.request_id = request_id
        self.pid = pid
        self.read_fd = read_fd
        self.chunks = []


# The analyses in flight, by request id (module level: on_sigterm kills them).
RUNNING = {}


def run_child(analyzer, protocol, request_id, path, write_fd, parent):
    code = 0
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        set_parent_death_signal(parent)
        # The other analyses' pipes and the protocol belong to the worker.
        for other in RUNNING.values():
            os.close(other.read_fd)
        RUNNING.clear()
        protocol.close_in_child()
        data = json.dumps(analyzer.analyze_in_child(request_id, path)).encode("ascii")
        view = memoryview(data)
        while view:
            view = view[os.write(write_fd, view) :]
    except BaseException:  # the child must never return into the worker's loop
        code = 70
    finally:
        os._exit(code)  # pylint: disable=protected-access


def start_analysis(analyzer, protocol, request_id, path):
    read_fd, write_fd = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        run_child(analyzer, protocol, request_id, path, write_fd, parent)
    os.close(write_fd)
    analysis = Analysis(request_id, pid, read_fd)
    RUNNING[request_id] = analysis
    return analysis


def kill_analysis(analysis):
    RUNNING.pop(analysis.request_id, None)
    with contextlib.suppress(OSError):
        os.kill(analysis.pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(analysis.pid, 0)
    os.close(analysis.read_fd)


def finish_analysis(analysis):
    """The child closed its pipe: reap it and turn what it wrote into the response."""
    RUNNING.pop(analysis.request_id, None)
    os.close(analysis.read_fd)
    _, status = os.waitpid(analysis.pid, 0)
    data = b"".join(analysis.chunks)
    if os.WIFSIGNALED(status) or os.WEXITSTATUS(status) != 0 or not data:
        how = (
            f"signal {os.WTERMSIG(status)}"
            if os.WIFSIGNALED(status)
            else f"exit status {os.WEXITSTATUS(status)}"
        )
        return failed(analysis.request_id, f"analysis crashed ({how})")
    return json.loads(data)


def serve_forking(analyzer, protocol):
    """Answer requests with one forked child each, as many at once as the requests in flight.

    The node side decides how many files are in flight; answers go out as children finish, in
    any order. Between events the worker builds the library modules children found missing, so
    that later forks start with them. It returns when stdin closes: nobody wants the answers of
    the children still running, and they are killed.
    """
    selector = selectors.DefaultSelector()
    selector.register(protocol.in_fd, selectors.EVENT_READ, None)
    learned = set()
    try:
        while True:
            to_learn = []
            pylint_ran = False
            for key, _ in selector.select():
                analysis = key.data
                if analysis is None:
                    protocol.fill()
                    continue
                chunk = os.read(analysis.read_fd, 1 << 20)
                if chunk:
                    analysis.chunks.append(chunk)
                    continue
                selector.unregister(analysis.read_fd)
                response = finish_analysis(analysis)
                to_learn.extend(response.pop("learn", []))
                pylint_ran = response.pop("pylintRan", False) or pylint_ran
                protocol.send(response)
            if protocol.closed:
                return
            # Started without pylint's warm-up (syntax-error alone: most files never need pylint),
            # the worker pays it once a child had to run pylint; later children start warm.
            if pylint_ran and not analyzer.warm:
                try:
                    analyzer.warm_up()
                except Exception:  # pylint: disable=broad-exception-caught
                    analyzer.warm = True  # not again: children keep running pylint cold, as correct
            if to_learn and len(learned) < MAX_LEARNED_MODULES:
                analyzer.learn(to_learn, learned)
                gc.collect()
                gc.freeze()
            for line in protocol.lines():
                handle_message(analyzer, protocol, selector, line)
    finally:
        selector.close()
        for analysis in list(RUNNING.values()):
            kill_analysis(analysis)


def handle_message(analyzer, protocol, selector, line):
    kind, request_id, detail = parse_message(line)
    if kind == "bad":
        protocol.send({"id": None, "error": detail})
    elif kind == "cancel":
        # An analysis that has already answered is not running: nothing to do.
        analysis = RUNNING.get(request_id)
        if analysis is not None:
            selector.unregister(analysis.read_fd)
            kill_analysis(analysis)
            protocol.send(failed(request_id, "cancelled"))
    elif request_id in RUNNING:
        protocol.send({"id": None, "error": f"bad request: id {request_id} is in use"})
    else:
        analysis = start_analysis(analyzer, protocol, request_id, detail)
        selector.register(analysis.read_fd, selectors.EVENT_READ, analysis)


def serve_inline(analyzer, protocol):
    """Without os.fork (Windows): one file at a time, in this process."""
    while not protocol.closed:
        protocol.fill()
        for line in protocol.lines():
            kind, request_id, detail = parse_message(line)
            if kind == "bad":
                protocol.send({"id": None, "error": detail})
            elif kind == "analyze":
                response = analyzer.analyze(request_id, detail)
                MANAGER.clear_cache()
                protocol.send(response)
            # A cancel comes after the answer it was meant for: the analysis cannot be stopped here.


def on_sigterm(_signum, _frame):
    for analysis in list(RUNNING.values()):
        with contextlib.suppress(OSError):
            os.kill(analysis.pid, signal.SIGKILL)
    os._exit(143)  # pylint: disable=protected-access


def main():
    # Ctrl-C reaches the whole process group; the parent decides when the worker stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, on_sigterm)
    protocol = Protocol()
    try:
        analyzer = Analyzer(parse_config(sys.argv[1] if len(sys.argv) > 1 else "{}"))
    except ConfigError as exc:
        protocol.send({"ready": False, "error": str(exc)})
        return 2
    forking = hasattr(os, "fork")
    if forking:
        # With syntax-error alone, children answer most files without pylint, so its warm-up waits
        # until one needs it (serve_forking), and the first files do not wait for it.
        if analyzer.syntax_only:
            analyzer.warm_up_shortcut()
        else:
            analyzer.warm_up()
    protocol.send(
        {
            "ready": True,
            "pylint": pylint.__version__,
            "bandit": bandit.__version__,
            "python": platform.python_version(),
            "forks": forking,
        }
    )
    if forking:
        serve_forking(analyzer, protocol)
    else:
        serve_inline(analyzer, protocol)
    return 0


if __name__ == "__main__":
    sys.exit(main())
