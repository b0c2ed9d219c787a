"""The course model: the contract between the loader, the renderer and every target builder.

Everything a builder needs is here, already checked and with Markdown already rendered to HTML
fragments (``*_html`` fields, autoescaped and sanitised by the loader). Builders never read the
source files. Every node carries the ``Position`` it came from, so any later stage can still
report ``file:line`` to the author.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Optional, Union


@dataclass(frozen=True)
class Position:
    """Where a node was written: path relative to the course source folder, 1-based line/column."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        if self.column <= 0:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


NOWHERE = Position("<course>")


# --------------------------------------------------------------------------------------------
# Module content blocks
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HtmlBlock:
    """A run of ordinary Markdown, rendered to an HTML fragment."""

    html: str
    pos: Position
    kind: ClassVar[str] = "html"


@dataclass(frozen=True)
class VideoBlock:
    """A ```video``` fenced block. Only YouTube is supported for now."""

    kind: ClassVar[str] = "video"
    provider: str  # "youtube"
    video_id: str  # 11 characters
    title: str
    summary_html: str  # text alternative, always present
    pos: Position
    start: int = 0  # seconds
    caption_language: Optional[str] = None
    author: Optional[str] = None
    year: Optional[str] = None

    @property
    def watch_url(self) -> str:
        url = f"https://www.youtube.com/watch?v={self.video_id}"
        return f"{url}&t={self.start}s" if self.start else url

    @property
    def embed_url(self) -> str:
        """Privacy-enhanced embed; parameters keep the player clean and captions on if asked."""
        params = ["rel=0"]
        if self.start:
            params.append(f"start={self.start}")
        if self.caption_language:
            params += ["cc_load_policy=1", f"cc_lang_pref={self.caption_language}"]
        return f"https://www.youtube-nocookie.com/embed/{self.video_id}?" + "&amp;".join(params)

    @property
    def embed_src(self) -> str:
        """``embed_url`` without HTML escaping, for templates (Jinja escapes ``&`` itself)."""
        return self.embed_url.replace("&amp;", "&")


@dataclass(frozen=True)
class ReflectionBlock:
    """A ```reflection``` fenced block: a question the learner answers in their own words."""

    kind: ClassVar[str] = "reflection"
    id: str
    prompt: str  # plain text (for manifests, discussion titles, interaction descriptions)
    prompt_html: str  # inline HTML
    guidance_html: str  # instruction to the learner; may be empty
    pos: Position
    max_length: Optional[int] = None  # characters; None = the target decides (budget)


Block = Union[HtmlBlock, VideoBlock, ReflectionBlock]


# --------------------------------------------------------------------------------------------
# Quizzes
# --------------------------------------------------------------------------------------------


class QuestionType(str, enum.Enum):
    MULTIPLE_CHOICE = "multiple_choice"  # exactly one correct choice
    MULTIPLE_RESPONSE = "multiple_response"  # one or more correct choices
    TRUE_FALSE = "true_false"
    FILL_IN_BLANK = "fill_in_blank"  # typed answer compared with a list of accepted answers
    ESSAY = "essay"  # open response, never auto-graded

    @property
    def auto_graded(self) -> bool:
        return self is not QuestionType.ESSAY


@dataclass(frozen=True)
class Choice:
    id: str  # unique within the question; an NCName
    text: str  # source Markdown
    text_html: str  # inline HTML
    correct: bool
    feedback_html: str  # may be empty
    pos: Position


@dataclass(frozen=True)
class Feedback:
    """General feedback of a question (all inline/block HTML, may be empty)."""

    correct_html: str = ""
    incorrect_html: str = ""
    general_html: str = ""


@dataclass(frozen=True)
class Question:
    id: str  # unique within the course; an NCName (stable: derived from the prompt when not given)
    type: QuestionType
    prompt: str  # source Markdown
    prompt_html: str
    points: float
    pos: Position
    choices: tuple[Choice, ...] = ()  # multiple_choice, multiple_response, true_false (2 choices)
    feedback: Feedback = field(default_factory=Feedback)
    # true_false: ``choices`` holds exactly two choices with ids "true" and "false" (in that
    # order), ``answer`` is the correct one.
    answer: Optional[bool] = None
    # fill_in_blank
    answers: tuple[str, ...] = ()
    case_sensitive: bool = False
    # essay
    guidance_html: str = ""
    sample_answer_html: str = ""

    @property
    def correct_choices(self) -> tuple[Choice, ...]:
        return tuple(c for c in self.choices if c.correct)

    @functools.cached_property  # stripped once: every package asks (SCORM's config twice a build)
    def title(self) -> str:
        """A short plain-text name for LMS question banks."""
        from .textutil import plain_title

        return plain_title(self.prompt)


