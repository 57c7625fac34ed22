"""'Try your own photo' (Chapter 8): upload an image, see the class probabilities."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as w
import numpy as np

from utils.preprocess import photo_to_input
from utils.images import MAX_BYTES, MAX_PIXELS, ImageLoadError, load_image
from utils.widgets._base import FigureWidget

__all__ = ["PhotoClassifier", "closed_set_note"]


def closed_set_note(class_names: Sequence[str]) -> str:
    """What a softmax over ``class_names`` does and does not say, in one sentence (HTML).

    Examples
    --------
    >>> closed_set_note(["ant", "bee"])
    'The model knows only <i>ant</i> and <i>bee</i>: its probabilities always add up to 1, even for a photo of neither. They say which of these the photo is more like, not that it is one of them.'
    """
    names = [f"<i>{n}</i>" for n in class_names]
    listed = " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]
    neither = "neither" if len(names) == 2 else "none of them"
    return (f"The model knows only {listed}: its probabilities always add up to 1, even for a "
            f"photo of {neither}. They say which of these the photo is more like, not that it "
            f"is one of them.")


class PhotoClassifier(FigureWidget):
    """An upload button; the uploaded photo is classified and shown beside its probabilities.

    ``predict`` takes a ``uint8`` batch ``1×H×W×3`` (made by
    :func:`utils.preprocess.photo_to_input` at ``image_size``, as the data loader makes
    the training photos) and returns probabilities of shape ``1×len(class_names)``.
    A non-image, a corrupt file or an over-large one gives a message saying
    what to upload instead; nothing is classified. ``note`` (HTML) is shown
    under the button; by default it says what probabilities over a closed
    set of classes mean: they sum to 1 for *any* photo, even one of none of
    the classes. :meth:`classify_bytes` does
    the same from code (tests, or a photo you already have as bytes).

    Examples
    --------
    >>> predict = lambda batch: np.array([[0.25, 0.75]])    # any model: a batch of photos in, probabilities out
    >>> classifier = PhotoClassifier(predict, ["ant", "bee"], image_size=(32, 32))
    >>> import io
    >>> from PIL import Image
    >>> buffer = io.BytesIO()
    >>> Image.new("RGB", (64, 48), "green").save(buffer, format="jpeg")
    >>> classifier.classify_bytes(buffer.getvalue(), "leaf.jpg")
    array([0.25, 0.75])
    >>> classifier.message.value
    'leaf.jpg: <b>bee</b> (75%)'
    """

    def __init__(self, predict: Callable[[np.ndarray], np.ndarray], class_names: Sequence[str],
                 *, image_size: tuple[int, int] = (224, 224), max_pixels: int = MAX_PIXELS,
                 max_bytes: int = MAX_BYTES, note: str | None = None) -> None:
        self.predict, self.class_names, self.image_size = predict, list(class_names), image_size
        self.max_pixels, self.max_bytes = max_pixels, max_bytes
        self.upload = w.FileUpload(accept="image/*", multiple=False, description="Upload a photo")
        self.message = w.HTML("Upload a JPEG or PNG photo.")
        self.note = w.HTML(closed_set_note(self.class_names) if note is None else note)
        self.image: np.ndarray | None = None
        self.probabilities: np.ndarray | None = None
        super().__init__([w.HBox([self.upload, self.message]), self.note], figsize=(8, 3.2))
        self.upload.observe(self._on_upload, names="value")

    def _draw(self) -> None:
        self._ax_img, self._ax_bar = self.figure.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.3]})
        self._im = self._ax_img.imshow(np.full((*self.image_size, 3), 255, np.uint8))
        self._ax_img.set_axis_off()
        self._bars = self._ax_bar.barh(self.class_names, np.zeros(len(self.class_names)),
                                       color="#0072B2")
        self._ax_bar.set_xlim(0, 1)
        self._ax_bar.invert_yaxis()
        self._ax_bar.set_xlabel(f"probability (over these {len(self.class_names)} classes only)")

    def _refresh(self) -> None:
        if self.image is None or self.probabilities is None:
            self._ax_img.set_title("no photo yet")
            return
        self._im.set_data(self.image)
        best = int(self.probabilities.argmax())
        for i, (bar, p) in enumerate(zip(self._bars, self.probabilities)):
            bar.set_width(p)
            bar.set_color("#E69F00" if i == best else "#0072B2")
        self._ax_img.set_title(f"{self.class_names[best]}: {self.probabilities[best]:.0%}")

    def classify_bytes(self, data: bytes, name: str = "your file") -> np.ndarray | None:
        """Classify the bytes of an image file; returns the probabilities, or ``None`` on error."""
        try:
            pixels = load_image(data, max_pixels=self.max_pixels, max_bytes=self.max_bytes)
        except ImageLoadError as err:
            self.message.value = f"<b>Could not use {name}</b>: {err}"
            return None
        self.image = photo_to_input(pixels, self.image_size)
        probs = np.asarray(self.predict(self.image[None]))
        if probs.shape != (1, len(self.class_names)):
            raise ValueError(f"predict returned shape {probs.shape}; expected "
                             f"(1, {len(self.class_names)}).")
        self.probabilities = probs[0]
        best = int(self.probabilities.argmax())
        self.message.value = (f"{name}: <b>{self.class_names[best]}</b> "
                              f"({self.probabilities[best]:.0%})")
        self.update()
        return self.probabilities

    def _on_upload(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        if isinstance(files, dict):  # ipywidgets 7 (Colab): {name: {"metadata", "content"}}
            name, item = next(iter(files.items()))
        else:  # ipywidgets 8: ({"name", "type", "size", "content", "last_modified"}, ...)
            item = files[0]
            name = item.get("name", "your file")
        self.classify_bytes(bytes(item["content"]), name)
