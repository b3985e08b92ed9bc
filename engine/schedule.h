#pragma once
// Learning-rate schedules, evaluated per epoch (0-based):
//   constant: lr
//   step:     lr * 0.1^(epoch / max(1, epochs / 3))
//   cosine:   lr * (1 + cos(pi * epoch / epochs)) / 2

#include <string>

namespace nc::engine {

bool isKnownSchedule(const std::string& name);
double scheduledLearningRate(const std::string& schedule, double lr, int epoch, int epochs);

} // namespace nc::engine
