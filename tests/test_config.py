"""The config file: defaults, every setting, and one clear error for each wrong value."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reader.config import (
    Config,
    ConfigError,
    bundled_feeds,
    config_path,
    default_db_path,
    load_config,
    sample_db_path,
    sample_digest,
    unknown_binding,
)
from reader.keymap_ids import BINDING_IDS
from reader.ui.keymap import catalogue, keymap_problems, validate_keymap

from .conftest import write


def test_a_missing_file_means_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path / "none.toml")
    assert config == Config(path=tmp_path / "none.toml")
    assert config.theme is None and config.keymap == {} and config.entities_backend == "rules"
    assert config.refresh_minutes is None and config.ignore == ()


def test_every_setting(tmp_path: Path) -> None:
    path = write(
        tmp_path / "c.toml",
        'theme = "textual-light"\nrefresh_minutes = 15\nignore = ["source:ads", "sponsored"]\n'
        '[keymap]\n"headlines.down" = "j,down"\n[entities]\nbackend = "rules"\n',
    )
    config = load_config(path)
    assert config.theme == "textual-light" and config.refresh_minutes == 15.0
    assert config.ignore == ("source:ads", "sponsored")
    assert config.keymap == {"headlines.down": "j,down"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("theme = 3", "theme must be a string"),
        ("refresh_minutes = 0", "refresh_minutes must be"),
        ("refresh_minutes = true", "refresh_minutes must be"),
        ("refresh_minutes = nan", "refresh_minutes must be"),
        ("refresh_minutes = inf", "refresh_minutes must be"),
        ("refresh_minutes = -inf", "refresh_minutes must be"),
        ("refresh_minutes = 1e-9", "refresh_minutes must be"),
        ("refresh_minutes = 0.001", "at least 1"),
        ("refresh_minutes = 0.99", "at least 1"),
        # finite but absurd: Textual's timer on Windows overflows (1e300) or wraps around
        ("refresh_minutes = 1e300", "at most 10080 (a week"),
        ("refresh_minutes = 1e11", "at most 10080 (a week"),
        ("refresh_minutes = 10081", "at most 10080 (a week"),
        ("ignore = [1]", "ignore must be a list of queries"),
        ('ignore = ["soruce:x"]', "ignore rule 'soruce:x': unknown filter"),
        ("[keymap]\n'a.b' = 3", "[keymap] must map binding ids"),
        # refused by every command as the reader refuses them (feeds ran with them: exit 0)
        ("[keymap]\n'headlines.nope' = 'x'", "unknown binding id 'headlines.nope' in [keymap]"),
        ("[keymap]\n'headlines.down' = ' , '", "[keymap] 'headlines.down' has no keys"),
        ("[keymap]\n'headlines.down' = 'j,,k'", "'headlines.down': an empty key in 'j,,k'"),
        ('[entities]\nbackend = "gpt"', "[entities] backend must be one of rules, spacy"),
        ("colour = 'red'", "unknown setting 'colour'"),
        # unknown keys inside a table were accepted silently
        ('[entities]\nbackend = "rules"\nmodel = "x"', "unknown setting 'model' in [entities]"),
        ("[entities]\nmodel = 'x'", "its settings are backend"),
        ("[entities.spacy]\nmodel = 'x'", "unknown setting 'spacy' in [entities]"),
        ("theme = ", "Invalid value"),
    ],
)
def test_each_wrong_value_is_one_line_naming_the_file(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path / "c.toml", text + "\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert message in str(caught.value) and str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_binding_ids_a_config_may_name_are_the_readers() -> None:
    """Every command checks [keymap] against ``BINDING_IDS`` without loading the UI: the
    list must be the UI's catalogue, no more, no less."""
    assert set(catalogue()) == BINDING_IDS


