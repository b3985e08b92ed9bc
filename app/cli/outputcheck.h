#pragma once
// The outputs of a command, checked before it writes any of them (core::OutputPlan), with the
// exit code a refusal deserves. Every command that writes files takes --force to replace
// existing ones; without it an existing output is refused, and an output that is one of the
// command's inputs is refused either way.
//
//   nc::core::OutputPlan plan(o.has("force"));
//   plan.input(graphPath, "GRAPH");
//   plan.output(o.text("npz"), "--npz");
//   if (std::optional<int> refused = refuseOutputs("weights", plan)) return *refused;

#include "core/outputplan.h"

#include <optional>
#include <string>

namespace nc::cli {

// The --force lines of each writing command's help (a macro, to join the help's literal).
#define NETCANVAS_FORCE_HELP                                                                   \
    "  --force          replace output files that exist (never one of the command's\n"        \
    "                   inputs, never a read-only file)\n"

// The file or folder a data spec reads (csv:F, text:F, mnist:DIR, ...); empty for the built-in
// synthetic sets.
std::string dataSpecPath(const std::string& spec);

// When the plan is refused: prints "netcanvas-cli COMMAND: ..." and returns the exit code (2).
std::optional<int> refuseOutputs(const std::string& command, const nc::core::OutputPlan& plan);

} // namespace nc::cli
