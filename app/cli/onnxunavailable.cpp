// Built without ONNX (a bare GPU server): `export --onnx` says why it cannot write a model.

#include "exitcodes.h"
#include "graphloading.h"
#include "onnxwriter.h"

namespace nc::cli {

int writeOnnxFile(const nc::engine::Model&, const std::string&, const std::string&) {
    printError("export", "this build has no ONNX support; install libonnx-dev and "
                         "libprotobuf-dev and rebuild");
    return kExitUsage;
}

} // namespace nc::cli
