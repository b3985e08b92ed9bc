#include "cudacheck.h"

#include <cstdio>
#include <string>

namespace nc::engine::cuda {

namespace {

// `outOfMemory`: the library could not allocate (training may go on on the CPU).
Status failure(const char* call, const std::string& error, SourceLocation where,
               bool outOfMemory = false) {
    std::string file = where.file_name();
    if (auto slash = file.rfind('/'); slash != std::string::npos)
        file = file.substr(slash + 1);
    std::string message = std::string(call) + " failed: " + error + " (" + file + ":" +
                          std::to_string(where.line()) + ")";
    return outOfMemory ? Status::outOfMemory(std::move(message))
                       : Status::error(std::move(message));
}

} // namespace

Status check(cudaError_t error, const char* call, SourceLocation where) {
    if (error == cudaSuccess)
        return Status::ok();
    return failure(call, std::string(cudaGetErrorName(error)) + ", " + cudaGetErrorString(error),
                   where, error == cudaErrorMemoryAllocation);
}

Status check(cudnnStatus_t error, const char* call, SourceLocation where) {
    if (error == CUDNN_STATUS_SUCCESS)
        return Status::ok();
    return failure(call, cudnnGetErrorString(error), where, error == CUDNN_STATUS_ALLOC_FAILED);
}

Status check(cublasStatus_t error, const char* call, SourceLocation where) {
    if (error == CUBLAS_STATUS_SUCCESS)
        return Status::ok();
    return failure(call,
                   std::string(cublasGetStatusName(error)) + ", " + cublasGetStatusString(error),
                   where, error == CUBLAS_STATUS_ALLOC_FAILED);
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
