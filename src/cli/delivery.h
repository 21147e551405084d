// The delivery worker as `tendon serve` and `tendon deliver` run it: made from service.toml's
// [notifications] and the message templates of the data folder, with the Notify API key read from
// where the configuration says (an environment variable or a file), never from the repository.
#ifndef TENDON_CLI_DELIVERY_H_
#define TENDON_CLI_DELIVERY_H_

#include <filesystem>
#include <memory>

#include "config/service.h"
#include "core/status.h"
#include "notify/worker.h"
#include "store/store.h"

namespace tendon::cli {

// The worker for `service`'s [notifications], writing its log lines to stderr. NotFound when the
// service has no [notifications] section; InvalidArgument (naming the setting) when the key is
// missing or a setting is malformed; the templates' load errors.
StatusOr<std::unique_ptr<notify::DeliveryWorker>> MakeDeliveryWorker(
    store::Store& store, const config::ServiceConfig& service,
    const std::filesystem::path& data_dir);

}  // namespace tendon::cli

#endif  // TENDON_CLI_DELIVERY_H_
