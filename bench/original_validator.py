"""An independent re-creation of the original CodeEnhancer validator's way of working, for `npm run bench`.

It follows ../../shared/docs/original-behaviour.md (not the original's code or wording):

- a multiprocessing.Pool(os.cpu_count()) over the .py files (names containing "attempt" are ignored);
- per file up to 5 attempts; each attempt writes docstring + body to a temporary file and spawns
  Pylint (JSON, only E0001) and Bandit (JSON, quiet, every finding) as new processes;
- with findings: ONE chat completion asking for the whole corrected body in <Code> tags; the reply
  replaces the body (status SAST-Fixed) and the loop goes on without judging the fix;
- without findings: ONE chat completion asking whether the body satisfies the docstring; "Correct"
  ends the loop, "Incorrect" + <Code> replaces the body and the loop goes on;
- chat calls retry 4 times with exponential back-off from 4 s;
- outputs: attempt_<n>/<id>_attempt_<n>.py, Final_code/<id>.py, <id>_validation_results.json,
  all_result.json and unresolved.json.

Standard library only (urllib.request for the OpenAI-compatible call). The API key comes from
OPENAI_API_KEY. Prints one JSON summary line on stdout.

    python original_validator.py --input DIR --out DIR --base-url URL --python PY [--model gpt-4o]
"""

import argparse
import json
import multiprocessing
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

SECTIONS = ("Input Prompt", "Intention", "Functionality")
TEMPLATE = '"""\nInput Prompt:\nIntention:\nFunctionality:\n"""'
TRIPLE_QUOTED = re.compile(r'("""|\'\'\')[\s\S]*?\1')
CODE_TAGS = re.compile(r"<Code>\s*([\s\S]*?)</Code>", re.IGNORECASE)

# Set in each pool worker by init_worker.
SETTINGS = {}


def init_worker(settings):
    SETTINGS.update(settings)


def split_docstring(source):
    for match in TRIPLE_QUOTED.finditer(source):
        if all(section in match.group(0) for section in SECTIONS):
            body = source[: match.start()] + source[match.end() :]
            return match.group(0), body.strip("\n") + "\n"
    return TEMPLATE, source


