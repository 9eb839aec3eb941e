"""Category colours: every colour of the palette is readable as a stripe or swatch in both
themes, the existing categories got distinct ones, and the pages show them."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

from portal.forums.models import Category, CategoryColour
from tests.forums.factories import TopicFactory

SITE_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"


def _css_pair(name: str) -> tuple[str, str]:
    found = re.search(
        rf"--{name}: light-dark\((#[0-9a-f]{{3,6}}), (#[0-9a-f]{{3,6}})\);", SITE_CSS.read_text()
    )
    assert found, f"--{name} is not in site.css"
    return found.group(1), found.group(2)


def _luminance(hex_colour: str) -> float:
    digits = hex_colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("colour", CategoryColour.values)
@pytest.mark.parametrize("background", ["paper", "surface", "panel"])
def test_every_category_colour_stands_out_in_both_themes(colour, background):
    """WCAG 1.4.11: a graphic that carries meaning needs 3:1 against what is around it."""
    light, dark = _css_pair(f"category-{colour}")
    light_bg, dark_bg = _css_pair(background)
    assert _contrast(light, light_bg) >= 3, (colour, "light")
    assert _contrast(dark, dark_bg) >= 3, (colour, "dark")


@pytest.mark.django_db
def test_the_migration_gives_the_existing_categories_distinct_colours():
    migration = importlib.import_module("portal.forums.migrations.0013_category_colours")
    Category.objects.update(colour=CategoryColour.SLATE)
    migration.give_each_category_its_colour(apps, None)
    colours = list(Category.objects.order_by("order", "name").values_list("colour", flat=True))
    first = colours[: len(CategoryColour.values)]
    assert len(set(first)) == len(first)
    assert colours[0] == "red"


@pytest.mark.django_db
def test_new_databases_seed_distinct_colours_too():
    colours = list(Category.objects.order_by("order").values_list("colour", flat=True))
    assert len(set(colours[:12])) == min(12, len(colours))


@pytest.mark.django_db
def test_the_colour_shows_on_the_index_the_lists_and_the_topic(client):
    topic = TopicFactory()
    colour = topic.category.colour
    swatch = f'<span class="category-swatch category-colour-{colour}" aria-hidden="true">'
    assert (
        f'class="category-row category-colour-{colour}"'
        in client.get(reverse("forums:index")).content.decode()
    )
    assert swatch in client.get(reverse("forums:latest")).content.decode()
    assert swatch in client.get(topic.get_absolute_url()).content.decode()
    assert swatch in client.get(topic.category.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_colour_outside_the_palette_is_refused():
    from django.core.exceptions import ValidationError

    category = Category.objects.first()
    category.colour = "#ffff00"
    with pytest.raises(ValidationError):
        category.full_clean()
