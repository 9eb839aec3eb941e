"""``{% hole "name" %}``: where a personal piece goes in a page's shared part
(portal/core/reader_cache.py). ``{% hole "csrf" %}`` stands for ``{% csrf_token %}``."""

from django import template

from portal.core import reader_cache

register = template.Library()


@register.simple_tag
def hole(name: str):
    return reader_cache.hole(name)
