"""Board pages, one module per sub-domain. Thin: a selector reads (and decides who may see
what), a form validates, a service acts, and the view redirects or renders."""
