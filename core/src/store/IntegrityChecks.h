// The database checked against its own audit chain (private to core/store), the second
// half of `audit verify`. A chain that verifies proves only that its entries were not
// edited; whoever can write the file can also write the other tables. So each table whose
// rows grant something is compared with the entries that record how the rows came to be:
//   triggers    the triggers this build's migrations make (replayed on an in-memory
//               database) exist unchanged, and no other trigger is there;
//   signatures  each row has its "signature.given" entry: same signer, role, meaning,
//               subject and time;
//   users       each user was added ("user.added") with the role the row has, and is
//               disabled exactly when a "user.disabled" entry says so;
//   sessions    each sign-in row has its "user.login" entry, and none the chain ended
//               (signed out, idled out, replaced) or of a disabled user is open;
//   orders      each order's status, version, hold and price are those of its latest
//               audited change, and its status that of its latest history row; an order
//               without an audited change lies in a range an admin seeded.
// These checks catch a row forged or edited on its own. They cannot catch a forger who
// also appends matching entries and re-hashes the chain: a local file cannot defend
// itself against its owner (README, Security).
// Thread-safety: free functions on the caller's (read) connection.
#pragma once

#include "opflow/store/AuditLog.h"

namespace opflow::store::detail {

// Adds what the checks find to `verification` (findings and their count; intact false
// when there are any). A check that cannot run is a finding too, unless the database no
// longer answers at all: that error is returned (the system failed).
[[nodiscard]] Status crossCheck(Database& db, AuditVerification& verification);

} // namespace opflow::store::detail
