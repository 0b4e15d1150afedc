"""spaCy for the annotator bundle (replaces pyinstaller-hooks-contrib's hook-spacy).

Same as the contrib hook - every submodule (languages are imported by name) and the
data files (default configs, language data) - minus spaCy's own test suite.
"""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules, copy_metadata


def _not_tests(name: str) -> bool:
    return ".tests" not in name


hiddenimports = collect_submodules("spacy", filter=_not_tests)
datas = collect_data_files("spacy", excludes=["**/tests/**"]) + copy_metadata("spacy")
