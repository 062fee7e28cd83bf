"""URLs of "wie weet wat" (the paths are fixed in the interface contract)."""

from django.urls import path

from knowledge.views import experts, insights, notifications, questions, surveys, wishes

urlpatterns = [
    path("experts/", experts.experts, name="experts"),
    path("experts/<int:user_id>/", experts.expert_profile, name="expert_profile"),
    path("me/expertise/", experts.expertise_settings, name="expertise_settings"),
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("notifications/read/", notifications.notifications_read, name="notifications_read"),
    path("questions/", questions.question_list_view, name="question_list"),
    path("questions/new/", questions.question_create, name="question_create"),
    path("questions/insights/", insights.knowledge_insights, name="knowledge_insights"),
    path("questions/<int:question_id>/", questions.question_detail, name="question_detail"),
    path("questions/<int:question_id>/answers/", questions.answer_create, name="answer_create"),
    path("questions/<int:question_id>/post/", questions.question_post_view, name="question_post"),
    path("questions/<int:question_id>/wish/", questions.question_wish_view, name="question_wish"),
    path(
        "questions/answers/<int:answer_id>/accept/",
        questions.answer_accept_view,
        name="answer_accept",
    ),
    path(
        "questions/answers/<int:answer_id>/helpful/",
        questions.answer_helpful,
        name="answer_helpful",
    ),
    path(
        "questions/answers/<int:answer_id>/takeaway/",
        questions.answer_takeaway,
        name="answer_takeaway",
    ),
    path("wishes/", wishes.wish_list_view, name="wish_list"),
    path("wishes/new/", wishes.wish_create_view, name="wish_create"),
    path("wishes/surveys/", surveys.survey_list_view, name="survey_list"),
    path("wishes/surveys/new/", surveys.survey_create_view, name="survey_create"),
    path("wishes/surveys/<int:survey_id>/", surveys.survey_detail, name="survey_detail"),
    path(
        "wishes/surveys/<int:survey_id>/answer/",
        surveys.survey_respond_view,
        name="survey_respond",
    ),
    path(
        "wishes/surveys/<int:survey_id>/results/",
        surveys.survey_results_view,
        name="survey_results",
    ),
    path("wishes/surveys/<int:survey_id>/close/", surveys.survey_close_view, name="survey_close"),
    path(
        "wishes/surveys/<int:survey_id>/topics/<int:topic_id>/wish/",
        surveys.survey_topic_wish_view,
        name="survey_topic_wish",
    ),
    path("wishes/<int:wish_id>/", wishes.wish_detail, name="wish_detail"),
    path("wishes/<int:wish_id>/interest/", wishes.wish_interest, name="wish_interest"),
    path("wishes/<int:wish_id>/plan/", wishes.wish_plan_view, name="wish_plan"),
    path("wishes/<int:wish_id>/poll/", wishes.poll_create_view, name="poll_create"),
    path("wishes/<int:wish_id>/poll/vote/", wishes.poll_vote_view, name="poll_vote"),
    path("wishes/<int:wish_id>/poll/schedule/", wishes.poll_schedule_view, name="poll_schedule"),
]
