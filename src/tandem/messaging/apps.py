from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "tandem.messaging"
    label = "messaging"
    verbose_name = "Messaging"
