#include "cudacheck.h"

#include <cstdio>
#include <string>

namespace nc::engine::cuda {

namespace {

Status failure(const char* call, const std::string& error, SourceLocation where) {
    std::string file = where.file_name();
    if (auto slash = file.rfind('/'); slash != std::string::npos)
        file = file.substr(slash + 1);
    return Status::error(std::string(call) + " failed: " + error + " (" + file + ":" +
                         std::to_string(where.line()) + ")");
}

} // namespace

Status check(cudaError_t error, const char* call, SourceLocation where) {
    if (error == cudaSuccess)
        return Status::ok();
    return failure(call, std::string(cudaGetErrorName(error)) + ", " + cudaGetErrorString(error),
                   where);
}

Status check(cudnnStatus_t error, const char* call, SourceLocation where) {
    if (error == CUDNN_STATUS_SUCCESS)
        return Status::ok();
    return failure(call, cudnnGetErrorString(error), where);
}

Status check(cublasStatus_t error, const char* call, SourceLocation where) {
    if (error == CUBLAS_STATUS_SUCCESS)
        return Status::ok();
    return failure(call, std::string(cublasGetStatusName(error)) + ", " +
                             cublasGetStatusString(error),
                   where);
}

Status checkLaunch(const char* kernel, SourceLocation where) {
    return check(cudaGetLastError(), kernel, where);
}

std::string formatBytes(double bytes) {
    char text[32];
    if (bytes >= 1024.0 * 1024.0 * 1024.0)
        std::snprintf(text, sizeof text, "%.1f GB", bytes / (1024.0 * 1024.0 * 1024.0));
    else
        std::snprintf(text, sizeof text, "%.1f MB", bytes / (1024.0 * 1024.0));
    return text;
}

} // namespace nc::engine::cuda
