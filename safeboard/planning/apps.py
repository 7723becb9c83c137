from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "safeboard.planning"
    label = "planning"
    verbose_name = "Planning: business plan, actions, risks and challenge"
