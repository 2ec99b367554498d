"""The command-line contract, run as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from .conftest import AWKWARD, FEEDS, REPO, write


def run(*args: str, db: Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "cli.db"
    proc = run("index", str(FEEDS), str(AWKWARD), db=db)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("\n") == 1 and " added, " in proc.stdout and " failed" in proc.stdout
    assert "warning: " in proc.stderr and "latin1" in proc.stderr
    return db


@pytest.mark.parametrize("query", ["defi", "défi"])
def test_search_json_finds_the_seed(indexed: Path, query: str) -> None:
    proc = run("search", query, "--json", db=indexed)
    assert proc.returncode == 0
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    seed = [r for r in rows if r["path"] and r["path"].endswith("000_8d6083a8515aed8c.txt")]
    assert len(seed) == 1
    assert seed[0]["date"] == "2021-03"
    assert seed[0]["title"].startswith("Au terme de deux conférences, Lei Jun, CEO de Xiaomi")
    assert seed[0]["title"].endswith("véhicules électriques et connectés.")
    assert {"id", "date", "title", "source", "link", "path"} <= set(seed[0])


@pytest.mark.parametrize("query", ["entité:", '"', "a AND", "(", "NEAR(", "';--", "-"])
def test_hostile_queries_exit_0_or_2_with_one_line(indexed: Path, query: str) -> None:
    proc = run("search", query, "--json", db=indexed)
    assert proc.returncode in (0, 2)
    assert "Traceback" not in proc.stderr
    if proc.returncode == 2:
        assert proc.stderr.count("\n") == 1


def test_results_are_newest_first_with_limit(indexed: Path) -> None:
    proc = run("search", "", "--json", "--limit", "10", db=indexed)
    dates = [json.loads(line)["date"] for line in proc.stdout.splitlines()]
    assert len(dates) == 10 and dates == sorted(dates, reverse=True)


def test_failures_exit_1_and_name_the_file(tmp_path: Path) -> None:
    write(tmp_path / "src" / "s" / "ok.txt", "date 2021 Bien.")
    write(tmp_path / "src" / "s" / "bad.txt", "date jamais Mal.")
    proc = run("index", str(tmp_path / "src"), db=tmp_path / "x.db")
    assert proc.returncode == 1
    assert f"failed: {tmp_path / 'src' / 's' / 'bad.txt'}: unreadable date" in proc.stderr
    assert "1 article added" in proc.stdout and "1 file failed" in proc.stdout


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    proc = run("search", db=tmp_path / "x.db")
    assert proc.returncode == 2


def test_env_var_names_the_default_db(tmp_path: Path) -> None:
    env_db = tmp_path / "from-env.db"
    write(tmp_path / "src" / "s" / "ok.txt", "date 2021 Bien.")
    proc = subprocess.run(
        [sys.executable, "-m", "reader", "index", str(tmp_path / "src")],
        capture_output=True,
        text=True,
        env={"NEWSREADER_DB": str(env_db), "PATH": ""},
    )
    assert proc.returncode == 0 and env_db.exists()


def test_db_before_the_command_and_ids_in_plain_search(indexed: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "reader", "--db", str(indexed), "search", "xiaomi", "--limit", "2"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    first = proc.stdout.splitlines()[0].split()[0]
    shown = run("show", first, db=indexed)
    assert shown.returncode == 0 and shown.stdout.strip()
    # `--db X search -- -tesla` said "unrecognized arguments: --db X": the options were moved
    # behind the `--`, where they are words of the QUERY.
    proc = subprocess.run(
        [sys.executable, "-m", "reader", "--db", str(indexed), "search", "--", "-tesla"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0 and proc.stdout, proc.stderr


def test_options_of_the_reader_before_a_command(indexed: Path, tmp_path: Path) -> None:
    """`newsreader --theme nosuch feeds` said "no such command or path: feeds (did you mean
    `newsreader feeds`?)". An option of the reader before a command that does not take it is
    said to be the reader's (one line, exit 2); one the command takes too is moved after it,
    as --db always was; a command's name that is also a path is still a SOURCE."""

    def nr(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "reader", *args],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
        )

    db = str(indexed)
    for args, said in [
        (["--theme", "nosuch", "feeds"], "--theme goes"),
        (["--theme=textual-light", "--db", db, "feeds"], "--theme goes"),
        (
            ["--print-keymap", "--backend", "rules", "search", "x"],
            "--print-keymap and --backend go",
        ),
        (["--rebuild", "--db", db, "feeds"], "--rebuild goes"),
    ]:
        proc = nr(*args)
        command = args[-1] if args[-1] != "x" else "search"
        assert (proc.returncode, proc.stdout) == (2, ""), proc.stderr
        assert proc.stderr == (
            f"newsreader: {said} with the reader, not with `{command}` (see `newsreader "
            f"{command} --help`)\n"
        )
    proc = nr("--the", "nosuch", "feeds")  # an abbreviation, read by the reader's parser
    assert proc.returncode == 2 and proc.stderr.startswith("newsreader: `feeds` is a command,")
    proc = nr("--backend", "rules", "--db", db, "refresh")  # refresh takes both: moved
    assert (proc.returncode, proc.stdout) == (
        0,
        "no subscriptions (add one with `newsreader add URL`)\n",
    )
    (tmp_path / "feeds").mkdir()  # a folder called feeds: the reader's SOURCE, as before
    proc = nr("--theme", "nosuch", "feeds")
    assert proc.returncode == 2 and proc.stderr.startswith("newsreader: no theme called 'nosuch'")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("(nokia", "'(' is never closed"),
        ("nokia)", "')' without an opening '('"),
        ("OR", "'OR' needs a term on each side"),
        ("tesla AND", "'AND' needs a term on each side"),
        ("*", "nothing to search for"),
    ],
)
def test_malformed_queries_are_refused_by_every_command(
    indexed: Path, query: str, message: str
) -> None:
    for command in (["search", query], ["mark-read", query], ["save", "Bad", query]):
        proc = run(*command, db=indexed)
        assert proc.returncode == 2 and proc.stdout == ""
        assert proc.stderr.startswith("newsreader: query error: " + message)
    assert "Bad" not in run("feeds", db=indexed).stdout


