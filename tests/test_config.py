"""Configuration: instance folder, environment variables and the secret key."""

from __future__ import annotations

import stat

from quiz import create_app


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("LATERAL_INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.setenv("LATERAL_DATABASE", str(tmp_path / "a.db"))
    monkeypatch.delenv("LATERAL_SECRET_KEY", raising=False)
    first = create_app()
    second = create_app()
    key_file = tmp_path / "inst" / "secret_key"
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first.config["SECRET_KEY"]) >= 32
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert first.config["SECRET_KEY"] == key_file.read_text().strip()


def test_environment_variables_configure_the_app(tmp_path, monkeypatch):
    monkeypatch.setenv("LATERAL_INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.setenv("LATERAL_DATABASE", str(tmp_path / "elsewhere.db"))
    monkeypatch.setenv("LATERAL_SECRET_KEY", "from-the-environment")
    app = create_app()
    assert app.config["DATABASE"] == str(tmp_path / "elsewhere.db")
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert (tmp_path / "elsewhere.db").exists()
    assert not (tmp_path / "inst" / "secret_key").exists()


def test_instance_config_file_is_read(tmp_path, monkeypatch):
    inst = tmp_path / "inst"
    inst.mkdir()
    (inst / "config.py").write_text(
        f"DATABASE = {str(tmp_path / 'cfg.db')!r}\nBASE_URL = 'https://quiz.example'\n"
    )
    monkeypatch.setenv("LATERAL_INSTANCE_PATH", str(inst))
    monkeypatch.delenv("LATERAL_DATABASE", raising=False)
    app = create_app()
    assert app.config["DATABASE"] == str(tmp_path / "cfg.db")
    assert app.config["BASE_URL"] == "https://quiz.example"


def test_default_database_lives_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("LATERAL_INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.delenv("LATERAL_DATABASE", raising=False)
    app = create_app()
    assert app.config["DATABASE"] == str(tmp_path / "inst" / "lateral.db")
    assert (tmp_path / "inst" / "lateral.db").exists()


def test_the_objects_made_at_start_are_kept_out_of_the_garbage_collectors_walks(app):
    import gc

    # create_app() froze what starting made: a collection walks only what requests make.
    assert gc.get_freeze_count() > 0
    assert app.config["SESSION_REFRESH_EACH_REQUEST"] is False


def test_the_garbage_collector_is_set_once_for_the_process_at_start(app):
    import gc

    from quiz import GC_THRESHOLDS

    # Nothing in a request switches it off or on: it stays on, with the thresholds set
    # when the process made its first app.
    assert gc.isenabled()
    assert gc.get_threshold() == GC_THRESHOLDS
    assert gc.get_freeze_count() > 0
