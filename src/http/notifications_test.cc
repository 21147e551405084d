// The coordinators' page of messages that could not be sent.
#include <gtest/gtest.h>

#include "http/testing.h"
#include "store/testing/fixtures.h"

namespace tendon::http {
namespace {

class NotificationsHttpTest : public testing::AppFixture {
 protected:
  void SetUp() override {
    AppFixture::SetUp();
    if (HasFatalFailure()) return;
    AddUser("kim", Role::kCoordinator, "", "Kim Coordinator");
    AddUser("ben", Role::kTreatingClinician, "", "Ben Clinician");
    Status s = store().Write([](store::WriteTxn& txn) -> Status {
      for (int n : {1, 2}) RETURN_IF_ERROR(store::testing::InsertReferredPatient(txn, n));
      ASSIGN_OR_RETURN(Patient reachable, txn.GetPatient("patient-2"));
      reachable.email = "patient2@example.com";
      RETURN_IF_ERROR(txn.UpdatePatient(reachable));
      // patient-1 has no email address or mobile: the message fails as it is queued.
      for (const char* key : {"patient-1", "patient-2"}) {
        Notification n;
        n.kind = "appointment.cancelled_by_service";
        n.patient_key = key;
        RETURN_IF_ERROR(txn.EnqueueNotification(n).status());
      }
      return OkStatus();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
};

TEST_F(NotificationsHttpTest, CoordinatorsSeeEachFailedMessageWithWhyAndTheLookIsAudited) {
  const Response page = Send(Method::kGet, "/notifications/failed", SignedIn("kim"));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("Appointment cancelled by service"), std::string::npos);
  EXPECT_NE(page.body.find("Patient1"), std::string::npos);
  EXPECT_NE(page.body.find("no usable email address or mobile phone number"), std::string::npos);
  // The message that can still be sent is not listed.
  EXPECT_EQ(page.body.find("Patient2"), std::string::npos);
  store::AuditFilter filter;
  filter.action = "notifications.failed.read";
  const std::vector<AuditEntry> audit = *store().ListAudit(filter);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].patient_key, "patient-1");
  EXPECT_EQ(audit[0].actor, "kim");
}

TEST_F(NotificationsHttpTest, ClinicianCannotSeeThePage) {
  EXPECT_EQ(Send(Method::kGet, "/notifications/failed", SignedIn("ben")).status, 403);
}

}  // namespace
}  // namespace tendon::http
