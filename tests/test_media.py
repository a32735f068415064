"""Images in sets (issue 16): checked on upload, stored by content, served for good,
shown to students, carried by the set file's download (a .zip) and upload."""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib

import pytest

from quiz.sets.media import ImageRefused, inspect

from .world import ROOT, load_set, text_of

ALT = "A schematic map: Crimea in the Black Sea, Belarus to the north. Not to scale."
TEXTS = {
    "alt": ALT,
    "caption": "Schematic map, not to scale",
    "credit": "Drawn for Lateral",
    "licence": "CC BY 4.0",
}
SVG_HEAD = b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30">'
MAP = ROOT / "questions" / "media" / "schematic-map-crimea-border.svg"


def png(width: int = 3, height: int = 2) -> bytes:
    """A real, tiny PNG (grey pixels) of the size asked for."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def media_rows(db) -> int:
    return db.execute("SELECT count(*) FROM media").fetchone()[0]


def upload_image(client, slug: str, content: bytes, name: str, **texts):
    data = {**TEXTS, **texts, "file": (io.BytesIO(content), name)}
    return client.post(
        f"/teach/sets/{slug}/questions/video/image", data=data, content_type="multipart/form-data"
    )


def draft_image(db, slug: str) -> dict | None:
    row = db.execute(
        "SELECT d.body FROM set_draft d JOIN question_set s ON s.id = d.set_id WHERE s.slug = ?",
        [slug],
    ).fetchone()
    question = next(q for q in json.loads(row[0])["questions"] if q["id"] == "video")
    return question.get("image")


# The checks on an image's bytes -----------------------------------------------------


HOSTILE_SVGS = {
    "svg-element": SVG_HEAD + b"<script>alert(1)</script></svg>",
    "svg-event": SVG_HEAD + b'<rect width="5" height="5" onclick="alert(1)"/></svg>',
    "svg-link": SVG_HEAD.replace(b">", b' xmlns:xlink="http://www.w3.org/1999/xlink">', 1)
    + b'<use xlink:href="https://evil.example/x.svg#a"/></svg>',
    "svg-url": SVG_HEAD + b'<rect width="5" height="5" fill="url(https://evil.example/a)"/></svg>',
    "svg-style": SVG_HEAD + b"<style>@import url(#a);</style></svg>",
}


@pytest.mark.parametrize("rule", HOSTILE_SVGS)
def test_an_svg_that_could_run_or_load_something_is_refused_naming_the_rule(rule):
    with pytest.raises(ImageRefused) as refused:
        inspect(HOSTILE_SVGS[rule], "map.svg")
    assert refused.value.rule == rule
    assert "map.svg" in refused.value.message


def test_an_svg_with_a_foreign_object_or_a_dtd_is_refused():
    foreign = SVG_HEAD + b"<foreignObject><p>hi</p></foreignObject></svg>"
    with pytest.raises(ImageRefused, match="foreignObject"):
        inspect(foreign, "map.svg")
    entity = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "boom">]>' + SVG_HEAD + b"&x;</svg>"
    with pytest.raises(ImageRefused):
        inspect(entity, "map.svg")


def test_images_are_refused_by_size_type_name_and_dimensions():
    with pytest.raises(ImageRefused) as big:
        inspect(png() + b"\0" * (1024 * 1024), "big.png")
    assert big.value.rule == "size" and "at most 1 MB" in big.value.message
    with pytest.raises(ImageRefused) as text:
        inspect(b"just some text, not an image", "notes.png")
    assert text.value.rule == "type"
    with pytest.raises(ImageRefused) as named:
        inspect(png(), "photo.jpg")
    assert named.value.rule == "extension" and ".png" in named.value.message
    with pytest.raises(ImageRefused) as huge:
        inspect(png(5000, 1), "wide.png")
    assert huge.value.rule == "dimensions"


def test_the_shipped_map_passes_and_its_size_is_read_from_the_file():
    picture = inspect(MAP.read_bytes(), MAP.name)
    assert picture.type == "image/svg+xml"
    assert (picture.width, picture.height) == (732, 776)


# The editor: upload with alt text required ----------------------------------------------


def test_a_teacher_adds_an_image_to_a_question_and_it_is_stored_by_its_hash(world, db):
    ana = world.signed_in("teacher_a")
    slug = world.own_set("teacher_a")
    response = upload_image(ana, slug, png(), "my map.png")
    assert response.status_code == 303
    stored = draft_image(db, slug)
    assert stored["file"] == "media/my-map.png"
    assert stored["alt"] == ALT and (stored["width"], stored["height"]) == (3, 2)
    row = db.execute("SELECT type, size FROM media WHERE sha256 = ?", [stored["sha256"]]).fetchone()
    assert tuple(row) == ("image/png", len(png()))


def test_an_image_without_alt_text_is_refused_and_nothing_is_stored(world, db):
    ana = world.signed_in("teacher_a")
    slug = world.own_set("teacher_a")
    response = upload_image(ana, slug, png(), "map.png", alt="")
    assert response.status_code == 422
    assert "Write the alt text" in text_of(response.get_data(as_text=True))
    assert draft_image(db, slug) is None
    assert media_rows(db) == 0


def test_a_hostile_svg_upload_gets_a_422_naming_the_rule_and_nothing_is_stored(world, db):
    ana = world.signed_in("teacher_a")
    slug = world.own_set("teacher_a")
    response = upload_image(ana, slug, HOSTILE_SVGS["svg-element"], "map.svg")
    assert response.status_code == 422
    assert "only static drawing elements are allowed" in text_of(response.get_data(as_text=True))
    assert draft_image(db, slug) is None and media_rows(db) == 0


def test_replacing_and_removing_a_question_image(world, db):
    ana = world.signed_in("teacher_a")
    slug = world.own_set("teacher_a")
    upload_image(ana, slug, png(), "first.png")
    first = draft_image(db, slug)["sha256"]
    upload_image(ana, slug, png(4, 4), "second.png")
    assert draft_image(db, slug)["sha256"] != first
    assert draft_image(db, slug)["file"] == "media/second.png"
    response = ana.post(f"/teach/sets/{slug}/questions/video/image/remove")
    assert response.status_code == 303
    assert draft_image(db, slug) is None


# Serving, and the student's view ---------------------------------------------------------


def test_an_image_is_served_for_good_with_nosniff_and_svg_sandboxed(app, db_path, world):
    load_set(db_path, ROOT / "questions" / "russia-troops-feb-2022.toml")
    code = world.session("russia-troops-feb-2022")
    q = world.join(code).question(code, "belarus-border")
    sha = q["image"]["sha256"]
    client = world.anonymous()
    response = client.get(f"/media/{sha}.svg")
    assert response.status_code == 200
    assert response.data == MAP.read_bytes()
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert client.get(f"/media/{sha}.png").status_code == 404
    assert client.get(f"/media/{'0' * 64}.svg").status_code == 404
    assert client.get("/media/../../etc/passwd").status_code == 404
    # A signed-in teacher's pages are no-store (issue 13); the same image stays cacheable.
    teacher = world.signed_in("teacher_a").get(f"/media/{sha}.svg")
    assert teacher.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_published_image_is_shown_to_students_with_caption_credit_and_licence(world, db):
    ana = world.signed_in("teacher_a")
    slug = world.own_set("teacher_a")
    upload_image(ana, slug, png(), "map.png")
    world.publish(slug)
    code = world.session(slug, feedback="now")
    ada = world.join(code)
    page = ada.client.get(f"/play/{code}").get_data(as_text=True)
    sha = draft_image(db, slug)["sha256"]
    assert f'src="/media/{sha}.png"' in page
    assert f'alt="{ALT}"' in page
    shown = text_of(page)
    assert "Schematic map, not to scale" in shown
    assert "Credit: Drawn for Lateral · Licence: CC BY 4.0" in shown


# The set file carries its images ---------------------------------------------------------


def test_a_set_with_images_downloads_as_a_zip_and_uploads_back_with_them(world, db):
    ana = world.signed_in("teacher_a")
    slug = world.own_set("teacher_a")
    upload_image(ana, slug, png(), "map.png")
    response = ana.get(f"/teach/sets/{slug}/download/toml")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('.zip"')
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert set(archive.namelist()) == {"media/map.png", f"{slug}.toml"}
    assert archive.read("media/map.png") == png()
    assert 'file = "media/map.png"' in archive.read(f"{slug}.toml").decode()

    db.execute("DELETE FROM media")  # the upload must bring the image itself
    back = ana.post(
        "/teach/upload",
        data={"file": (io.BytesIO(response.data), "set.zip")},
        content_type="multipart/form-data",
    )
    assert back.status_code == 303, text_of(back.get_data(as_text=True))[:500]
    new_slug = back.headers["Location"].rstrip("/").split("/")[-1]
    assert new_slug != slug
    image = draft_image(db, new_slug)
    assert image["file"] == "media/map.png" and image["alt"] == ALT
    assert media_rows(db) == 1


def test_a_set_without_images_still_downloads_as_plain_toml(world):
    ana = world.signed_in("teacher_a")
    slug = world.own_set("teacher_a")
    response = ana.get(f"/teach/sets/{slug}/download/toml")
    assert response.headers["Content-Disposition"].endswith('.toml"')
    assert response.data.startswith(b"#")


def test_a_zip_whose_image_is_missing_is_refused_with_the_file_named(world, db):
    ana = world.signed_in("teacher_a")
    slug = world.own_set("teacher_a")
    upload_image(ana, slug, png(), "map.png")
    archive = zipfile.ZipFile(io.BytesIO(ana.get(f"/teach/sets/{slug}/download/toml").data))
    stripped = io.BytesIO()
    with zipfile.ZipFile(stripped, "w") as out:
        out.writestr(f"{slug}.toml", archive.read(f"{slug}.toml"))
    before = db.execute("SELECT count(*) FROM question_set").fetchone()[0]
    response = ana.post(
        "/teach/upload",
        data={"file": (io.BytesIO(stripped.getvalue()), "set.zip")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "media/map.png" in text_of(response.get_data(as_text=True))
    assert db.execute("SELECT count(*) FROM question_set").fetchone()[0] == before


def test_the_room_screen_and_the_guide_show_the_map_and_the_guide_the_rubrics(db_path, world):
    load_set(db_path, ROOT / "questions" / "russia-troops-feb-2022.toml")
    code = world.session("russia-troops-feb-2022", owner="teacher_a")
    q = next(x for x in world.loaded(code).questions if x["id"] == "belarus-border")
    ana = world.signed_in("teacher_a")
    room = ana.get(f"/run/{code}/room/{q['pk']}").get_data(as_text=True)
    assert f'src="/media/{q["image"]["sha256"]}.svg"' in room
    assert "Credit: Drawn for Lateral · Licence: CC BY 4.0" in text_of(room)
    guide = text_of(ana.get("/sets/russia-troops-feb-2022/guide").get_data(as_text=True))
    assert q["image"]["note"] in guide
    assert "Outside the article: Where to look: search a news archive" in guide
    assert "Gives the chain as Reuters states it" in guide  # a Mastery descriptor


def test_the_led_room_screen_shows_the_image_before_and_after_the_reveal(db_path, world):
    load_set(db_path, ROOT / "questions" / "russia-troops-feb-2022.toml")
    code = world.session("russia-troops-feb-2022", owner="teacher_a", pace="led", feedback="reveal")
    q = next(x for x in world.loaded(code).questions if x["id"] == "belarus-border")
    ana = world.signed_in("teacher_a")
    assert ana.post(f"/run/{code}/goto", data={"number": str(q["number"])}).status_code == 303
    src = f'src="/media/{q["image"]["sha256"]}.svg"'
    room = ana.get(f"/run/{code}/room").get_data(as_text=True)
    assert room.count(src) == 1
    assert "Credit: Drawn for Lateral · Licence: CC BY 4.0" in text_of(room)
    assert ana.post(f"/run/{code}/questions/{q['pk']}/reveal").status_code == 303
    # The reveal's first step is the votes; its second, the Why and evidence, has the image.
    room = ana.get(f"/run/{code}/room").get_data(as_text=True)
    assert "Correct" in text_of(room) and room.count(src) == 0
    assert ana.post(f"/run/{code}/questions/{q['pk']}/why").status_code == 303
    room = ana.get(f"/run/{code}/room").get_data(as_text=True)
    assert "Why" in text_of(room) and room.count(src) == 1
