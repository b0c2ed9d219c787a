"""The ``build-course`` command (Click). Thin: parse options, call ``builder``, report.

Exit status: 0 built (warnings allowed), 1 errors in the course sources (or warnings with
--strict), 2 wrong command-line usage, 3 the build itself failed unexpectedly (a bug: please
report it with the message).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from builder import __version__
from builder.diagnostics import BuildError, Diagnostics, Severity
from builder.targets import DEFAULT_FORMATS, REGISTRY

EXIT_OK, EXIT_SOURCE_ERRORS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
# What --check reads after a build: every package (cmi5 and .mbz: their zip entries only); not
# the preview folder nor the question-bank text files.
CHECKED_FORMATS = ("scorm12", "scorm2004", "cc1.1", "cc1.3", "qti", "cmi5", "mbz")

EPILOG = """\b
Exit status: 0 success (warnings allowed), 1 errors in the course (or warnings with --strict),
2 wrong usage, 3 internal error.
"""
DEBUG_FLAGS = ("--debug", "-v", "--verbose")


def _issue_tracker() -> str:
    """Where to report a bug: the package's 'Issues' project URL when it declares one."""
    try:
        from importlib.metadata import metadata

        for entry in metadata("build-course").get_all("Project-URL") or []:
            label, _, url = entry.partition(",")
            if label.strip().lower() in ("issues", "bug tracker", "tracker"):
                return url.strip()
    except Exception:  # noqa: BLE001 - not installed: fall back to words
        pass
    return "the issue tracker of build-course"


def _report_internal_error(exc: BaseException, command: str) -> None:
    """One paragraph on stderr: what happened, that it is our bug, how to report it."""
    what = {MemoryError: "the machine ran out of memory",
            RecursionError: "something was nested too deeply for Python"}.get(type(exc), str(exc))
    detail = f"{type(exc).__name__}: {what}" if what else type(exc).__name__
    kept = " Packages already in the output folder were left as they were." if command == "build-course" else ""
    message = (f"build-course stopped because of an unexpected internal error ({detail}) while running "
               f"'{command}'. This is a bug in build-course, not a mistake in your course.{kept} Please report "
               f"it on {_issue_tracker()} with the command you ran and the output of the same command with "
               "--debug, which shows the full traceback.")
    try:
        click.echo(message, err=True)
    except Exception:  # noqa: BLE001 - stderr gone (closed pipe): the exit status still says it
        pass


class SafeGroup(click.Group):
    """Every subcommand, present and future, ends an unexpected failure with exit status 3 and a
    short message; the traceback only with --debug (or -v, or BUILD_COURSE_DEBUG=1)."""

    def parse_args(self, ctx: click.Context, args: list) -> list:
        ctx.meta["build_course.args"] = list(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt, BrokenPipeError):
            raise  # click's own ways out (exit codes 0, 1, 2) and an interrupted or cut-off run
        except Exception as exc:  # noqa: BLE001 - MemoryError and RecursionError included
            args = ctx.meta.get("build_course.args", [])
            if os.environ.get("BUILD_COURSE_DEBUG") or any(a in DEBUG_FLAGS for a in args):
                raise
            command = " ".join(["build-course"] + ([ctx.invoked_subcommand] if ctx.invoked_subcommand else []))
            _report_internal_error(exc, command)
            ctx.exit(EXIT_INTERNAL)


class Reporter:
    """Progress on a terminal (transient, on stderr), plain lines in CI or when piped."""

    def __init__(self, verbosity: int):
        self.verbosity = verbosity
        self.interactive = sys.stderr.isatty() and not os.environ.get("CI")

    def progress(self, message: str) -> None:
        if self.verbosity < 0:
            return
        if self.verbosity > 0 or not self.interactive:
            click.echo(message, err=True)
        else:
            click.echo(f"\r\033[K{message}", err=True, nl=False)

    def done(self) -> None:
        if self.interactive and self.verbosity == 0:
            click.echo("\r\033[K", err=True, nl=False)

    def diagnostics(self, diagnostics: Diagnostics) -> None:
        self.done()
        # warnings of one cause are folded into one line with a count, unless -v
        for severity, line in diagnostics.lines(verbose=self.verbosity > 0):
            colour = "red" if severity is Severity.ERROR else "yellow"
            click.secho(line, err=True, fg=colour if self.interactive else None)
        errors, warnings = len(diagnostics.errors), len(diagnostics.warnings)
        if errors or warnings:
            click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)


def _source_option(f):
    return click.option(
        "--source", "-s", "source", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("."),
        show_default=True, help="Folder holding course/, quizzes/ and (optionally) templates/.",
    )(f)


