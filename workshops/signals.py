"""Keep workshops' involvements (WorkshopInvolvement) current when an exchange they serve changes partners or is
deleted: a workshop involves the partners of the exchanges it serves. A workshop's own changes are handled when
it is saved (WorkshopPage.save)."""

from django.db.models.signals import post_delete, post_save, pre_delete

from matchmaking.models import Exchange
from workshops.models import WorkshopPage


def exchange_saved(instance, raw=False, **kwargs):
    if not raw:
        WorkshopPage.objects.filter(exchanges=instance).refresh_involvements()


def exchange_deleting(instance, **kwargs):
    # The workshops' links to it go with it: note them now, refresh them once it is gone.
    instance._serving_workshops = list(WorkshopPage.objects.filter(exchanges=instance).values_list("pk", flat=True))


def exchange_deleted(instance, **kwargs):
    WorkshopPage.objects.filter(pk__in=getattr(instance, "_serving_workshops", [])).refresh_involvements()


def connect():
    post_save.connect(exchange_saved, sender=Exchange, dispatch_uid="workshop-involvements-exchange-saved")
    pre_delete.connect(exchange_deleting, sender=Exchange, dispatch_uid="workshop-involvements-exchange-deleting")
    post_delete.connect(exchange_deleted, sender=Exchange, dispatch_uid="workshop-involvements-exchange-deleted")
