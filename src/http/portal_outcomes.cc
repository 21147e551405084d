// What a patient gives back through the portal (the patient issue, parts 4 and 5): the MSK-HQ at
// baseline and at discharge (/portal/questionnaire), the Friends and Family Test after discharge
// (/portal/feedback), and a request to be seen again during a follow-up window (/portal/follow-up);
// and the treating clinician's discharge (POST /api/v1/referrals/discharge). The questionnaire's
// wording is the service's own, licensed file (config/questionnaire.h). Each action goes through
// workflow/outcomes.h or workflow/discharge.h, in one transaction with its event and audit row.
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "config/questionnaire.h"
#include "http/app_internal.h"
#include "http/errors.h"
#include "workflow/discharge.h"
#include "workflow/outcomes.h"

namespace tendon::http {
namespace {

using nlohmann::json;

constexpr std::string_view kTitle = "Your muscle and joint health questionnaire";
constexpr std::string_view kFftTitle = "Tell us about your experience";

// The service's MSK-HQ wording, loaded once; unset when the service provides none, and the
// questionnaire then cannot be offered.
struct Wording {
  std::optional<config::MskhqWording> mskhq;
};

json FieldErrors(const std::vector<workflow::FieldError>& errors) {
  json out = json::array();
  for (const workflow::FieldError& e : errors) {
    out.push_back({{"field", e.field}, {"message", Sentence(e.message)}});
  }
  return out;
}

json FormJson(const Form& form) {
  json body = json::object();
  for (const auto& [name, value] : form) {
    if (name != "csrf_token") body[name] = value;
  }
  return body;
}

// The events of the session's referral, for what is due.
StatusOr<std::vector<PathwayEvent>> EventsOf(App::Impl& app, const Context& ctx) {
  return app.store.ListEvents(ctx.referral->id);
}

Response QuestionnairePage(App::Impl& app, const Wording& wording, const Context& ctx, int status,
                           const Form& answers, json errors) {
  auto events = EventsOf(app, ctx);
  if (!events.ok()) return app.Error(ctx, 503);
  const std::optional<MskhqTimepoint> due = workflow::MskhqDue(*events);
  json data{{"page_title", kTitle}, {"errors", errors}};
  if (!wording.mskhq) {
    data["unavailable"] = true;
  } else if (due) {
    json items = json::array();
    for (std::size_t i = 0; i < kMskhqItems; ++i) {
      const config::MskhqItemWording& item = wording.mskhq->items[i];
      const std::string chosen = FormValue(answers, item.topic);
      json options = json::array();
      for (std::size_t o = 0; o < item.options.size(); ++o) {
        const std::string score = std::to_string(kMskhqItemMax - static_cast<int>(o));
        options.push_back({{"id", item.topic + "-" + score},
                           {"score", score},
                           {"text", item.options[o]},
                           {"checked", chosen == score}});
      }
      items.push_back({{"topic", item.topic},
                       {"number", i + 1},
                       {"question", item.question},
                       {"options", options}});
    }
    data["due"] = true;
    data["timepoint"] = std::string(ToString(*due));
    data["baseline"] = *due == MskhqTimepoint::kBaseline;
    data["introduction"] = wording.mskhq->introduction;
    data["items"] = items;
  }
  return app.Page(ctx, status, "portal_questionnaire", std::move(data));
}

Response SubmitQuestionnaire(App::Impl& app, const Wording& wording, Context& ctx) {
  if (!wording.mskhq) return app.Error(ctx, 404);
  // The referral answered is the session's, whatever the form says.
  json body = FormJson(ctx.form);
  body["referral_id"] = ctx.referral->id;
  workflow::Parsed<workflow::MskhqSubmission> parsed = workflow::ParseMskhq(body);
  if (!parsed.errors.empty()) {
    return QuestionnairePage(app, wording, ctx, 400, ctx.form, FieldErrors(parsed.errors));
  }
  auto score = workflow::SubmitMskhq(app.env, ActorOf(*ctx.user), *parsed.value, app.Now());
  if (!score.ok()) {
    const int status = HttpStatusFor(score.status().code());
    if (status >= 500) return app.Error(ctx, status);
    return QuestionnairePage(app, wording, ctx, status, ctx.form,
                             OneError(score.status().field(), Sentence(score.status().message())));
  }
  return Response::Redirect("/portal/referral");
}

Response FeedbackPage(App::Impl& app, const Context& ctx, int status, const Form& answers,
                      json errors) {
  auto events = EventsOf(app, ctx);
  if (!events.ok()) return app.Error(ctx, 503);
  json options = json::array();
  for (std::size_t i = 0; i < kFftAnswers; ++i) {
    const auto answer = static_cast<FftAnswer>(i);
    const std::string name(ToString(answer));
    options.push_back({{"value", name},
                       {"label", std::string(Label(answer))},
                       {"checked", FormValue(answers, "answer") == name}});
  }
  return app.Page(ctx, status, "portal_feedback",
                  {{"page_title", kFftTitle},
                   {"due", workflow::FftDue(*events)},
                   {"question", kFftQuestion},
                   {"options", options},
                   {"comment", FormValue(answers, "comment")},
                   {"errors", std::move(errors)}});
}

Response SubmitFeedback(App::Impl& app, Context& ctx) {
  const std::string answer = FormValue(ctx.form, "answer");
  if (answer.empty()) {
    return FeedbackPage(app, ctx, 400, ctx.form,
                        OneError("answer", "Choose how your experience was"));
  }
  Status done = workflow::SubmitFft(app.env, ActorOf(*ctx.user), ctx.referral->id, answer,
                                    FormValue(ctx.form, "comment"), app.Now());
  if (!done.ok()) {
    const int status = HttpStatusFor(done.code());
    if (status >= 500) return app.Error(ctx, status);
    return FeedbackPage(app, ctx, status, ctx.form,
                        OneError(done.field(), Sentence(done.message())));
  }
  return Response::Redirect("/portal/referral");
}

Response AskToBeSeen(App::Impl& app, Context& ctx) {
  auto referral = workflow::RequestFollowUp(app.env, ActorOf(*ctx.user), ctx.referral->id,
                                            FormValue(ctx.form, "reason"), app.Now());
  if (!referral.ok()) {
    const int status = HttpStatusFor(referral.status().code());
    if (status >= 500) return app.Error(ctx, status);
    return app.Page(ctx, status, "portal_follow_up",
                    {{"page_title", "We could not take your request"},
                     {"message", Sentence(referral.status().message())}});
  }
  return Response::Redirect("/portal/referral");
}

Response DischargeApi(App::Impl& app, Context& ctx) {
  const json& body = ctx.json;
  workflow::DischargeRequest request;
  request.referral_id = ctx.referral->id;
  if (body.contains("reason") && !body["reason"].is_string()) {
    return JsonError(InvalidArgumentError("must be text", "reason"));
  }
  if (body.contains("pifu") && !body["pifu"].is_boolean()) {
    return JsonError(InvalidArgumentError("must be true or false", "pifu"));
  }
  request.reason = body.value("reason", "");
  request.pifu = body.value("pifu", true);
  auto referral = workflow::Discharge(app.env, ActorOf(*ctx.user), request, app.Now());
  if (!referral.ok()) return JsonError(referral.status());
  return Response::Json(
      200, json{{"referral_id", referral->id}, {"state", std::string(ToString(referral->state))}}
               .dump());
}

}  // namespace

json DueFromPatient(std::span<const PathwayEvent> events) {
  json due = json::array();
  if (const auto mskhq = workflow::MskhqDue(events)) {
    due.push_back({{"title", std::string(kTitle)},
                   {"href", "/portal/questionnaire"},
                   {"text", *mskhq == MskhqTimepoint::kBaseline
                                ? "please answer it before your first appointment"
                                : "please answer it now your treatment has finished, so we can "
                                  "see how much it helped"}});
  }
  if (workflow::FftDue(events)) {
    due.push_back({{"title", std::string(kFftTitle)},
                   {"href", "/portal/feedback"},
                   {"text", "one question about how we did"}});
  }
  return due;
}

void RegisterPortalOutcomes(App::Impl& app) {
  auto wording = std::make_shared<Wording>();
  if (auto loaded = config::LoadMskhqWording(app.config.data_dir / config::kServiceSubdir);
      loaded.ok()) {
    wording->mskhq = std::move(loaded).value();
  }
  const auto patient = [](const char* action, Ownership ownership) {
    return Access::PatientData({Role::kPatient}, ownership, action);
  };
  Router& r = app.router;
  r.Add({Method::kGet, "/portal/questionnaire",
         patient("portal.questionnaire.read", Ownership::kReferralInSession), false,
         [&app, wording](Context& ctx) {
           return QuestionnairePage(app, *wording, ctx, 200, {}, json::array());
         }});
  r.Add({Method::kPost, "/portal/questionnaire",
         patient("portal.questionnaire.answer", Ownership::kReferralInSession), false,
         [&app, wording](Context& ctx) { return SubmitQuestionnaire(app, *wording, ctx); }});
  r.Add({Method::kGet, "/portal/feedback",
         patient("portal.feedback.read", Ownership::kReferralInSession), false,
         [&app](Context& ctx) { return FeedbackPage(app, ctx, 200, {}, json::array()); }});
  r.Add({Method::kPost, "/portal/feedback",
         patient("portal.feedback.answer", Ownership::kReferralInSession), false,
         [&app](Context& ctx) { return SubmitFeedback(app, ctx); }});
  r.Add({Method::kPost, "/portal/follow-up",
         patient("portal.follow_up.request", Ownership::kReferralInSession), false,
         [&app](Context& ctx) { return AskToBeSeen(app, ctx); }});
  r.Add({Method::kPost, "/api/v1/referrals/discharge",
         Access::PatientData({Role::kTreatingClinician}, Ownership::kReferralInBody,
                             "referral.discharge"),
         true, [&app](Context& ctx) { return DischargeApi(app, ctx); }});
}

}  // namespace tendon::http
