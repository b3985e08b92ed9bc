#pragma once
// Exit codes of every netcanvas-cli subcommand (DESIGN.md section 5).

namespace nc::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalid = 1; // the graph or the data is invalid
inline constexpr int kExitUsage = 2;   // bad usage or an I/O error

} // namespace nc::cli
