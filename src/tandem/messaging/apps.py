from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "tandem.messaging"
    label = "messaging"
    verbose_name = "Messaging"

    def ready(self) -> None:
        from tandem.messaging.subscribers import subscribe_notifications

        subscribe_notifications()
