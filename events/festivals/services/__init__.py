"""Writes of festivals: proposals, the programme, the day itself, speaker pages."""