@pytest.mark.parametrize(
    "keymap",
    ["'headlines.nope' = 'x'", "'headlines.down' = ''"],
)
def test_a_wrong_keymap_stops_every_command_as_it_stops_the_reader(
    tmp_path: Path, keymap: str
) -> None:
    """An unknown binding id stopped the reader and --print-keymap (exit 2) while `feeds`,
    `search` or `mark-read` ran on (exit 0) with the same config: every command that reads
    the config refuses it, in the reader's one line."""
    config = write(tmp_path / "c.toml", f"[keymap]\n{keymap}\n")
    env = {**os.environ, "NEWSREADER_CONFIG": str(config)}
    db = str(tmp_path / "x.db")
    said = set()
    for command in (
        ["feeds"], ["search", "x"], ["mark-read", "x"], ["index", str(config.parent)],
        ["--print-keymap"], [],  # the reader (no terminal here: refused for the config first)
    ):  # fmt: skip
        proc = subprocess.run(
            [sys.executable, "-m", "reader", *command, "--db", db],
            capture_output=True, text=True, timeout=60, env=env, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert (proc.returncode, proc.stdout) == (2, ""), (command, proc.stderr)
        assert proc.stderr.startswith(f"newsreader: {config}: ") and proc.stderr.count("\n") == 1
        said.add(proc.stderr)
    assert len(said) == 1, said  # the same line from each
    assert not os.path.exists(db)  # refused before anything was made


def test_an_unknown_keymap_id_is_said_in_a_short_line(tmp_path: Path) -> None:
    """An unknown id was said with every id listed (103 of them: about 2,200 characters):
    the closest ids are suggested, and where the full list is, in the reader's words too."""
    from reader.ui.keymap import KeymapError

    path = write(tmp_path / "c.toml", "[keymap]\n'headlines.dwon' = 'x'\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    said = str(caught.value)
    assert len(said) < 250 + len(str(path)) and "\n" not in said
    assert "did you mean 'headlines.down'" in said and "newsreader --print-keymap" in said
    with pytest.raises(KeymapError) as again:
        validate_keymap({"headlines.dwon": "x"})
    assert said == f"{path}: {again.value}"
    assert "did you mean" not in unknown_binding("zzz", BINDING_IDS)


def test_refresh_minutes_from_one_minute(tmp_path: Path) -> None:
    """nan, inf or a fraction of a minute once passed: the reader's timer spun (a blank
    screen at 100% CPU) or fetched a feed dozens of times a second. One minute is the least;
    no setting means no timed refresh. A week is the most: 1e300 passed, and Textual's timer
    on Windows raises OverflowError for it (on Linux it only never fires)."""
    for text, minutes in (("1", 1.0), ("1.5", 1.5), ("1440", 1440.0), ("10080", 10080.0)):
        path = write(tmp_path / "c.toml", f"refresh_minutes = {text}\n")
        assert load_config(path).refresh_minutes == minutes
    assert load_config(write(tmp_path / "c.toml", "")).refresh_minutes is None
    env = {**os.environ, "NEWSREADER_CONFIG": str(tmp_path / "c.toml")}
    for value, command in (  # a command, and the reader (no terminal here)
        ("nan", ["search", "x"]), ("nan", []), ("1e300", ["search", "x"]), ("1e300", []),
    ):  # fmt: skip
        write(tmp_path / "c.toml", f"refresh_minutes = {value}\n")
        proc = subprocess.run(
            [sys.executable, "-m", "reader", *command, "--db", str(tmp_path / "x.db")],
            capture_output=True, text=True, timeout=60, env=env, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert proc.returncode == 2 and proc.stdout == ""
        assert proc.stderr == (
            f"newsreader: {tmp_path / 'c.toml'}: refresh_minutes must be a number of minutes, "
            "at least 1 and at most 10080 (a week; leave it out for no timed refresh)\n"
        )


def test_a_missing_file_named_by_the_environment_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NEWSREADER_CONFIG naming no file was read as defaults (a typo went unnoticed); the
    default location without a file still means defaults."""
    missing = tmp_path / "typo.toml"
    monkeypatch.setenv("NEWSREADER_CONFIG", str(missing))
    with pytest.raises(ConfigError) as caught:
        load_config()
    assert str(caught.value) == f"{missing}: no such config file (named by NEWSREADER_CONFIG)"
    for command in (["search", "x"], []):  # a command, and the reader (no terminal here)
        proc = subprocess.run(
            [sys.executable, "-m", "reader", *command, "--db", str(tmp_path / "x.db")],
            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert proc.returncode == 2 and proc.stdout == ""
        assert (
            proc.stderr
            == f"newsreader: {missing}: no such config file (named by NEWSREADER_CONFIG)\n"
        )
    monkeypatch.setenv("NEWSREADER_CONFIG", "")  # empty: as if unset
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "nothing-here"))
    assert load_config() == Config(path=tmp_path / "nothing-here" / "newsreader" / "config.toml")
    monkeypatch.delenv("NEWSREADER_CONFIG")
    assert load_config().path == tmp_path / "nothing-here" / "newsreader" / "config.toml"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_config_that_is_a_device_or_a_pipe_is_refused_not_read(tmp_path: Path) -> None:
    """NEWSREADER_CONFIG=/dev/zero was read until memory ran out, a named pipe waited for a
    writer for ever: every command reads the config."""
    pipe = tmp_path / "pipe.toml"
    os.mkfifo(pipe)
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * (1 << 20) + "\n")
    for named, why in (
        ("/dev/zero", "not a regular file (a device)"),
        (str(pipe), "not a regular file (a named pipe)"),
        (str(big), "larger than 1 MiB"),
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "reader", "feeds", "--db", str(tmp_path / "x.db")],
            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
            env={**os.environ, "NEWSREADER_CONFIG": named},
        )  # fmt: skip
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
        assert proc.stderr.startswith(f"newsreader: {named}: {why}")
    proc = subprocess.run(  # /dev/null: the usual way to say "no config", taken as such
        [sys.executable, "-m", "reader", "feeds", "--db", str(tmp_path / "x.db")],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
        env={**os.environ, "NEWSREADER_CONFIG": os.devnull},
    )  # fmt: skip
    assert proc.returncode == 2 and "no database there yet" in proc.stderr  # (read on)


def test_a_config_path_that_is_no_text_file_is_one_plain_line(tmp_path: Path) -> None:
    folder = tmp_path / "config.toml"
    folder.mkdir()
    with pytest.raises(ConfigError) as caught:
        load_config(folder)
    assert str(caught.value) == f"{folder}: a folder, not a config file"  # no [Errno 21]
    latin = write(tmp_path / "latin.toml", "theme = 'caf\xe9'\n".encode("latin-1"))
    with pytest.raises(ConfigError) as caught:
        load_config(latin)
    assert str(caught.value) == f"{latin}: not UTF-8 text"


def test_a_single_ignore_rule_may_be_a_string(tmp_path: Path) -> None:
    assert load_config(write(tmp_path / "c.toml", 'ignore = "sport"\n')).ignore == ("sport",)


def test_paths_follow_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSREADER_DB", str(tmp_path / "x.db"))
    monkeypatch.setenv("NEWSREADER_CONFIG", str(tmp_path / "c.toml"))
    assert default_db_path() == tmp_path / "x.db" and config_path() == tmp_path / "c.toml"
    monkeypatch.delenv("NEWSREADER_DB")
    assert default_db_path().name == "newsreader.db"


def test_the_sample_has_its_own_store_per_install(tmp_path: Path) -> None:
    assert (bundled_feeds() / "numerama").is_dir()
    assert sample_db_path().name == f"sample-{sample_digest()}.db"
    assert sample_db_path().parent.name == "newsreader"
    assert len(sample_digest()) == 12 and sample_digest() == sample_digest()


def test_the_readme_says_what_the_settings_take(tmp_path: Path) -> None:
    """The README's Configuration section did not say that refresh_minutes takes a fraction
    of a minute, nor that ignore takes a single query as a string. It shows both, and each
    setting it shows inline (`key = value`) loads as it says."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    shown = [
        " ".join(s.split()) for s in re.findall(r"`((?:refresh_minutes|ignore) =[^`]+)`", section)
    ]
    fractions = [s for s in shown if re.fullmatch(r"refresh_minutes = \d+\.\d+", s)]
    strings = [s for s in shown if re.fullmatch(r'ignore = "[^"]+"', s)]
    assert fractions and strings, shown
    for setting in fractions:
        minutes = float(setting.split("=")[1])
        assert load_config(write(tmp_path / "c.toml", setting + "\n")).refresh_minutes == minutes
    for setting in strings:
        query = setting.split('"')[1]
        as_list = f'ignore = ["{query}"]'
        assert as_list in shown  # said to be the same as the list of that one query
        assert load_config(write(tmp_path / "c.toml", setting + "\n")).ignore == (query,)
        assert load_config(write(tmp_path / "c.toml", as_list + "\n")).ignore == (query,)


def test_the_readmes_config_works_as_pasted(tmp_path: Path) -> None:
    """The README's example config, copied as it stands, loads and starts the reader with no
    complaint (it once bound F twice and asked for the optional spaCy backend)."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "config.toml"
    path.write_text(block, encoding="utf-8")
    config = load_config(path)
    assert config.keymap and config.refresh_minutes and config.ignore
    assert keymap_problems(validate_keymap(config.keymap)) == []
    assert config.entities_backend == "rules"
