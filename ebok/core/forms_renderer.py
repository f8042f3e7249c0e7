"""Form widgets rendered by Jinja2.

Every form field on a page renders its widget (and error list) through the form renderer.
Django ships the same widget templates for both its template languages; the Jinja2 ones
render several times faster, so Django's own widget and error templates are taken from
there. Any other template (the project's own widgets, a library's) is found as before, by
the Django template engine.
"""

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist

FAST_PREFIXES = ("django/forms/widgets/", "django/forms/errors/", "django/forms/attrs.html")


class FormRenderer(BaseRenderer):
    def __init__(self):
        self.jinja2 = Jinja2()
        self.django = DjangoTemplates()

    def get_template(self, template_name):
        if template_name.startswith(FAST_PREFIXES):
            try:
                return self.jinja2.get_template(template_name)
            except TemplateDoesNotExist:
                pass
        return self.django.get_template(template_name)