def _output_options(f):
    """-q/-v/--strict on a subcommand too (``build-course validate -q``), merged with the group's."""
    f = click.option("--strict", "sub_strict", is_flag=True, help="Treat warnings as errors (for CI).")(f)
    f = click.option("-q", "--quiet", "sub_quiet", is_flag=True, help="Print only problems.")(f)
    f = click.option("--debug", "sub_debug", is_flag=True, help="Show the full traceback of an internal error.")(f)
    return click.option("-v", "--verbose", "sub_verbose", is_flag=True, help="Print every step.")(f)


def _merge_output_options(ctx: click.Context, sub_strict: bool, sub_quiet: bool, sub_verbose: bool,
                          sub_debug: bool = False) -> tuple[bool, int]:
    """(strict, verbosity) from the group's options and the subcommand's own."""
    strict = sub_strict or ctx.obj.get("strict", False)
    verbosity = ctx.obj.get("verbosity", 0)
    if sub_quiet:
        verbosity = -1
    elif sub_verbose:
        verbosity = 1
    return strict, verbosity


@click.group(cls=SafeGroup, invoke_without_command=True, epilog=EPILOG)
@_source_option
@click.option("--out", "-o", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where packages are written.  [default: SOURCE/dist]")
@click.option("--format", "-f", "formats", multiple=True, type=click.Choice(list(REGISTRY)),
              help="Package format to build; repeat for several.  [default: all]")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (for CI).")
@click.option("--check", "check_after", is_flag=True,
              help="Run 'build-course check' on every package just written (exit 1 if one has errors).")
@click.option("-q", "--quiet", "quiet", is_flag=True, help="Print only problems.")
@click.option("-v", "--verbose", "verbose", is_flag=True, help="Print every step.")
@click.option("--debug", is_flag=True, expose_value=False,
              help="Show the full traceback of an internal error (exit status 3), to report it.")
@click.version_option(__version__, prog_name="build-course")
@click.pass_context
def main(ctx: click.Context, source: Path, out_dir, formats, strict: bool, check_after: bool, quiet: bool,
         verbose: bool) -> None:
    """Build a course written as plain files into LMS packages.

    With no command, builds the course in the current folder into dist/:
    SCORM 1.2, SCORM 2004 4th edition, Common Cartridge 1.1 and 1.3, cmi5, a Moodle
    course backup (.mbz) and an HTML preview; question banks with -f moodle-xml, gift, qti.

    \b
    Examples:
      build-course                          # build everything into ./dist
      build-course -f scorm12 -f cc1.1      # only these two packages
      build-course --source my-course --out /tmp/out --strict
      build-course validate                 # check the sources, write nothing
    """
    ctx.ensure_object(dict)
    ctx.obj.update(source=source, strict=strict, verbosity=-1 if quiet else (1 if verbose else 0))
    if ctx.invoked_subcommand is not None:
        return
    reporter = Reporter(ctx.obj["verbosity"])
    from builder.build import build

    started = time.perf_counter()
    try:
        result = build(source, out_dir or source / "dist", formats or DEFAULT_FORMATS, strict=strict,
                       progress=reporter.progress)
    except BuildError as exc:
        reporter.diagnostics(exc.diagnostics)
        click.echo("Nothing was written: fix the problems above and run build-course again.", err=True)
        ctx.exit(EXIT_SOURCE_ERRORS)
    reporter.diagnostics(result.diagnostics)
    if reporter.verbosity >= 0:
        click.echo(f"Built {len(result.outputs)} package(s) in {time.perf_counter() - started:.2f}s:")
        for output in result.outputs:
            click.echo(f"  {output.path}  ({output.size / 1024:.0f} KiB, {output.target.label})")
        _print_after_import(result.outputs)
    if check_after:
        packages = [o.path for o in result.outputs if o.target.name in CHECKED_FORMATS]
        ctx.exit(_run_checks(packages, None, False, reporter.verbosity, strict))


def _print_after_import(outputs) -> None:
    """A short per-LMS checklist, so teachers learn the manual steps without reading the docs."""
    lines: dict[str, list[str]] = {}
    for output in outputs:
        for lms, items in output.target.after_import.items():
            for item in items:
                bucket = lines.setdefault(lms, [])
                if item not in bucket:
                    bucket.append(item)
    if not lines:
        return
    click.echo("\nAfter import (details: docs/lms-import.md):")
    for lms, items in lines.items():
        click.echo(f"  {lms}:")
        for item in items:
            click.echo(f"    - {item}")


@main.command("validate", epilog=EPILOG)
@_source_option
@_output_options
@click.pass_context
def validate(ctx: click.Context, source: Path, **output) -> None:
    """Check the course sources and report every problem; write nothing.

    \b
    Examples:
      build-course validate
      build-course validate -q --source my-course --strict
    """
    ctx.ensure_object(dict)
    source = source if source != Path(".") else ctx.obj.get("source", source)
    strict, verbosity = _merge_output_options(ctx, **output)
    reporter = Reporter(verbosity)
    from builder.build import check

    try:
        course, diagnostics = check(source, strict=strict)
    except BuildError as exc:
        reporter.diagnostics(exc.diagnostics)
        ctx.exit(EXIT_SOURCE_ERRORS)
    reporter.diagnostics(diagnostics)
    if reporter.verbosity >= 0:
        questions = sum(len(q.questions) for q in course.quizzes)
        click.echo(f"OK: {course.title} — {len(course.modules)} modules, {len(course.quizzes)} quizzes "
                   f"({questions} questions), {len(course.reflections)} reflections, {len(course.sources)} sources.")



@main.command("check", epilog=EPILOG)
@click.argument("packages", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON report for all packages on stdout.")
@click.option("--schemas", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder of official XSD files: also validate the manifest and the XML files against them.")
@_output_options
@click.pass_context
def check(ctx: click.Context, packages: tuple, as_json: bool, schemas, **output) -> None:
    """Check SCORM 1.2, SCORM 2004 or Common Cartridge packages, ours or another tool's.

    Safe zip entries, a manifest that says what it is, every file it names present and every file
    declared, valid unique identifiers, a right answer in every quiz item, and what Moodle and
    Canvas are known to do with each. Every finding says what the LMS will do and how to fix it.

    \b
    Examples:
      build-course check dist/*.zip dist/*.imscc
      build-course check --json --schemas ~/xsd course.imscc
    """
    ctx.ensure_object(dict)
    strict, verbosity = _merge_output_options(ctx, **output)
    ctx.exit(_run_checks(list(packages), schemas, as_json, verbosity, strict))


@main.command("new", epilog=EPILOG)
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--title", default="", help="The course title.  [default: from the folder name]")
@_output_options
@click.pass_context
def new(ctx: click.Context, folder: Path, title: str, **output) -> None:
    """Create a small working course to start from in FOLDER (never overwrites anything).

    course.yaml with comments, one module with a video and a reflection, one quiz with one
    question of each type, and the schemas your editor uses to check and complete the YAML.

    \b
    Examples:
      build-course new my-course
      build-course new my-course --title "Working together"
    """
    ctx.ensure_object(dict)
    _, verbosity = _merge_output_options(ctx, **output)
    from builder.scaffold import ScaffoldError, create

    try:
        written = create(folder, title)
    except ScaffoldError as exc:
        click.echo(f"build-course new: {exc}", err=True)
        ctx.exit(EXIT_SOURCE_ERRORS)
    if verbosity > 0:
        for path in written:
            click.echo(f"  wrote {path}")
    if verbosity >= 0:
        click.echo(f"Created a course in {folder}/ ({len(written)} files). Next:\n"
                   f"  cd {folder}\n  build-course preview     # see it in your browser as you edit\n"
                   f"  build-course             # build the packages into dist/")


@main.command("preview", epilog=EPILOG)
@_source_option
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in your web browser.")
@_output_options
@click.pass_context
def preview(ctx: click.Context, source: Path, port: int, open_browser: bool, **output) -> None:
    """Serve the course on this computer and rebuild it on every save.

    The page shows the learner's view (the SCO as the SCORM package has it) beside a small LMS
    stand-in: completion, success, score, each recorded answer, the suspend-data budget, and
    reset/relaunch buttons. It reloads by itself after each save; problems in the sources are
    shown in the page, with file:line, until they are fixed.

    \b
    Examples:
      build-course preview --open
      build-course preview --source my-course --port 8000
    """
    ctx.ensure_object(dict)
    source = source if source != Path(".") else ctx.obj.get("source", source)
    _, verbosity = _merge_output_options(ctx, **output)
    from builder.preview.live import LiveCourse
    from builder.preview.server import serve

    def say(line: str) -> None:
        if verbosity >= 0 or "error" in line:
            click.echo(line)

    try:
        serve(LiveCourse(source), port, open_browser, say)
    except OSError as exc:  # the port is taken, most often
        click.echo(f"build-course preview: cannot serve on port {port}: {exc.strerror or exc} — "
                   "choose another --port, or leave it out to take a free one", err=True)
        ctx.exit(EXIT_USAGE)


def _run_checks(packages: list, schemas, as_json: bool, verbosity: int, strict: bool) -> int:
    import json

    from builder.check import check_package, exit_status, render_text

    reports = [check_package(Path(p), schemas) for p in packages]
    if as_json:
        click.echo(json.dumps({"packages": [r.as_dict() for r in reports]}, indent=2, ensure_ascii=False))
    else:
        for report in reports:
            lines = render_text(report, verbosity)
            if not lines:  # -q and a clean package
                continue
            *findings, summary = lines
            for line in findings:
                click.echo(line, err=True)
            click.echo(summary)
    return exit_status(reports, strict)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