@dataclass(frozen=True)
class Quiz:
    id: str  # file stem of quizzes/<id>.yaml; an NCName
    title: str
    description_html: str
    questions: tuple[Question, ...]
    pos: Position
    attempts: Optional[int] = None  # None = unlimited
    shuffle: bool = False  # shuffle choices

    @property
    def points_possible(self) -> float:
        """Points of the auto-graded questions (essays are reviewed by hand, never scored)."""
        return sum(q.points for q in self.questions if q.type.auto_graded)


# --------------------------------------------------------------------------------------------
# Course
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Module:
    """One Markdown file of the outline: one page, optionally followed by a quiz."""

    id: str  # NCName, from the file name ("01-build-solidarity.md" -> "m01_build_solidarity")
    slug: str  # file-name-safe, used for page file names ("build-solidarity")
    title: str
    objectives: tuple[str, ...]
    blocks: tuple[Block, ...]
    pos: Position
    quiz: Optional[Quiz] = None
    # The sources cited on this page (its text and its quiz), by number: each page lists its own
    # references, so a citation never links to another file (docs/lms-import.md).
    references: tuple["Source", ...] = ()

    @property
    def reflections(self) -> tuple[ReflectionBlock, ...]:
        return tuple(b for b in self.blocks if isinstance(b, ReflectionBlock))

    @property
    def videos(self) -> tuple[VideoBlock, ...]:
        return tuple(b for b in self.blocks if isinstance(b, VideoBlock))

    @property
    def page_filename(self) -> str:
        """Every target puts all pages in one folder under this name, so links between pages work."""
        return f"{self.slug}.html"


@dataclass(frozen=True)
class Source:
    """One numbered entry of the course's sources list (cited in the text as ``[@n]``)."""

    number: int
    text: str  # the citation, verbatim, without its URL
    pos: Position
    url: Optional[str] = None

    @property
    def anchor(self) -> str:
        return f"source-{self.number}"


@dataclass(frozen=True)
class Completion:
    """When the course counts as complete, and whether a score decides passed/failed."""

    require_pages: bool = True  # every page visited
    require_quizzes: bool = True  # every quiz submitted at least once
    passing_score: Optional[float] = None  # 0..1 (scaled); None = no success status


@dataclass(frozen=True)
class LmsSettings:
    """Choices about how the LMS presents the imported course (Common Cartridge)."""

    publish: bool = True  # Canvas: modules, pages and quizzes published on import
    reflections: str = "discussion"  # "discussion" (one topic each) or "essay" (private essay)


@dataclass(frozen=True)
class ScormSettings:
    """How the SCORM packages split the course into SCOs."""

    sco: str = "course"  # "course": one SCO holds everything; "module": one SCO per module


@dataclass(frozen=True)
class MediaFile:
    """A file under course/media/ referenced from the content."""

    path: str  # relative to course/, posix, e.g. "media/diagram.png"
    source: Path  # absolute path on disk (read by the packager only)
    pos: Position  # where it was first referenced


@dataclass(frozen=True)
class Course:
    id: str  # NCName, used in package file names and identifiers
    title: str
    language: str  # BCP 47
    version: str
    description: str
    authors: tuple[str, ...]
    license: str
    keywords: tuple[str, ...]
    modules: tuple[Module, ...]
    sources: tuple[Source, ...]
    pos: Position
    sources_title: str = "Sources"
    completion: Completion = field(default_factory=Completion)
    lms: LmsSettings = field(default_factory=LmsSettings)
    scorm: ScormSettings = field(default_factory=ScormSettings)
    media: tuple[MediaFile, ...] = ()
    source_dir: Optional[Path] = None  # the folder holding course/, quizzes/, templates/
    # course.yaml's `messages:` overrides of interface strings: ((msgid, text | forms), ...)
    messages: tuple = ()

    @property
    def quizzes(self) -> tuple[Quiz, ...]:
        return tuple(m.quiz for m in self.modules if m.quiz is not None)

    @property
    def reflections(self) -> tuple[ReflectionBlock, ...]:
        return tuple(r for m in self.modules for r in m.reflections)

    @property
    def sources_page_filename(self) -> str:
        return "sources.html"
