"""The one build step pyproject.toml cannot say: ship the default styles inside the package.

The design card keeps the styles and fonts in the repository's top-level ``styles/``. A wheel (and
so ``pip install .`` or ``pipx install .``) carries a copy as ``publish/default_styles/``, where
``publish.styles`` looks first. An editable install copies nothing: it reads ``styles/`` itself.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

STYLES = Path(__file__).resolve().parent / "styles"


class BuildWithStyles(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "publish" / "default_styles"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(STYLES, target)


setup(cmdclass={"build_py": BuildWithStyles})
