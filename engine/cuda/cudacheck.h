#pragma once
// Every CUDA, cuDNN and cuBLAS call goes through check(): a failure becomes a Status that
// names the call, the library's error and the file and line of the call.
//
//   if (Status s = check(cudaMemcpyAsync(...), "cudaMemcpyAsync"); !s) return s;

#include "core/status.h"

#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <cudnn.h>

namespace nc::engine::cuda {

using nc::core::Result;
using nc::core::SourceLocation;
using nc::core::Status;

Status check(cudaError_t error, const char* call, SourceLocation where = SourceLocation::current());
Status check(cudnnStatus_t error, const char* call,
             SourceLocation where = SourceLocation::current());
Status check(cublasStatus_t error, const char* call,
             SourceLocation where = SourceLocation::current());

// Launch errors of the kernels queued since the last check (cudaGetLastError).
Status checkLaunch(const char* kernel, SourceLocation where = SourceLocation::current());

// "512.0 MB"
std::string formatBytes(double bytes);

} // namespace nc::engine::cuda
