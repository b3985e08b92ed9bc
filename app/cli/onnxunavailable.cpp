// Built without ONNX (a bare GPU server): `export --onnx` and `import` say why they cannot.

#include "exitcodes.h"
#include "graphloading.h"
#include "onnxcommands.h"

namespace nc::cli {

int writeOnnxFile(const nc::engine::Model&, const std::string&, const std::string&) {
    printError("export", "this build has no ONNX support; install libonnx-dev and "
                         "libprotobuf-dev and rebuild");
    return kExitUsage;
}

int runImport(const std::vector<std::string>&) {
    printError("import", "this build has no ONNX support; install libonnx-dev and "
                         "libprotobuf-dev and rebuild");
    return kExitUsage;
}

} // namespace nc::cli
