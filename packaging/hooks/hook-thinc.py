"""thinc for the annotator bundle (replaces pyinstaller-hooks-contrib's hook-thinc),
without thinc's test suite."""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules, copy_metadata


def _not_tests(name: str) -> bool:
    return ".tests" not in name


hiddenimports = collect_submodules("thinc", filter=_not_tests)
datas = collect_data_files("thinc", excludes=["**/tests/**"]) + copy_metadata("thinc")
