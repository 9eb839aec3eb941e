from celery import shared_task

from portal.core.outbox import outbox_flush


@shared_task(name="portal.core.flush_outbox", ignore_result=True)
def flush_outbox() -> int:
    sent, _ = outbox_flush()
    return sent
