"""The form library: every form schema found in a set of folders of YAML files, by key.

Files are read once, when the library is made, so a broken schema stops the application at
start-up (or a deploy check) instead of the first time someone opens that task.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from forms.schema import FormSchema, FormSchemaError, load_schema

BUILTIN_FOLDER = Path(__file__).parent / "library"
MAX_FILE_BYTES = 256 * 1024


class FormNotFound(LookupError):
    """No form with this key; a LookupError but not a KeyError, so a stray dict miss is not mistaken for it."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(f"form {key!r} is not in the form library")


class FormLibrary:
    """Schemas by key.  A later folder may replace a form of an earlier one (a region's own
    version of a built-in form); two files in the same folder may not define the same key."""

    def __init__(self, folders: Iterable[str | Path] | None = None) -> None:
        self._schemas: dict[str, FormSchema] = {}
        self._sources: dict[str, Path] = {}
        if folders is None:
            folders = [BUILTIN_FOLDER]
        elif isinstance(folders, str | Path):
            folders = [folders]
        for folder in folders:
            self._load_folder(Path(folder))

    def _load_folder(self, folder: Path) -> None:
        if not folder.is_dir():
            raise FormSchemaError(f"form folder {str(folder)!r} does not exist")
        found: dict[str, Path] = {}
        for path in sorted(folder.glob("*.yaml")):
            for key, schema in read_schema_file(path).items():
                if key in found:
                    raise FormSchemaError(
                        f"form defined again (first in {found[key].name})", source=str(path), form=key
                    )
                found[key] = path
                self._schemas[key] = schema
                self._sources[key] = path

    def get(self, key: str) -> FormSchema:
        try:
            return self._schemas[key]
        except KeyError:
            raise FormNotFound(key) from None

    def source(self, key: str) -> Path:
        """The file a form came from, for messages to whoever maintains it."""
        self.get(key)
        return self._sources[key]

    def keys(self) -> list[str]:
        return sorted(self._schemas)

    def __contains__(self, key: object) -> bool:
        return key in self._schemas

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self._schemas)


def read_schema_file(path: Path) -> dict[str, FormSchema]:
    """Every form in one YAML file; the file is a mapping of form key to form."""
    source = str(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FormSchemaError(f"file is {size} bytes, more than the {MAX_FILE_BYTES} allowed", source=source)
    text = path.read_text(encoding="utf-8")
    try:
        _refuse_duplicate_keys(yaml.compose(text, Loader=yaml.SafeLoader), source)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FormSchemaError(f"not valid YAML: {_yaml_problem(exc)}", source=source) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FormSchemaError("the file must be a mapping of form key to form", source=source)
    return {str(key): load_schema(form, str(key), source=source) for key, form in data.items()}


def _refuse_duplicate_keys(node: Any, source: str) -> None:
    """PyYAML keeps the last of two equal keys without a word; a copied form or a second
    'required:' would then silently replace the first, so we look at the parsed nodes first."""
    seen_nodes: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen_nodes:
            continue  # aliases share nodes: visit each once
        seen_nodes.add(id(current))
        if isinstance(current, yaml.MappingNode):
            keys: set[str] = set()
            for key_node, value_node in current.value:
                if isinstance(key_node, yaml.ScalarNode):
                    if key_node.value in keys:
                        line = key_node.start_mark.line + 1
                        raise FormSchemaError(
                            f"key {key_node.value!r} appears twice (line {line})", source=source
                        )
                    keys.add(key_node.value)
                stack.extend((key_node, value_node))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def _yaml_problem(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})" if mark else problem
