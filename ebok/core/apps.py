from django.apps import AppConfig
from django.core.signals import request_finished
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(using="default", **kwargs):
    """`migrate` also creates the database cache table (the default shared cache without
    CACHE_URL), so no deployment step can forget `createcachetable`. Idempotent; does
    nothing when the cache is Redis."""
    from django.core.management import call_command

    # createcachetable only touches caches whose backend is a database cache.
    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "ebok.core"
    label = "core"
    verbose_name = _("Rdzeń")

    def ready(self):
        post_migrate.connect(
            create_cache_table, sender=self, dispatch_uid="ebok.core.create_cache_table"
        )
        from django_tasks.signals import task_enqueued, task_finished, task_started

        from ebok.core import (
            checks,  # noqa: F401 - registers the system checks
            requestid,
        )

        task_enqueued.connect(requestid.remember_for_task, dispatch_uid="ebok.request_id.enq")
        task_started.connect(requestid.adopt_for_task, dispatch_uid="ebok.request_id.start")
        task_finished.connect(requestid.forget_for_task, dispatch_uid="ebok.request_id.end")
        request_finished.connect(requestid.clear, dispatch_uid="ebok.request_id.clear")
