#include "onnxwriter.h"

#include "exitcodes.h"
#include "graphloading.h"

#include "core/atomicwrite.h"
#include "engine/export/onnxexport.h"

#include <iostream>

namespace nc::cli {

int writeOnnxFile(const nc::engine::Model& model, const std::string& graphName,
                  const std::string& path) {
    auto exported = nc::engine::exportOnnx(model, graphName);
    if (!exported) {
        printError("export", exported.message());
        return kExitInvalid;
    }
    if (nc::core::Status s = nc::core::writeFileAtomically(path, exported.value().bytes); !s)
        return reportFailure("export", s);
    for (const std::string& note : exported.value().notes)
        std::cout << "note: " << note << '\n';
    std::cout << "wrote " << path << " (" << exported.value().bytes.size() << " bytes; input "
              << exported.value().inputs.front() << ", outputs";
    for (const std::string& name : exported.value().outputs)
        std::cout << ' ' << name;
    std::cout << ")\n";
    return kExitOk;
}

} // namespace nc::cli