def run_pylint(path):
    proc = subprocess.run(
        [SETTINGS["python"], "-m", "pylint", "--output-format=json", "--disable=all", "--enable=E0001", path],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        messages = json.loads(proc.stdout or "[]")
    except ValueError:
        messages = []
    return [{"line": m.get("line"), "message": m.get("message")} for m in messages]


def run_bandit(path):
    proc = subprocess.run(
        [SETTINGS["python"], "-m", "bandit", "-f", "json", "-q", path],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        return json.loads(proc.stdout).get("results", [])
    except ValueError:
        return []


def chat(prompt):
    body = json.dumps(
        {
            "model": SETTINGS["model"],
            "messages": [
                {"role": "system", "content": "You review and repair Python code."},
                {"role": "user", "content": prompt},
            ],
            "temperature": 0,
            "max_tokens": 1024,
        }
    ).encode("utf-8")
    request = urllib.request.Request(
        SETTINGS["base_url"].rstrip("/") + "/chat/completions",
        data=body,
        headers={"Content-Type": "application/json", "Authorization": "Bearer " + SETTINGS["api_key"]},
        method="POST",
    )
    delay = 4
    for attempt in range(5):
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # nosec B310 - the bench's loopback server
                reply = json.loads(response.read().decode("utf-8"))
            return reply["choices"][0]["message"]["content"] or ""
        except (urllib.error.URLError, OSError, ValueError, KeyError):
            if attempt == 4:
                raise
            time.sleep(delay)
            delay *= 2
    return ""


def fix_prompt(docstring, body, pylint_issues, bandit_issues):
    lines = ["Bandit and Pylint reported these issues in the Python code below:"]
    lines += [f"- line {i['line']}: {i['message']}" for i in pylint_issues]
    lines += [f"- {i.get('issue_text', '')}" for i in bandit_issues]
    lines += [
        "",
        "Docstring (for context only, do not return it):",
        docstring,
        "",
        "<Code>",
        body.rstrip("\n"),
        "</Code>",
        "",
        "Return the whole corrected code, without the docstring, between <Code> and </Code> and nothing else.",
    ]
    return "\n".join(lines)


def judge_prompt(docstring, body):
    return "\n".join(
        [
            "Check whether the code below satisfies its docstring. Another library or algorithm with the",
            "same observable behaviour also satisfies it.",
            "",
            docstring,
            "",
            "<Code>",
            body.rstrip("\n"),
            "</Code>",
            "",
            "Answer with the single word Correct, or with Incorrect, the corrected code between <Code> and",
            "</Code> and a short reason between <Reason> and </Reason>.",
        ]
    )


def extract_code(reply):
    match = CODE_TAGS.search(reply)
    return match.group(1).strip("\n") + "\n" if match else None


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)


def validate_file(path):
    file_id = os.path.splitext(os.path.basename(path))[0]
    out = SETTINGS["out"]
    with open(path, encoding="utf-8") as file:
        docstring, body = split_docstring(file.read())
    revisions = []
    calls = 0
    for attempt in range(1, SETTINGS["max_attempts"] + 1):
        code = docstring + "\n" + body
        with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False, encoding="utf-8") as tmp:
            tmp.write(code)
        try:
            pylint_issues = run_pylint(tmp.name)
            bandit_issues = run_bandit(tmp.name)
        finally:
            os.unlink(tmp.name)
        write(os.path.join(out, f"attempt_{attempt}", f"{file_id}_attempt_{attempt}.py"), code)
        revision = {
            "attempt": attempt,
            "pylint_issues": pylint_issues,
            "bandit_issues": bandit_issues,
            "sast_prompt": None,
            "sast_response": None,
            "functional_prompt": None,
            "functional_response": None,
            "status": None,
        }
        revisions.append(revision)
        if pylint_issues or bandit_issues:
            prompt = fix_prompt(docstring, body, pylint_issues, bandit_issues)
            reply = chat(prompt)
            calls += 1
            revision.update(sast_prompt=prompt, sast_response=reply, status="SAST-Fixed")
            fixed = extract_code(reply)
            if fixed is not None:
                body = fixed
            continue
        prompt = judge_prompt(docstring, body)
        reply = chat(prompt)
        calls += 1
        revision.update(functional_prompt=prompt, functional_response=reply)
        if reply.strip().startswith("Correct"):
            revision["status"] = "Correct"
            break
        revision["status"] = "Incorrect"
        corrected = extract_code(reply)
        if corrected is not None:
            body = corrected
    write(os.path.join(out, "Final_code", f"{file_id}.py"), docstring + "\n" + body)
    log = {"filename": os.path.basename(path), "revisions": revisions}
    write(os.path.join(out, f"{file_id}_validation_results.json"), json.dumps(log, indent=2))
    return log, calls


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--input", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--python", required=True, help="the Python that has pylint and bandit")
    parser.add_argument("--model", default="gpt-4o")
    parser.add_argument("--max-attempts", type=int, default=5)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    args = parser.parse_args()
    settings = {
        "python": args.python,
        "model": args.model,
        "base_url": args.base_url,
        "api_key": os.environ.get("OPENAI_API_KEY", ""),
        "out": os.path.abspath(args.out),
        "max_attempts": args.max_attempts,
    }
    files = sorted(
        os.path.join(args.input, name)
        for name in os.listdir(args.input)
        if name.endswith(".py") and "attempt" not in name
    )
    started = time.monotonic()
    with multiprocessing.Pool(args.workers, initializer=init_worker, initargs=(settings,)) as pool:
        results = list(pool.imap_unordered(validate_file, files))
    logs = [log for log, _ in results]
    unresolved = [
        {"filename": log["filename"], "final_status": log["revisions"][-1]["status"]}
        for log in logs
        if log["revisions"][-1]["status"] != "Correct"
    ]
    write(os.path.join(settings["out"], "all_result.json"), json.dumps(logs, indent=2))
    write(os.path.join(settings["out"], "unresolved.json"), json.dumps(unresolved, indent=2))
    summary = {
        "files": len(files),
        "calls": sum(calls for _, calls in results),
        "analyses": sum(len(log["revisions"]) for log in logs),
        "passed": len(files) - len(unresolved),
        "elapsed_s": round(time.monotonic() - started, 3),
    }
    sys.stdout.write(json.dumps(summary) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
