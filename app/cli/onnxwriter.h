#pragma once
// The ONNX half of `export`: writes a model with its weights as OUT.onnx and prints what
// changed. onnxwriter.cpp with libonnx; onnxunavailable.cpp (a bare GPU server) says why not.

#include "engine/model.h"

#include <string>

namespace nc::cli {

// An exit code (kExitOk on success).
int writeOnnxFile(const nc::engine::Model& model, const std::string& graphName,
                  const std::string& path);

} // namespace nc::cli
