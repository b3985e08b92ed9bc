#pragma once
// Builders for the parameter schemas and ports that many layer specs share.

#include "../layerspec.h"

namespace nc::graph::layers {

inline constexpr double kMaxUnits = 1'000'000; // neurons, filters, dimensions
inline constexpr double kMaxKernel = 1'000;    // kernel, stride, dilation, pool, scale

ParamSpec intParam(std::string name, std::int64_t def, double min, double max, std::string help);
ParamSpec floatParam(std::string name, double def, double min, double max, std::string help);
ParamSpec boolParam(std::string name, bool def, std::string help);
ParamSpec choiceParam(std::string name, std::string def, std::vector<std::string> choices,
                      std::string help);
ParamSpec pairParam(std::string name, IntList def, double min, double max, std::string help);
ParamSpec shapeParam(std::string name, IntList def, bool allowInferred, std::string help);
ParamSpec paddingParam(std::vector<std::string> modes, std::string help);

ParamSpec activationParam();
ParamSpec weightInitParam();
ParamSpec useBiasParam();
ParamSpec lossWeightParam();

PortSpec tensorPort(std::string name, std::string help = {});
// A tensor port that may stay unconnected (a recurrent layer's initial state).
PortSpec optionalPort(std::string name, std::string help);
PortSpec lossPort();

// The rule of layers whose output has their input's shape.
void identityShapes(const ShapeContext& context, ShapeOutcome& outcome);

// Shared message for layers that need CxHxW maps.
bool requireMaps(const ShapeContext& context, ShapeOutcome& outcome);

} // namespace nc::graph::layers
