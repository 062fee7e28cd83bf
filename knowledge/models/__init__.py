"""The models of "wie weet wat", one module per topic."""

from knowledge.models.expertise import ExpertiseProfile, ExpertiseTopic
from knowledge.models.notifications import Notification
from knowledge.models.questions import Answer, AnswerHelpful, Question
from knowledge.models.surveys import Survey, SurveyRating, SurveyResponse, SurveyTopic
from knowledge.models.wishes import DatePoll, PollOption, PollVote, Wish, WishInterest

__all__ = [
    "Answer",
    "AnswerHelpful",
    "DatePoll",
    "ExpertiseProfile",
    "ExpertiseTopic",
    "Notification",
    "PollOption",
    "PollVote",
    "Question",
    "Survey",
    "SurveyRating",
    "SurveyResponse",
    "SurveyTopic",
    "Wish",
    "WishInterest",
]
