"""utils.widgets.upload: the photo classifier, driven through its upload control."""

from __future__ import annotations

import datetime
import io

import numpy as np
import pytest
from PIL import Image

from figure_view import bar_lengths


def _jpeg(size=(50, 40), colour=(200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, format="jpeg")
    return buf.getvalue()


@pytest.fixture
def classifier():
    from utils.widgets import PhotoClassifier

    def predict(batch):
        assert batch.shape == (1, 32, 32, 3) and batch.dtype == np.uint8
        red = batch[..., 0].mean() / 255
        return np.array([[red, 1 - red]])

    return PhotoClassifier(predict, ["red", "not red"], image_size=(32, 32),
                           max_pixels=1_000_000, max_bytes=200_000)


def _send_upload(upload, name: str, content: bytes) -> None:
    """Set the upload widget's state as the browser does, for ipywidgets 7 (Colab) or 8."""
    import ipywidgets

    if ipywidgets.__version__.startswith("7."):
        upload.set_trait("metadata", [{"name": name, "type": "image/jpeg", "size": len(content),
                                       "lastModified": 0}])
        upload.set_trait("data", [content])
        upload._counter += 1  # what the 7.x front end bumps once the files are sent
    else:
        upload.value = ({"name": name, "type": "image/jpeg", "size": len(content),
                         "content": memoryview(content),
                         "last_modified": datetime.datetime(2026, 1, 1)},)


def test_upload_of_a_photo_shows_probabilities(classifier):
    png_before = classifier.view.value
    _send_upload(classifier.upload, "apple.jpg", _jpeg())
    assert classifier.probabilities is not None and classifier.probabilities.argmax() == 0
    assert "apple.jpg" in classifier.message.value and "red" in classifier.message.value
    assert classifier.view.value != png_before
    assert bar_lengths(classifier.figure.axes[1])[0] == pytest.approx(classifier.probabilities[0])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"this is a text file, not a picture", "is text, not an image"),
        (_jpeg()[:300], "corrupt or truncated"),
        (b"\xff" * 300_000, "MB limit"),
    ],
    ids=["text", "truncated", "too-big"],
)
def test_upload_errors_say_what_to_do(classifier, data, message):
    assert classifier.classify_bytes(data, "upload.png") is None
    assert "Could not use upload.png" in classifier.message.value
    assert message in classifier.message.value
    assert classifier.probabilities is None


def test_upload_of_a_huge_image_is_refused(classifier):
    buf = io.BytesIO()
    Image.new("L", (2000, 1000)).save(buf, format="png")  # 2 MP > the 1 MP limit set above
    assert classifier.classify_bytes(buf.getvalue(), "huge.png") is None
    assert "megapixels" in classifier.message.value


def test_uploaded_photos_are_prepared_like_the_training_photos(classifier, tmp_path):
    """The upload widget and the data loader both call photo_to_input: same pixels, same input."""
    from utils.data import load_image_folder
    from utils.images import load_image
    from utils.preprocess import photo_to_input

    data = _jpeg(size=(300, 200))
    (tmp_path / "red").mkdir()
    (tmp_path / "red" / "a.jpg").write_bytes(data)
    folder = load_image_folder(tmp_path, classifier.image_size)
    classifier.classify_bytes(data, "a.jpg")
    np.testing.assert_array_equal(classifier.image, folder.images[0])
    np.testing.assert_array_equal(classifier.image, photo_to_input(load_image(data), classifier.image_size))


def test_the_note_says_what_probabilities_over_a_closed_set_mean(classifier):
    from utils.widgets import PhotoClassifier
    from utils.widgets.upload import closed_set_note

    assert classifier.note.value == closed_set_note(["red", "not red"])
    assert "add up to 1" in classifier.note.value and "neither" in classifier.note.value
    assert "classes only" in classifier.figure.axes[1].get_xlabel()
    assert "none of them" in closed_set_note(["a", "b", "c"])
    custom = PhotoClassifier(lambda b: np.array([[0.5, 0.5]]), ["x", "y"], note="see <a href='#'>here</a>")
    assert custom.note.value == "see <a href='#'>here</a>" and custom.note in custom.widget.children
