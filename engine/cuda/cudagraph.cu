#include "cudagraph.h"

namespace nc::engine::cuda {

Status beginGraph(CudaContext& context) {
    context.activate();
    if (Status s = context.takeError(); !s)
        return s;
    if (Status s = check(cudaStreamBeginCapture(context.stream(), cudaStreamCaptureModeThreadLocal),
                         "cudaStreamBeginCapture");
        !s)
        return s;
    context.beginRecording();
    return Status::ok();
}

Result<std::unique_ptr<RecordedWork>> endGraph(std::shared_ptr<CudaContext> context) {
    context->activate();
    cudaGraph_t graph = nullptr;
    const cudaError_t ended = cudaStreamEndCapture(context->stream(), &graph);
    const bool clean = context->endRecording(); // capture is over: held-back frees run now
    std::unique_ptr<RecordedWork> recorded;
    cudaGraphExec_t exec = nullptr;
    if (ended == cudaSuccess && clean && graph &&
        cudaGraphInstantiate(&exec, graph, 0) == cudaSuccess)
        recorded = std::make_unique<CudaGraph>(context, exec);
    if (graph)
        cudaGraphDestroy(graph);
    if (!recorded) {
        // A capture that broke (a call it does not support) or was refused: what it left behind
        // is dropped, so the step runs again as queued from a clean state.
        cudaGetLastError();
        (void)context->takeError();
    }
    return Result<std::unique_ptr<RecordedWork>>(std::move(recorded));
}

CudaGraph::CudaGraph(std::shared_ptr<CudaContext> context, cudaGraphExec_t graph)
    : m_context(std::move(context)), m_graph(graph), m_generation(m_context->generation()) {}

CudaGraph::~CudaGraph() {
    m_context->activate();
    cudaGraphExecDestroy(m_graph);
}

Result<bool> CudaGraph::replay() {
    if (m_context->generation() != m_generation)
        return false;
    m_context->activate();
    if (Status s = m_context->takeError(); !s)
        return s;
    if (Status s = check(cudaGraphLaunch(m_graph, m_context->stream()), "cudaGraphLaunch"); !s)
        return s;
    return true;
}

} // namespace nc::engine::cuda
