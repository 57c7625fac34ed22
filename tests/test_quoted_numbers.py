"""Every number a chapter's prose quotes is guaranteed by the run.

A number in a markdown cell must appear in a checked output (a cell tagged
``nbval-check-output``, whose kept output nbval compares) or in an ``assert`` of the
same notebook — or be a definition: a shape or size written N×M, a year, a small count,
a chapter/section/exercise number, or a number inside code, maths or a link. Anything
else is listed in ``ALLOWED`` below with the reason it needs no check.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from scripts.refresh_outputs import is_checked

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

# A number as prose writes it: 150,528 · 0.963 · 18.4 · 62 % · −0.03 · 4.16
NUMBER = re.compile(r"(?<![\w.,−-])[−-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w,]\d)"
                    r"|(?<![\w.,−-])[−-]?\d+(?:\.\d+)?(?![\w]|\.\d|,\d{3})")
# What is not a quoted result: code, maths, links, headings, shapes and references.
NOT_QUOTES = [
    re.compile(r"```.*?```", re.S),                          # code blocks
    re.compile(r"`[^`]*`"),                                  # inline code
    re.compile(r"\$\$.*?\$\$", re.S), re.compile(r"\$[^$]*\$"),  # maths
    re.compile(r"\]\([^)]*\)"), re.compile(r"https?://\S+"),  # link targets
    re.compile(r"^#+ .*$", re.M),                            # headings
    re.compile(r"^\s*(?:\d+\.|[-*])\s", re.M),               # list markers
    re.compile(r"\d+(?:\s*×\s*\d+)+"),                       # shapes and sizes: 224×224×3
    re.compile(r"\b(?:Chapters?|Sections?|Exercises?|Parts?|step|ch\.|Ch\.)\s+\d+(?:\s*(?:,|and|–|-|to)\s*\d+)*",
               re.I),
    re.compile(r"\b(?:19|20)\d\d\b"),                        # years
    re.compile(r"^\*\*Time\.\*\*.*$", re.M),                  # reading-time estimates
]
SMALL = 12  # integers up to this are counts and settings ("3 channels", "stride 2", "10 classes")

#: Numbers that are definitions or conventions, not results of the run, per notebook, with why.
ALLOWED: dict[str, dict[str, str]] = {
    "*": {
        "255": "the largest 8-bit value (a definition)",
        "224": "the input size of ImageNet networks (a definition)",
        "16": "a layer's number of filters, set in the code",
        "32": "batch size or filters, set in the code",
        "64": "filters, set in the code",
        "128": "units, set in the code",
        "1,000": "ImageNet's number of classes (a definition)",
        "1000": "ImageNet's number of classes (a definition)",
    },
    "01_pixels": {
        "97": "an illustration of what a classifier says, not a result",
        "0.2125": "scikit-image's luminance weights (a definition, used in the code below)",
        "0.7154": "scikit-image's luminance weights (a definition, used in the code below)",
        "0.0721": "scikit-image's luminance weights (a definition, used in the code below)",
        "250": "the operand of the wrap-around example, in the code below",
        "260": "250 + 10, the sum the example makes",
    },
    "02_convolution": {
        "405,900": "300×451×3, the photo's size (Chapter 1 prints it)",
        "27": "3×3×3, the weights of one colour kernel (arithmetic in the sentence)",
        "40": "1 − 0.61, from the checked output above",
        "49": "7 × 7 output positions of the example, written out in the sentence",
        "100": "10 × 10 inputs of the example (the code prints 100 × 49 = 4900)",
    },
    "03_relu": {
        "15": "the number of epochs, set in the code",
        "0.3": "the default of keras.layers.LeakyReLU, asserted in the solution",
        "100": "a hypothetical stack of 100 layers, not a result",
    },
    "04_pooling": {
        "100": "the shift, set in the code (framed(32) vs framed(132))",
    },
    "05_dense_softmax_learning": {
        "30": "3.0 / 0.105 (both printed above): about 30 times",
        "5": "the probability of the example (a definition): 5 %",
        "0.5": "the learning rate of the example above, set in the code",
        "90": "the probability of the example (a definition): 90 %",
    },
    "06_training_a_cnn": {
        "70,000": "Fashion-MNIST's size (a definition of the data set)",
        "30": "the size of the Fashion-MNIST download (registry)",
        "376": "188 MB as float64 instead of float32 (arithmetic in the sentence)",
        "6,000": "n_val = 6000, set in the code",
        "54,000": "60,000 − 6,000 training images, set in the code",
        "20": "epochs of the overfitting runs, set in the code",
        "124": "VGG16's dense head, 123,642,856 parameters (Chapter 7 prints it)",
        "0.5": "124 million float32 parameters, 0.5 GB (arithmetic)",
        "0.005": "the learning rate, set in the code",
        "5,000": "the exercise's training subset (a setting)",
        "80": "the exercise's target accuracy (a setting)",
        "100,000": "the exercise's parameter limit (a setting)",
    },
    "07_pretrained_features": {
        "54,000": "Chapter 6's training images, 60,000 − 6,000 (Chapter 6 prints them)",
        "1.3": "ImageNet's training set, 1.3 million photos (published)",
        "120": "ImageNet's dog breeds (published)",
        "528": "the size of VGG16's published weights file (Keras Applications)",
        "124": "VGG16's dense head, 123,642,856 parameters, printed above",
        "71": "published top-1 accuracy (Keras Applications), not a result of this notebook",
        "65": "published top-1 accuracy of MobileNetV2 width 0.5 (Keras Applications)",
        "0.7": "706,224 parameters, printed above, in millions",
        "0.5": "the width multiplier, set in the code",
        "80": "the shift, set in the code (on_canvas(0) vs on_canvas(80))",
    },
    "08_transfer_learning": {
        "124": "the download's ants; one is a placeholder the loader skips (it prints 123)",
        "1,280": "MobileNetV2's last feature maps (Chapter 7 prints 7×7×1280)",
        "2,562": "1,280 × 2 + 2, the head's weights and biases (arithmetic)",
        "1.3": "ImageNet's training set, 1.3 million photos (published)",
        "25": "epochs set in the code; and an example of the exercise's format (0.25 for 25 points)",
        "0.25": "an example of the answer's format in the exercise",
        "0.65": "1 / 153 validation photos (arithmetic in the sentence)",
        "15": "block 15, a layer's name in the exercise",
    },
    "09_when_cnns_fail": {
        "20,000": "training images for the quick classifier, set in the code",
        "1,280": "MobileNetV2's pooled features (Chapter 7 prints 7×7×1280)",
        "500": "the test images searched for an easy flip, set in the code",
        "150,528": "224 × 224 × 3 inputs (arithmetic in the sentence)",
        "192": "150,528 / 784 (arithmetic in the sentence)",
        "153": "the validation photos (Chapter 8 prints 70 ants and 83 bees)",
        "34.7": "published: Buolamwini and Gebru (2018), largest error rate, darker-skinned women",
        "0.8": "published: Buolamwini and Gebru (2018), largest error rate, lighter-skinned men",
        "95": "the share of insects the exercise's threshold lets through (a choice, set in the code)",
        "130": "published: Winkler et al. (2019), the lesions shown to the CNN",
        "84.1": "published: Winkler et al. (2019), specificity without skin markings",
        "45.8": "published: Winkler et al. (2019), specificity with skin markings",
        "79.6": "published: Buolamwini and Gebru (2018), lighter-skinned share of IJB-A",
        "86.2": "published: Buolamwini and Gebru (2018), lighter-skinned share of Adience",
        "70": "published: Daneshjou et al. (2021), the studies reviewed",
        "14": "published: Daneshjou et al. (2021), studies describing ethnicity or race",
        "17": "the name of the Fitzpatrick 17k data set (Groh et al., 2021)",
    },
}


def prose_numbers(markdown: str) -> list[str]:
    """The numbers ``markdown`` quotes as results (see the module docstring)."""
    for pattern in NOT_QUOTES:
        markdown = pattern.sub(" ", markdown)
    found = []
    for m in NUMBER.finditer(markdown):
        text = m.group(0).replace("−", "-")
        if re.match(r"\s?%", markdown[m.end():]):
            text += "%"
        value = text.lstrip("-").replace(",", "")
        if "." not in value and "%" not in value and int(value) <= SMALL:
            continue
        found.append(text)
    return found


def _normalise(number: str) -> set[str]:
    """The ways ``number`` may be written in an output: 150,528 / 150528, 62% / 0.62, -0.03."""
    if number.endswith("%"):
        percent = number[:-1]
        fraction = f"{float(percent.replace(',', '')) / 100:g}"
        return {percent + "%", percent + " %", fraction, fraction.lstrip("0") if fraction.startswith("0.") else fraction}
    plain = number.replace(",", "")
    forms = {number, plain, plain.lstrip("-")}
    if "." not in plain and len(plain.lstrip("-")) > 3:
        forms.add(f"{int(plain):,}")
    return forms


def backing(nb) -> str:
    """Checked outputs and assert statements of a notebook, as one text."""
    parts = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        parts += [line for line in cell.source.splitlines() if line.lstrip().startswith("assert")]
        if is_checked(cell):
            for out in cell.outputs:
                parts.append(out.get("text", "") or "")
                parts.append(str(out.get("data", {}).get("text/plain", "")))
    return "\n".join(parts).replace("−", "-")


def unchecked_numbers(nb, stem: str) -> list[str]:
    """Numbers in ``nb``'s prose that no checked output or assertion backs."""
    backed = backing(nb)
    allowed = {**ALLOWED["*"], **ALLOWED.get(stem, {})}
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for number in prose_numbers(cell.source):
            bare = number.rstrip("%")
            if number in allowed or bare in allowed or bare.lstrip("-") in allowed:
                continue
            if not any(re.search(rf"(?<![\d.]){re.escape(f)}(?![\d]|\.\d)", backed)
                       for f in _normalise(number)):
                problems.append(f"{stem} cell {i}: {number}")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_quoted_number_is_checked_by_the_run(path):
    problems = unchecked_numbers(nbformat.read(path, as_version=4), path.stem)
    assert not problems, ("numbers in the prose that no checked output or assertion backs "
                          "(check them, reword, or add them to ALLOWED with a reason):\n"
                          + "\n".join(problems))


def test_an_unchecked_number_is_caught():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("Sharpening multiplies the differences by 3.8; "
                                              "a 3×3 kernel, in 2012, in Chapter 14, `x = 99`."),
                nbformat.v4.new_code_cell("print(3.8)")]
    assert unchecked_numbers(nb, "demo") == ["demo cell 0: 3.8"]
    nb.cells[1].metadata["tags"] = ["nbval-check-output"]
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="3.8\n")]
    assert unchecked_numbers(nb, "demo") == []


def test_prose_numbers_skips_definitions():
    text = ("## 5. Pooling\n\nA 224×224×3 image (AlexNet, 2012) in Chapter 7 and Exercise 2, "
            "`Dense(128)`, $0.2126 R$, [link](https://x.org/1603.07285): 150,528 numbers, 0.963, "
            "62 %, −0.03 and 7 channels.")
    assert prose_numbers(text) == ["150,528", "0.963", "62%", "-0.03"]


def test_a_percentage_is_backed_by_its_fraction():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("ReLU passes 90 % accuracy, sigmoid stays at 55 %."),
                nbformat.v4.new_code_cell("assert acc > 0.9")]
    assert unchecked_numbers(nb, "demo") == ["demo cell 0: 55%"]
