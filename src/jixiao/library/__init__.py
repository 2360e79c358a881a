"""Built-in library: the indicator catalogue and the scheme templates from the seeds."""

from jixiao.library._indicators import (
    CATEGORIES,
    CATEGORY_NAMES,
    Indicator,
    IndicatorLibrary,
    IndicatorLibraryError,
    RawInput,
    get_indicator,
    get_raw_input,
    load_indicators,
    load_library,
    load_raw_inputs,
)
from jixiao.library._templates import Template, get_template, list_templates, templates_dir

__all__ = [
    "CATEGORIES",
    "CATEGORY_NAMES",
    "Indicator",
    "IndicatorLibrary",
    "IndicatorLibraryError",
    "RawInput",
    "Template",
    "get_indicator",
    "get_raw_input",
    "get_template",
    "list_templates",
    "load_indicators",
    "load_library",
    "load_raw_inputs",
    "templates_dir",
]
