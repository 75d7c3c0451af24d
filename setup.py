"""Packaging hook: put the default Word templates from templates/ into the wheel.

templates/ is where the defaults live, beside the script that makes them and
where a council looks for them (README.md, "Restyling the Word template").
An installed eqplan has no templates/ folder, so building the package copies
templates/action-plan-*.docx and cover-report.docx into pipeline/render/templates/, where
default_template and default_cover_template (pipeline/render/template_file.py) find them.
One copy is kept by hand;
the packaged one is made at build time and never committed. Everything else
about the package is in pyproject.toml.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
TEMPLATES = ("action-plan-rag.docx", "action-plan-outcomes.docx", "cover-report.docx")


class BuildWithTemplates(build_py):
    """build_py, plus the default Word templates copied into the package."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "pipeline" / "render" / "templates"
        self.mkpath(str(target))
        for name in TEMPLATES:
            source = HERE / "templates" / name
            if not source.is_file():
                raise SystemExit(
                    f"templates/{name} is missing: run 'make templates' before packaging eqplan."
                )
            self.copy_file(str(source), str(target / name))


setup(cmdclass={"build_py": BuildWithTemplates})
