#pragma once
// The ONNX commands: `export --onnx` and `import`. onnxcommands.cpp with libonnx;
// onnxunavailable.cpp (a bare GPU server) says why not.

#include "engine/model.h"

#include <string>
#include <vector>

namespace nc::cli {

// An exit code (kExitOk on success).
int writeOnnxFile(const nc::engine::Model& model, const std::string& graphName,
                  const std::string& path);

// `netcanvas-cli import MODEL.onnx --out GRAPH.json --weights OUT.safetensors`
int runImport(const std::vector<std::string>& args);

} // namespace nc::cli
