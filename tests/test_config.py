"""Where the default agent, cases and reports folders are: the checkout the package sits in,
or, for a package installed into site-packages, the folder the command runs in."""

from __future__ import annotations

from pathlib import Path

from evals import config


def test_defaults_are_in_the_checkout_the_package_sits_in():
    checkout = Path(config.__file__).resolve().parent.parent
    assert checkout == config.ROOT
    assert checkout / "cases" == config.DEFAULT_CASES and config.DEFAULT_CASES.is_dir()
    assert config.DEFAULT_AGENT.is_file()


def test_an_installed_package_takes_its_defaults_from_the_current_folder(tmp_path, monkeypatch):
    site_packages = tmp_path / "venv" / "lib" / "site-packages"
    (site_packages / "evals").mkdir(parents=True)
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.setattr(config, "__file__", str(site_packages / "evals" / "config.py"))
    monkeypatch.chdir(project)
    assert config._project_root() == project
