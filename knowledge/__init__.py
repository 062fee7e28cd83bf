"""Wie weet wat: expertise (opt-in, with evidence), questions and answers, topic wishes that
become sessions, date polls, and the in-app notifications that route them."""
