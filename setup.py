"""Packaging: the repository's data/ and tui/ folders install as klantbeheer.data and klantbeheer.tui (see docs)."""
from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

FOLDERS = ["data", "data.*", "tui", "tui.*"]


class BuildPy(build_py):
    """Only app.py of the repository's top level goes into the package, not this file."""

    def find_package_modules(self, package: str, package_dir: str) -> list[tuple[str, str, str]]:
        """The package's modules, without setup.py."""
        found = super().find_package_modules(package, package_dir)
        return [item for item in found if not (package == "klantbeheer" and item[1] != "app")]


setup(
    # klantbeheer.docs carries only the staff guide (docs/handleiding*.md, nl/fr/en), which F1 then H opens in the app
    packages=["klantbeheer", "klantbeheer.docs", *(f"klantbeheer.{name}" for name in find_packages(include=FOLDERS))],
    package_dir={"klantbeheer": "."},
    cmdclass={"build_py": BuildPy},
)
