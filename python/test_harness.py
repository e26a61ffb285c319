"""Runs one item's unit tests against solution.py in the working folder, inside the sandbox.

Imported by test_server.py, which calls main(limits, spec) in a fresh process per run, PID 1 of
the run's own namespaces, with the working folder holding solution.py (and test_solution.py for
the pytest form). Limits are set before the solution is imported, with soft and hard values
equal, so nothing the solution does can raise them again.

Protocol: JSON lines on the original stdout, nothing else there:
  {"e": "total", "n": N}              how many tests will run (may be sent again once collected)
  {"e": "begin", "name": NAME}        a test starts (the parent names it if the run times out)
  {"e": "result", "name": NAME, "status": "pass"|"fail"|"error", "detail": TEXT}
  {"e": "done"}
The solution's own stdout and stderr go to /dev/null: only results reach the parent.
"""

import ast
import json
import linecache
import os
import resource
import sys
import traceback

DETAIL_CHARS = 1200
REPR_CHARS = 300
TAIL_LINES = 8
HERE = os.path.abspath(__file__)


def set_limits(limits):
    for name, value in limits.items():
        resource.setrlimit(getattr(resource, name), (value, value))


def take_stdout():
    """A private, non-inheritable copy of stdout for results; fds 1 and 2 go to /dev/null."""
    out = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.close(null)
    return out


class Reporter:
    def __init__(self, out):
        self.out = out

    def send(self, **event):
        self.out.write(json.dumps(event) + "\n")
        self.out.flush()

    def total(self, n):
        self.send(e="total", n=n)

    def result(self, name, status, detail=""):
        self.send(e="result", name=name, status=status, detail=clip(detail, DETAIL_CHARS))


def clip(text, limit):
    return text if len(text) <= limit else text[: limit - 15] + " ...[truncated]"


def short_repr(value):
    try:
        return clip(repr(value), REPR_CHARS)
    except BaseException as error:  # a __repr__ that raises is the solution's problem, not ours
        return "<unprintable %s: %s>" % (type(value).__name__, type(error).__name__)


def tail(error):
    """The exception and the last frames outside this harness, as the model should see them."""
    report = traceback.TracebackException.from_exception(error, capture_locals=False)
    report.stack = traceback.StackSummary.from_list([f for f in report.stack if f.filename != HERE])
    lines = "".join(report.format()).rstrip().splitlines()
    return "\n".join(lines[-TAIL_LINES:])


def register_source(filename, source):
    """Lets tracebacks quote lines of test code that has no file."""
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)


def run_test(reporter, name, body):
    reporter.send(e="begin", name=name)
    try:
        body()
    except AssertionError as error:
        reporter.result(name, "fail", tail(error))
    except BaseException as error:  # SystemExit, KeyboardInterrupt: still one test's outcome
        reporter.result(name, "error", tail(error))
    else:
        reporter.result(name, "pass")


def import_solution():
    import solution  # noqa: F401  (the module under test, from the working directory)

    return dict(vars(solution))


def error_all(reporter, names, detail):
    for name in names:
        reporter.result(name, "error", detail)


def check_compare(statement, namespace):
    """For `assert A == B`: evaluates both sides so a failure says what came back."""
    tree = ast.parse(statement, mode="exec")
    node = tree.body[0] if len(tree.body) == 1 else None
    if not (isinstance(node, ast.Assert) and isinstance(node.test, ast.Compare)):
        return None
    compare = node.test
    if len(compare.ops) != 1 or not isinstance(compare.ops[0], ast.Eq):
        return None

    def evaluate(expr):
        code = compile(ast.Expression(expr), "<test>", "eval")
        return eval(code, namespace)  # noqa: S307  (test code, inside the sandbox)

    def body():
        got = evaluate(compare.left)
        expected = evaluate(compare.comparators[0])
        if not got == expected:
            raise AssertionError("%s\n  got:      %s\n  expected: %s" % (statement.strip(), short_repr(got), short_repr(expected)))

    return body


