"""Load stage: ``course/`` + ``quizzes/`` -> one typed ``model.Course``, and every problem found.

``load_course(folder)`` never raises for a mistake in the sources: it returns the course (or
``None`` when nothing usable could be built) with a ``Diagnostics`` list holding every error and
warning, each with ``file:line:column`` and a fix.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Optional

from .. import i18n
from ..diagnostics import Diagnostics, did_you_mean
from ..model import Completion, Course, LmsSettings, Module, Position, ScormSettings, Source
from . import halves
from .fields import Fields
from .filesafety import check_source_file, read_source_text
from .limits import MAX_COURSE_TEXT_BYTES, MAX_MODULES, MB, MEDIA_WARN_MB_DEFAULT
from .messages import check_catalog, load_messages
from .markdown_render import LinkContext, MarkdownRenderer, media_of
from .modules import ModuleLoader, module_names
from .quizzes import QuizLoader
from .yamlpos import PosDict, load_yaml

COURSE_FILE = "course/course.yaml"
COURSE_KEYS = ("id", "title", "language", "version", "description", "authors", "license", "keywords",
               "outline", "sources_title", "sources", "completion", "lms", "scorm", "messages", "media")
COURSE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
SCO_SPLITS = ("course", "module")
URL = re.compile(r"^https?://[^\s<>\"]+$")


def load_course(folder: Path) -> tuple[Optional[Course], Diagnostics]:
    return _CourseLoader(Path(folder)).load()


class _CourseLoader:
    def __init__(self, folder: Path):
        self.folder = folder
        self.d = Diagnostics()
        self.text_bytes = 0  # course.yaml, modules and quizzes read so far
        self.sources: tuple[Source, ...] = ()

    def load(self) -> tuple[Optional[Course], Diagnostics]:
        d = self.d
        course_file = self.folder / COURSE_FILE
        if not os.path.lexists(course_file):
            d.error(Position(COURSE_FILE), f"no course file in {self.folder.resolve()}",
                    "run build-course in the folder that holds course/course.yaml, or pass --source DIR")
            return None, d
        text = read_source_text(course_file, self.folder, COURSE_FILE, d)
        if text is None:
            return None, d
        self.text_bytes = len(text)
        data, ok = load_yaml(text, COURSE_FILE, d)
        if not ok:
            return None, d
        if not isinstance(data, PosDict):
            d.error(Position(COURSE_FILE, 1, 1), "course.yaml must be 'key: value' lines", "see docs/source-format.md")
            return None, d
        f = Fields(data, d, "course.yaml", COURSE_KEYS)
        course_id = f.text("id", required=True, hint="add 'id:' — a short name used in package file names") or "course"
        if not COURSE_ID.match(course_id):
            d.error(f.where("id"), f"course id '{course_id}' is not valid",
                    "use letters, digits, '-' and '_', starting with a letter")
            course_id = "course"
        language = f.text("language", default="en") or "en"
        if not LANGUAGE.match(language):
            d.error(f.where("language"), f"'{language}' is not a language code (BCP 47)", "use a code such as en, fr or en-CA")
        ui_language = language if LANGUAGE.match(language) else "en"
        messages = load_messages(f.raw("messages"), f.where("messages"), ui_language, d)
        check_catalog(ui_language, f.where("language"), messages, d)
        self.words = i18n.messages(ui_language, messages)  # interface strings the loader itself writes

        sources = self.sources = self._sources(f)
        outline = f.sequence("outline", required=True, hint="add 'outline:' listing the modules in order")
        entries = self._outline(outline or [])
        renderer = MarkdownRenderer(
            LinkContext(course_dir=self.folder / "course", source_file_prefix="course/",
                        module_pages={rel: module_names(rel)[1] + ".html" for rel, _, _ in entries},
                        source_numbers=frozenset(s.number for s in sources),
                        source_urls={s.number: s.url for s in sources if s.url},
                        root=self.folder, media_warn_bytes=self._media_warn_bytes(f),
                        source_label=self.words.gettext("Source %(num)s")),
            d,
        )
        modules = self._modules(entries, renderer)
        self._unreferenced_quizzes({quiz for _, quiz, _ in entries if quiz})
        if outline is not None and not modules and not d.errors:
            d.error(f.where("outline"), "the outline lists no modules", "add '- module: modules/01-….md'")
        course = Course(
            id=course_id,
            title=f.title("title", hint="add 'title:' — the course name shown in the LMS") or course_id,
            language=language,
            version=f.text("version", default="1.0") or "1.0",
            description=f.text("description", default="") or "",
            authors=f.text_list("authors"),
            license=f.text("license", default="") or "",
            keywords=f.text_list("keywords"),
            modules=tuple(modules),
            sources=sources,
            pos=Position(COURSE_FILE, 1, 1),
            sources_title=f.text("sources_title") or self.words.gettext("Sources"),
            messages=messages,
            completion=self._completion(f),
            lms=self._lms(f),
            scorm=self._scorm(f),
            media=media_of(renderer),
            source_dir=self.folder.resolve(),
        )
        return course, d

    # -- parts of course.yaml ------------------------------------------------------------------

    def _sources(self, f: Fields) -> tuple[Source, ...]:
        items = f.sequence("sources") or []
        sources = []
        for index, item in enumerate(items):
            if not isinstance(item, PosDict):
                self.d.error(items.where(index), f"source {index + 1} must be 'text: …' (and optional 'url: …') lines", "")
                continue
            s = Fields(item, self.d, f"source {index + 1}", ("text", "url"))
            text = s.text("text", required=True, hint="add 'text:' — the citation")
            url = s.text("url")
            if url is not None and not URL.match(url):
                self.d.error(s.where("url"), f"'{url}' is not a web address", "write the full address, starting with https://")
                url = None
            if text is not None:
                sources.append(Source(number=index + 1, text=text, url=url, pos=item.pos))
        return tuple(sources)

    def _outline(self, outline) -> list[tuple[str, Optional[str], PosDict]]:
        entries, seen = [], {}
        if len(outline) > MAX_MODULES:
            self.d.error(outline.pos, f"the outline lists {len(outline)} modules, more than the limit of {MAX_MODULES}",
                         "split the course into several courses (docs/security.md lists the limits)")
            return entries
        for index, item in enumerate(outline):
            if not isinstance(item, PosDict):
                self.d.error(outline.where(index), f"outline entry {index + 1} must be 'module: …' lines",
                             "write '- module: modules/01-name.md' and, on the next line, '  quiz: name'")
                continue
            e = Fields(item, self.d, f"outline entry {index + 1}", ("module", "quiz"))
            rel = e.text("module", required=True, hint="add 'module: modules/….md'")
            if rel is None:
                continue
            rel = rel.strip().lstrip("./")
            if rel in seen:
                self.d.error(e.where("module"), f"module '{rel}' is listed twice (also at {seen[rel]})", "list each module once")
                continue
            seen[rel] = e.where("module")
            quiz = e.text("quiz")
            entries.append((rel, quiz.strip() if quiz else None, item))
        slugs: dict[str, str] = {}
        for rel, _, item in entries:
            slug = module_names(rel)[1]
            if slug in slugs or slug == "sources":
                self.d.error(item.where("module"), f"module '{rel}' would get the page name '{slug}.html', "
                             f"already used by {slugs.get(slug, 'the sources page')}", "rename the file")
            slugs[slug] = rel
        return entries

    def _modules(self, entries, renderer: MarkdownRenderer) -> list[Module]:
        loading = _Loading(self, renderer)
        modules = halves.load(entries, loading, self.folder)
        renderer.page = ""
        return modules

    def _load_entries(self, entries, loading: "_Loading") -> list[Module]:
        """Load these outline entries (module, then its quiz) in order."""
        renderer, module_loader, quiz_loader = loading.renderer, loading.modules, loading.quizzes
        modules = []
        for rel, quiz_id, item in entries:
            renderer.page = module_names(rel)[1]  # citations anchor in this page's references
            path = self.folder / "course" / rel
            where = item.where("module")
            if Path(rel).is_absolute() or ".." in Path(rel).parts:
                self.d.error(where, f"'{rel}' points outside the course folder", "keep module files in course/modules/")
                continue
            if not os.path.lexists(path):
                self.d.error(where, f"module file course/{rel} not found",
                             "check the file name (paths are relative to the course/ folder)")
                continue
            if not self._safe_to_read(path, f"course/{rel}", where):
                continue
            module = module_loader.load(path, f"course/{rel}", rel, where)
            if module is None:
                continue
            if quiz_id is not None:
                quiz_path = self.folder / "quizzes" / f"{quiz_id}.yaml"
                if not re.match(r"^[A-Za-z][A-Za-z0-9_-]*$", quiz_id):
                    self.d.error(item.where("quiz"), f"quiz name '{quiz_id}' is not valid",
                                 "use the quiz file's name without .yaml: letters, digits, '-' and '_'")
                elif not os.path.lexists(quiz_path):
                    existing = sorted(p.stem for p in (self.folder / "quizzes").glob("*.yaml"))
                    guess = did_you_mean(quiz_id, existing)
                    self.d.error(item.where("quiz"), f"quiz file quizzes/{quiz_id}.yaml not found",
                                 f"did you mean '{guess}'?" if guess else "create it, or fix the name")
                elif self._safe_to_read(quiz_path, f"quizzes/{quiz_id}.yaml", item.where("quiz")):
                    quiz = quiz_loader.load(quiz_path, f"quizzes/{quiz_id}.yaml", quiz_id)
                    if quiz is not None:
                        module = _with_quiz(module, quiz)
            cited = set(renderer.cited.get(renderer.page, ()))
            modules.append(replace(module, references=tuple(s for s in self.sources if s.number in cited)))
        return modules

    def _safe_to_read(self, path: Path, file: str, where: Position) -> bool:
        """A regular file inside the course, within the size limits (docs/security.md)."""
        size = check_source_file(path, self.folder, file, self.d, where)
        if size is None:
            return False
        self.text_bytes += size
        if self.text_bytes > MAX_COURSE_TEXT_BYTES:
            self.d.error(where, f"the course's text files together are larger than the limit of "
                         f"{MAX_COURSE_TEXT_BYTES:,} bytes; {file} and what follows were not read",
                         "split the course into several courses (docs/security.md lists the limits)")
            return False
        return True

    def _media_warn_bytes(self, f: Fields) -> int:
        """course.yaml ``media: warn_above_mb`` (megabytes), or the default."""
        data = f.mapping("media")
        if data is None:
            return MEDIA_WARN_MB_DEFAULT * MB
        m = Fields(data, self.d, "media", ("warn_above_mb",))
        megabytes = m.number("warn_above_mb", MEDIA_WARN_MB_DEFAULT, minimum=0)
        if megabytes is None or not megabytes < 1e9:  # .inf or nan would not convert
            megabytes = MEDIA_WARN_MB_DEFAULT
        return int(megabytes * MB)

    def _unreferenced_quizzes(self, referenced: set) -> None:
        for path in sorted((self.folder / "quizzes").glob("*.y*ml")):
            if path.suffix == ".yml":
                self.d.warning(Position(f"quizzes/{path.name}", 1), "quiz files must end in .yaml",
                               f"rename it to {path.stem}.yaml")
            elif path.stem not in referenced:
                self.d.warning(Position(f"quizzes/{path.name}", 1), "quiz is not used by the course",
                               f"add 'quiz: {path.stem}' to a module in course/course.yaml's outline, or delete the file")

    def _completion(self, f: Fields) -> Completion:
        data = f.mapping("completion")
        if data is None:
            return Completion()
        c = Fields(data, self.d, "completion", ("require_pages", "require_quizzes", "passing_score"))
        score = c.number("passing_score", None, minimum=0, maximum=100)
        return Completion(require_pages=c.boolean("require_pages", True),
                          require_quizzes=c.boolean("require_quizzes", True),
                          passing_score=None if score is None else round(score / 100, 4))

    def _lms(self, f: Fields) -> LmsSettings:
        data = f.mapping("lms")
        if data is None:
            return LmsSettings()
        l = Fields(data, self.d, "lms", ("publish", "reflections"))  # noqa: E741
        reflections = l.text("reflections", default="discussion") or "discussion"
        if reflections not in ("discussion", "essay"):
            self.d.error(l.where("reflections"), f"reflections: '{reflections}' is not an option", "use discussion or essay")
            reflections = "discussion"
        return LmsSettings(publish=l.boolean("publish", True), reflections=reflections)

    def _scorm(self, f: Fields) -> ScormSettings:
        data = f.mapping("scorm")
        if data is None:
            return ScormSettings()
        s = Fields(data, self.d, "scorm", ("sco",))
        sco = s.text("sco", default="course") or "course"
        if sco not in SCO_SPLITS:
            self.d.error(s.where("sco"), f"scorm.sco: '{sco}' is not an option",
                         "use course (one SCO for the whole course) or module (one SCO per module)")
            sco = "course"
        return ScormSettings(sco=sco)


class _Loading:
    """The loaders of the outline's entries and the state they share across the whole course:
    the diagnostics, question and reflection ids, media found, sources cited per page, bytes
    read and the Markdown budget. ``halves`` loads the outline's second half in a forked child;
    these methods say what a half changed and add it to this process's state."""

    def __init__(self, course: "_CourseLoader", renderer: MarkdownRenderer):
        self.course, self.renderer, self.d = course, renderer, course.d
        self.modules = ModuleLoader(renderer, course.d, reflection_ids={})
        self.quizzes = QuizLoader(renderer, course.d, question_ids={},
                                  true_false=(course.words.gettext("True"), course.words.gettext("False")))

    def run(self, entries) -> list[Module]:
        return self.course._load_entries(entries, self)

    def mark(self) -> halves.Mark:
        r = self.renderer
        return halves.Mark(len(self.d.items), dict(r.media), {page: list(n) for page, n in r.cited.items()},
                           dict(self.quizzes.question_ids), dict(self.modules.reflection_ids),
                           self.course.text_bytes, r.budget.brackets)

    def restore(self, mark: halves.Mark) -> None:
        r = self.renderer
        del self.d.items[mark.diagnostics:]
        r.media, r.cited, r.budget.brackets = dict(mark.media), {p: list(n) for p, n in mark.cited.items()}, mark.brackets
        r.media_said = {t: span for t, span in r.media_said.items() if t in r.media}
        self.quizzes.question_ids.clear()
        self.quizzes.question_ids.update(mark.question_ids)
        self.modules.reflection_ids.clear()
        self.modules.reflection_ids.update(mark.reflection_ids)
        self.course.text_bytes = mark.text_bytes

    def since(self, mark: halves.Mark) -> halves.Change:
        r, start = self.renderer, mark.diagnostics
        new = lambda now, before: {k: v for k, v in now.items() if k not in before}  # noqa: E731
        media = new(r.media, mark.media)
        return halves.Change(
            self.d.items[start:], media, {t: (a - start, b - start) for t, (a, b) in r.media_said.items() if t in media},
            {page: n for page, n in r.cited.items() if mark.cited.get(page) != n},
            new(self.quizzes.question_ids, mark.question_ids), new(self.modules.reflection_ids, mark.reflection_ids),
            self.course.text_bytes - mark.text_bytes, mark.brackets - r.budget.brackets)

    def add(self, change: halves.Change) -> bool:
        """Take in what the other half changed; False (nothing taken) when the halves met on
        something that makes one process's order matter: the same id or page in both, or a
        course-wide limit that only the two together pass."""
        r = self.renderer
        if (change.cited.keys() & r.cited.keys() or change.question_ids.keys() & self.quizzes.question_ids.keys()
                or change.reflection_ids.keys() & self.modules.reflection_ids.keys()
                or self.course.text_bytes + change.text_bytes > MAX_COURSE_TEXT_BYTES
                or change.brackets > r.budget.brackets):
            return False
        # a media file both halves use was checked in each: its findings are said once, at the
        # first use, as one process says them
        said_again = {i for target, (a, b) in change.media_said.items() if target in r.media for i in range(a, b)}
        self.d.items.extend(item for i, item in enumerate(change.diagnostics) if i not in said_again)
        for target, media in change.media.items():
            if target not in r.media:
                r.media[target] = media
        r.cited.update(change.cited)
        self.quizzes.question_ids.update(change.question_ids)
        self.modules.reflection_ids.update(change.reflection_ids)
        self.course.text_bytes += change.text_bytes
        r.budget.brackets -= change.brackets
        return True


def _with_quiz(module: Module, quiz) -> Module:
    return replace(module, quiz=quiz)
