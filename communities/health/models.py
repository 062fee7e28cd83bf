"""Worker heartbeat: the ping task writes a row, proving broker → worker → database works."""

from django.db import models


class WorkerPing(models.Model):
    marker = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.marker
