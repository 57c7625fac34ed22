"""Interactive widgets (ipywidgets) that let learners poke at the numbers.

Each widget draws into one matplotlib figure made once and rendered to PNG
for an ``ipywidgets.Image``: an update moves or refills artists and
re-renders; it never rebuilds the figure. The widgets work in JupyterLab,
Colab and Binder, and can be driven from code (set a control's ``value``)
so tests check them without a browser. Displayed where there is no kernel
(the book's web pages), a widget shows its current picture.
"""

from utils.widgets._base import FigureWidget, render_png, widget_view
from utils.widgets.activation import ReluExplorer
from utils.widgets.adversarial import AdversarialExplorer
from utils.widgets.convolution import ConvolutionStepper, KernelEditor, StridePaddingExplorer
from utils.widgets.features import FeatureMapExplorer
from utils.widgets.pixels import PixelInspector
from utils.widgets.pooling import PoolingExplorer
from utils.widgets.softmax import SoftmaxExplorer
from utils.widgets.upload import PhotoClassifier, closed_set_note

__all__ = [
    "AdversarialExplorer",
    "ConvolutionStepper",
    "FeatureMapExplorer",
    "FigureWidget",
    "KernelEditor",
    "PhotoClassifier",
    "PixelInspector",
    "PoolingExplorer",
    "ReluExplorer",
    "SoftmaxExplorer",
    "StridePaddingExplorer",
    "render_png",
    "closed_set_note",
    "widget_view",
]
