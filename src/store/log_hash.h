// The hash chains that make the event and audit logs tamper-evident. Each row's hash is
// SHA-256(previous row's hash || the row's fields, each length-prefixed); the first row chains from
// 32 zero bytes. Any store backend computes them the same way, so VerifyLogs means the same
// everywhere.
#ifndef TENDON_STORE_LOG_HASH_H_
#define TENDON_STORE_LOG_HASH_H_

#include <array>
#include <string>

#include "core/event.h"
#include "core/records.h"

namespace tendon::store {

using ChainHash = std::array<unsigned char, 32>;

ChainHash ChainEvent(const ChainHash& previous, const PathwayEvent& event);
ChainHash ChainAudit(const ChainHash& previous, const AuditEntry& entry);

// Lower-case hex, for messages.
std::string ToHex(const ChainHash& hash);

}  // namespace tendon::store

#endif  // TENDON_STORE_LOG_HASH_H_
