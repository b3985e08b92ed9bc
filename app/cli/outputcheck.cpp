#include "outputcheck.h"

#include "exitcodes.h"
#include "graphloading.h"

namespace nc::cli {

std::string dataSpecPath(const std::string& spec) {
    const std::string withoutIndex = spec.substr(0, spec.find('#'));
    const std::size_t colon = withoutIndex.find(':');
    if (colon == std::string::npos || withoutIndex.compare(0, colon, "synthetic") == 0)
        return {};
    const std::string rest = withoutIndex.substr(colon + 1);
    return rest.substr(0, rest.find('?'));
}

std::optional<int> refuseOutputs(const std::string& command, const nc::core::OutputPlan& plan) {
    if (nc::core::Status s = plan.check(); !s) {
        printError(command, s.message());
        return kExitUsage;
    }
    return std::nullopt;
}

} // namespace nc::cli
