// Built without ONNX (a bare GPU server): `export` says why it cannot write a model.

#include "exitcodes.h"
#include "exportcommand.h"
#include "graphloading.h"

namespace nc::cli {

int runExport(const std::vector<std::string>&) {
    printError("export", "this build has no ONNX support; install libonnx-dev and "
                         "libprotobuf-dev and rebuild");
    return kExitUsage;
}

} // namespace nc::cli
