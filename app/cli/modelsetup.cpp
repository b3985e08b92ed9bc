#include "modelsetup.h"

#include "exitcodes.h"
#include "graphloading.h"

#include "engine/checkpoint.h"

namespace nc::cli {

ModelSetup compileGraphFile(const std::string& command, const std::string& path) {
    LoadedGraph loaded = loadGraphForCommand(command, path);
    if (!loaded.graph)
        return {std::nullopt, loaded.exitCode};
    auto model = nc::engine::Model::compile(*loaded.graph);
    if (!model) {
        printError(command, path + ": " + model.message());
        return {std::nullopt, kExitInvalid};
    }
    return {std::move(model).value(), kExitOk};
}

int applyWeightsFile(const std::string& command, const std::string& path,
                     nc::engine::Model& model) {
    auto checkpoint = nc::engine::readCheckpoint(path);
    if (!checkpoint)
        return reportFailure(command, checkpoint.status());
    if (nc::core::Status s = nc::engine::applyWeights(checkpoint.value(), model); !s) {
        printError(command, s.message());
        return kExitInvalid;
    }
    return kExitOk;
}

nc::engine::Dims inputSampleDims(const nc::engine::Model& model) {
    return model.values()[std::size_t(model.inputStep().outputs[0])].perSample;
}

} // namespace nc::cli