def test_argument_errors_name_the_program_once(tmp_path: Path) -> None:
    proc = run("search", "x", "--bogus", db=tmp_path / "x.db")
    assert proc.returncode == 2
    assert proc.stderr.startswith("newsreader: search: unrecognized arguments: --bogus")
    assert proc.stderr.count("newsreader:") == 1
    proc = run("search", db=tmp_path / "x.db")
    assert proc.stderr.startswith("newsreader: search: the following arguments are required")


def test_messages_naming_strangers_text_carry_no_escape_sequence(tmp_path: Path) -> None:
    """A file name (or anything a message quotes) with an escape sequence in it: printed
    without it (an OSC 52 sequence would write to the user's clipboard)."""
    osc, csi = "\x1b]52;c;aGVsbG8=\x07", "\x1b[31m"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / f"note{osc}.txt").write_text("no date here\n", encoding="utf-8")
    (folder / f"ok{csi}.txt").write_text("date 2026-01-01\n\nHello.\n", encoding="utf-8")
    db = tmp_path / "t.db"
    indexed = run("index", str(folder), "--no-entities", db=db)
    missing = run("index", str(tmp_path / f"gone{csi}"), db=db)
    assert indexed.returncode == 0 and missing.returncode == 2
    for proc in (indexed, missing):
        assert "\x1b" not in proc.stderr + proc.stdout and "\x07" not in proc.stderr
    assert "/note.txt: no date line" in indexed.stderr  # the sequence taken out whole
    assert "/gone" in missing.stderr


