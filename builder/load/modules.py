"""Load one module file: YAML front matter, Markdown, and the ```video``` / ```reflection``` blocks.

The special blocks are cut out of the text *before* Markdown sees it (Markdown cannot report
lines), keeping each block's starting line, so a bad video id reports ``file:line:column``.
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path
from typing import Optional

from ..diagnostics import Diagnostics
from ..model import Block, HtmlBlock, Module, Position, ReflectionBlock, VideoBlock
from ..textutil import ascii_fold, slugify, strip_markdown, to_ncname
from .fields import Fields
from .html_policy import visible_lines
from .filesafety import read_text
from .markdown_render import MarkdownRenderer
from .yamlpos import PosDict, empty_mapping, load_yaml

SPECIAL_BLOCKS = ("video", "reflection")
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_FENCE_OPEN = re.compile(r"^(\s{0,3})(`{3,}|~{3,})\s*([^\s`]*)\s*$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@functools.lru_cache(maxsize=4096)  # asked four times per module by the loader; pure
def module_names(path: str) -> tuple[str, str]:
    """('modules/01-build-solidarity.md') -> (id 'm01-build-solidarity', slug 'build-solidarity').

    Page names stay ASCII (every LMS takes them): accents are dropped, not the letters they sit on
    ('02-alliés' -> 'allies'); a name in another script ('01-تضامن') gets a short stable tag
    ('page-…') so two such modules never share a page.
    """
    original = Path(path).stem
    stem = ascii_fold(original)
    if not re.search(r"[A-Za-z]", re.sub(r"^\d+[-_ .]*", "", stem)) and not original.isascii():
        stem = f"{stem.rstrip('-_ .')}-page-{hashlib.sha1(original.encode('utf-8')).hexdigest()[:6]}".lstrip("-")
    slug = slugify(re.sub(r"^\d+[-_ .]*", "", stem)) or slugify(stem)
    ident = stem if re.match(r"^[A-Za-z]", stem) else f"m{stem}"
    return to_ncname(ident.replace("-", "_"), prefix="m").replace("_", "-"), slug


def split_front_matter(text: str, file: str, d: Diagnostics) -> tuple[Optional[PosDict], str, int]:
    """Returns (front matter, body, line number where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        d.error(Position(file, 1, 1), "module file has no front matter",
                "start the file with a line '---', then 'title: …', then another '---'")
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            data, _ = load_yaml("\n".join(lines[1:index]), file, d, line_offset=1)
            if data is not None and not isinstance(data, PosDict):
                d.error(Position(file, 2, 1), "front matter must be 'key: value' lines", "for example 'title: Build solidarity'")
                data = None
            data = data if data is not None else empty_mapping(Position(file, 1, 1))
            return data, "\n".join(lines[index + 1:]), index + 2
    d.error(Position(file, 1, 1), "front matter is not closed", "add a line '---' after the front matter")
    return None, text, 1


_ATX_H1 = re.compile(r"^ {0,3}#(?:[ \t]|$)")
_SETEXT_H1 = re.compile(r"^ {0,3}=+[ \t]*$")


def uses_title_headings(body: str) -> bool:
    """True when the Markdown has a level-1 heading (``# Title`` or a line underlined with ===)."""
    previous = ""
    for _, line in visible_lines(body):
        if _ATX_H1.match(line) or (_SETEXT_H1.match(line) and previous.strip()):
            return True
        previous = line
    return False


def split_blocks(body: str, first_line: int):
    """Yield ('markdown', text, line) and (kind, yaml text, line of the opening fence) pieces."""
    lines = body.split("\n")
    piece: list[str] = []
    piece_start = first_line
    index = 0
    other_fence = None  # inside an ordinary code block, ```video is just text
    while index < len(lines):
        line = lines[index]
        match = _FENCE_OPEN.match(line)
        if other_fence is not None:
            if line.strip().startswith(other_fence):
                other_fence = None
            piece.append(line)
            index += 1
            continue
        if match and match.group(3).lower() in SPECIAL_BLOCKS:
            fence, kind = match.group(2), match.group(3).lower()
            if piece:
                yield "markdown", "\n".join(piece), piece_start
            opening = first_line + index
            end = index + 1
            while end < len(lines) and not lines[end].strip().startswith(fence[0] * len(fence)):
                end += 1
            closed = end < len(lines)
            yield kind, ("\n".join(lines[index + 1:end]), closed), opening
            index = end + 1
            piece, piece_start = [], first_line + index
            continue
        if match:
            other_fence = match.group(2)[0] * 3
        piece.append(line)
        index += 1
    if piece:
        yield "markdown", "\n".join(piece), piece_start


class ModuleLoader:
    def __init__(self, renderer: MarkdownRenderer, diagnostics: Diagnostics, reflection_ids: dict):
        self.r = renderer
        self.d = diagnostics
        self.reflection_ids = reflection_ids  # id -> Position, shared across the course

    def load(self, path: Path, file: str, rel: str, pos: Position) -> Optional[Module]:
        """``file``: how diagnostics name it; ``rel``: path relative to course/ ("modules/x.md")."""
        try:
            text = read_text(path)  # checked by the caller; never blocks
        except UnicodeDecodeError as exc:
            self.d.error(Position(file, 1), f"file is not UTF-8 text ({exc.reason})", "save the file as UTF-8")
            return None
        text = text.replace("\r\n", "\n").lstrip("\ufeff")
        ident, slug = module_names(rel)
        base = str(Path(rel).parent.as_posix())
        front, body, body_line = split_front_matter(text, file, self.d)
        title, objectives = "", ()
        if front is not None:
            fields = Fields(front, self.d, "the front matter", ("title", "objectives"))
            title = fields.title("title", hint="add 'title: …' to the front matter") or ""
            objectives = fields.text_list("objectives")
        blocks: list[Block] = []
        self.r.heading_shift = 1 if uses_title_headings(body) else 0
        try:
            self._blocks(body, body_line, file, base, slug, blocks)
        finally:
            self.r.heading_shift = 0
        return Module(id=ident, slug=slug, title=title, objectives=objectives, blocks=tuple(blocks),
                      pos=Position(file, 1, 1))

    def _blocks(self, body: str, body_line: int, file: str, base: str, slug: str, blocks: list) -> None:
        for kind, content, line in split_blocks(body, body_line):
            if kind == "markdown":
                if content.strip():
                    html = self.r.block(content, Position(file, line), base=base, scope=slug)
                    if html:
                        blocks.append(HtmlBlock(html, Position(file, line)))
                continue
            text_, closed = content
            fence_pos = Position(file, line, 1)
            if not closed:
                self.d.error(fence_pos, f"```{kind} block is not closed", "add a line ``` after the block")
            data, ok = load_yaml(text_, file, self.d, line_offset=line)
            if not ok:
                continue
            if not isinstance(data, PosDict):
                self.d.error(fence_pos, f"```{kind} block must hold 'key: value' lines",
                             "see docs/source-format.md for an example")
                continue
            block = (self._video if kind == "video" else self._reflection)(data, fence_pos, base, slug)
            if block is not None:
                blocks.append(block)

    def _video(self, data: PosDict, pos: Position, base: str, slug: str) -> Optional[VideoBlock]:
        f = Fields(data, self.d, "the video block",
                   ("provider", "id", "title", "start", "captions", "summary", "transcript", "author", "year"))
        provider = (f.text("provider", default="youtube") or "youtube").lower()
        if provider != "youtube":
            self.d.error(f.where("provider"), f"video provider '{provider}' is not supported", "use provider: youtube")
        video_id = f.text("id", required=True, hint="add the YouTube video id, e.g. id: _dg86g-QlM0")
        if video_id is not None and not YOUTUBE_ID.match(video_id):
            self.d.error(f.where("id"), f"'{video_id}' is not a YouTube video id",
                         "a YouTube id is exactly 11 letters, digits, '-' or '_': copy it from the watch?v= part of the URL")
        title = f.text("title", required=True, hint="add 'title:' — the video's name, read by screen readers")
        start = f.integer("start", 0) or 0
        captions = f.text("captions")
        if captions and not _LANGUAGE.match(captions):
            self.d.error(f.where("captions"), f"'{captions}' is not a language code", "use a code such as en or fr-CA")
        summary_key = "summary" if f.has("summary") else "transcript"
        summary = f.text(summary_key)
        if not summary:
            self.d.error(pos, "the video has no text alternative",
                         "add 'summary: |' with what the video says, for learners who cannot play it")
        summary_html = self.r.block(summary or "", f.where(summary_key), base=base, scope=f"{slug}-video")
        if video_id is None or title is None or not YOUTUBE_ID.match(video_id or ""):
            return None
        return VideoBlock(provider="youtube", video_id=video_id, title=title, summary_html=summary_html, pos=pos,
                          start=start, caption_language=captions, author=f.text("author"), year=f.text("year"))

    def _reflection(self, data: PosDict, pos: Position, base: str, slug: str) -> Optional[ReflectionBlock]:
        f = Fields(data, self.d, "the reflection block", ("id", "prompt", "guidance", "max_length"))
        ident = f.text("id", required=True, hint="add 'id:' — a short name such as walking-the-talk")
        if ident is not None:
            if not ID_PATTERN.match(ident):
                self.d.error(f.where("id"), f"reflection id '{ident}' is not valid",
                             "use letters, digits, '-' and '_', starting with a letter")
                ident = None
            elif ident in self.reflection_ids:
                self.d.error(f.where("id"), f"duplicate reflection id '{ident}' (also at {self.reflection_ids[ident]})",
                             "give each reflection its own id")
                ident = None
            else:
                self.reflection_ids[ident] = f.where("id")
        prompt = f.text("prompt", required=True, hint="add 'prompt:' — the question the learner answers")
        guidance = f.text("guidance") or ""
        max_length = f.integer("max_length", None, minimum=1)
        if ident is None or prompt is None:
            return None
        return ReflectionBlock(
            id=ident, prompt=strip_markdown(prompt),
            prompt_html=self.r.inline(prompt, f.where("prompt"), base=base),
            guidance_html=self.r.block(guidance, f.where("guidance"), base=base) if guidance else "",
            pos=pos, max_length=max_length,
        )
