#include "schedule.h"

#include <algorithm>
#include <cmath>

namespace nc::engine {

bool isKnownSchedule(const std::string& name) {
    return name == "constant" || name == "step" || name == "cosine";
}

double scheduledLearningRate(const std::string& schedule, double lr, int epoch, int epochs) {
    if (schedule == "step")
        return lr * std::pow(0.1, double(epoch / std::max(1, epochs / 3)));
    if (schedule == "cosine")
        return lr * 0.5 *
               (1.0 + std::cos(3.141592653589793 * double(epoch) / double(std::max(1, epochs))));
    return lr;
}

} // namespace nc::engine