def test_items_sharing_a_guid_are_one_warning_line_not_an_error(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    """A feed whose items repeat a guid: the first is kept, as before, and a warning names
    the file or address and counts the others (they were dropped silently); exit 0."""
    items = "".join(
        f"<item><title>{t}</title><guid>tag:x,{g}</guid><pubDate>Tue, 10 Nov 2026 10:00:00 GMT"
        "</pubDate></item>"
        for t, g in [("Kept first", 1), ("Dropped", 1), ("Also kept", 2), ("Dropped too", 2)]
    )
    feed = f'<rss version="2.0"><channel><title>Twice</title>{items}</channel></rss>'
    path = write(tmp_path / "twice.xml", feed)
    proc = run("index", str(path), "--no-entities", db=tmp_path / "x.db")
    assert proc.returncode == 0 and "2 articles added" in proc.stdout
    warning = "2 items repeat an earlier item's guid; only the first of each is kept"
    assert proc.stderr == f"warning: {path}: {warning}\n"
    httpserver.expect_request("/twice.xml").respond_with_data(feed.replace("tag:x", "tag:y"))
    url = httpserver.url_for("/twice.xml")
    proc = run("add", url, db=tmp_path / "x.db")
    assert proc.returncode == 0 and "2 articles added" in proc.stdout
    assert proc.stderr == f"warning: {url}: {warning}\n"
    proc = run("search", "dropped", db=tmp_path / "x.db")
    assert (proc.returncode, proc.stdout) == (0, "")


@pytest.mark.parametrize("given", ["xx", "qq", "zz-ZZ", "abc", ""])
def test_entities_refuses_a_language_code_that_names_no_language(
    tmp_path: Path, given: str
) -> None:
    """``--lang xx`` was accepted, and the text read as some language with no rules."""
    proc = subprocess.run(
        [sys.executable, "-m", "reader", "entities", "--lang", given],
        input="Angela Merkel besuchte Paris.",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == (
        f"newsreader: entities: argument --lang: {given!r} is not a language code (auto, fr, "
        "en, de, it, es, pt, nl or any other ISO 639-1 code, such as sv or pl) (see "
        "`newsreader entities --help`)\n"
    )


def test_entities_takes_any_iso_639_1_code_in_any_usual_form() -> None:
    """A language without rules of its own is read conservatively: its code is accepted
    (the extractor knows what to do with it); the forms feeds write are read as codes."""
    from reader.cli.entities import _language

    accepted = {"auto": "auto", "fr": "fr", "FR": "fr", "fra": "fr", "fr-CA": "fr",
                "en_US": "en", "german": "de", "nl": "nl", "sv": "sv", "ja": "ja",
                "und": "und"}  # fmt: skip
    assert {given: _language(given) for given in accepted} == accepted
    proc = subprocess.run(
        [sys.executable, "-m", "reader", "entities", "--lang", "sv", "--json"],
        input="Angela Merkel besökte Paris.",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0 and '"text": "Angela Merkel"' in proc.stdout


def test_docs_json_describes_every_field_the_commands_print(tmp_path: Path) -> None:
    """docs/json.md has a row for every key `search`, `show` and `feeds --json` print (and
    the optional ones), in the command's own section: a field added without a word fails."""
    db = tmp_path / "j.db"
    assert run("index", str(FEEDS), "--no-entities", db=db).returncode == 0
    feed = next((FEEDS / "syndicated").glob("*.rss"))
    assert run("add", str(feed), "--no-fetch", "--full-text", db=db).returncode == 0
    assert run("save", "cars", "tesla", db=db).returncode == 0
    found = [json.loads(line) for line in run("search", "", "--json", db=db).stdout.splitlines()]
    search = {key for row in found for key in row} | {"dated_by"}
    fed = next(row["id"] for row in found if "dated_by" in row)
    show = set(json.loads(run("show", fed, "--json", db=db).stdout)) | {"full_text_note"}
    feeds = {key for line in run("feeds", "--json", db=db).stdout.splitlines()
             for key in json.loads(line)}  # fmt: skip
    assert {"dated_by", "language", "read", "starred"} <= search and "full_text" in feeds
    doc = (REPO / "docs" / "json.md").read_text(encoding="utf-8")
    sections = {part.split("`", 1)[0]: part for part in doc.split("\n## `")[1:]}
    assert set(sections) == {"search --json", "show ID --json", "feeds --json", "entities --json"}
    for keys, where in ((search, "search --json"), (show - search, "show ID --json"),
                        (feeds, "feeds --json")):  # fmt: skip
        missing = {key for key in keys if f"| `{key}` |" not in sections[where]}
        assert not missing, (where, missing)


def test_a_locale_that_cannot_hold_the_text_and_a_closed_output_are_no_tracebacks(
    indexed: Path, tmp_path: Path
) -> None:
    """Under a Latin-1 or ASCII locale, the first ’ or emoji of a title ended `search` and
    `show` with a UnicodeEncodeError traceback, and `--json` came out in Latin-1 where JSON is
    UTF-8; with standard output closed (`>&-`) print() raised AttributeError."""
    import json
    import os

    def nr(*args: str, env: dict[str, str]) -> tuple[int, bytes, str]:
        done = subprocess.run(
            [sys.executable, "-m", "reader", *args, "--db", str(indexed)],
            capture_output=True,
            timeout=120,
            env={**os.environ, **env},
        )
        return done.returncode, done.stdout, done.stderr.decode("utf-8", "replace")

    for encoding in ("latin-1", "ascii"):
        env = {"PYTHONIOENCODING": encoding}
        code, out, err = nr("search", "", "--limit", "0", env=env)
        assert (code, err) == (0, "") and len(out.splitlines()) > 20
        code, out, err = nr("search", "", "--limit", "0", "--json", env=env)
        assert (code, err) == (0, "")
        titles = [json.loads(line)["title"] for line in out.decode("utf-8").splitlines()]
        assert any(not t.isascii() for t in titles)  # UTF-8, whatever the locale
        first = json.loads(out.decode("utf-8").splitlines()[0])["id"]
        assert nr("show", first, env=env)[::2] == (0, "")
    closed = subprocess.run(
        f'exec >&-; "{sys.executable}" -m reader search "" --db "{indexed}"',
        shell=True,
        capture_output=False,
        stderr=subprocess.PIPE,
        timeout=120,
    )
    assert (closed.returncode, closed.stderr) == (0, b"")