def run_mbpp(reporter, spec):
    names = list(spec["test_list"])
    reporter.total(len(names))
    try:
        namespace = import_solution()
    except BaseException as error:
        return error_all(reporter, names, "the solution failed to import:\n" + tail(error))
    setup = "\n".join(spec.get("test_imports", [])) + "\n" + spec.get("test_setup_code", "")
    register_source("<test setup>", setup)
    try:
        exec(compile(setup, "<test setup>", "exec"), namespace)  # noqa: S102
    except BaseException as error:
        return error_all(reporter, names, "the test setup code failed:\n" + tail(error))
    for index, statement in enumerate(names):
        filename = "<test %d>" % (index + 1)
        register_source(filename, statement)

        def plain(statement=statement, filename=filename):
            exec(compile(statement, filename, "exec"), namespace)  # noqa: S102

        try:
            body = check_compare(statement, namespace) or plain
        except SyntaxError:
            body = plain
        run_test(reporter, statement, body)


def run_humaneval(reporter, spec):
    entry = spec["entry_point"]
    name = "check(%s)" % entry
    reporter.total(1)
    try:
        namespace = import_solution()
    except BaseException as error:
        return error_all(reporter, [name], "the solution failed to import:\n" + tail(error))
    register_source("<test>", spec["test"])
    try:
        exec(compile(spec["test"], "<test>", "exec"), namespace)  # noqa: S102
    except BaseException as error:
        return error_all(reporter, [name], "the test code failed to load:\n" + tail(error))
    candidate = namespace.get(entry)
    if not callable(candidate):
        return error_all(reporter, [name], "the solution defines no function named %r" % entry)
    check = namespace.get("check")
    if not callable(check):
        return error_all(reporter, [name], "the test code defines no check(candidate)")
    run_test(reporter, name, lambda: check(candidate))


def collect_names(source):
    """Test names as the source spells them (test_* functions, Test* class methods), in order."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ["test_solution.py"]
    names = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            names.append(node.name)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name.startswith("test"):
                    names.append("%s.%s" % (node.name, item.name))
    return names or ["test_solution.py"]


def call_test(function):
    import inspect

    if inspect.signature(function).parameters:
        raise TypeError("%s takes arguments: pytest fixtures are not available here" % function.__name__)
    result = function()
    if inspect.iscoroutine(result):
        import asyncio

        asyncio.run(result)


def run_pytest(reporter):
    with open("test_solution.py", encoding="utf-8") as handle:
        names = collect_names(handle.read())
    reporter.total(len(names))
    try:
        import test_solution
    except BaseException as error:
        return error_all(reporter, names, "the tests failed to import (the solution is imported by them):\n" + tail(error))
    tests = []
    for name in names:
        owner, _, method = name.partition(".")
        target = getattr(test_solution, owner, None)
        if method and isinstance(target, type):
            tests.append((name, lambda target=target, method=method: call_test(getattr(target(), method))))
        elif callable(target):
            tests.append((name, lambda target=target: call_test(target)))
    if len(tests) != len(names):
        reporter.total(len(tests))
    for name, body in tests:
        run_test(reporter, name, body)


def main(limits, spec):
    """Runs `spec` (its "kind": mbpp, humaneval or pytest) and exits: nothing the solution left may keep it alive."""
    out = take_stdout()
    sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")
    set_limits(limits)
    sys.path.insert(0, os.getcwd())
    reporter = Reporter(out)
    if spec["kind"] == "pytest":
        run_pytest(reporter)
    elif spec["kind"] == "mbpp":
        run_mbpp(reporter, spec)
    else:
        run_humaneval(reporter, spec)
    reporter.send(e="done")
    out.close()
    # Threads or atexit handlers the solution left behind must not keep the run alive.
    os._exit(0)
