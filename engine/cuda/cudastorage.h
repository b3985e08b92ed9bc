#pragma once
// Device memory behind a Tensor on a GPU (storage.h's contract): grows, never shrinks, new
// elements read as zero. Allocations come from the context's stream-ordered pool; a failed
// one leaves the capacity as it was and is reported by the next op (CudaContext::noteError).
// A view (TensorArena) borrows a range of another CudaStorage's memory.

#include "cudacontext.h"

#include "../storage.h"

namespace nc::engine::cuda {

class CudaStorage final : public Storage {
public:
    explicit CudaStorage(std::shared_ptr<CudaContext> context) : m_context(std::move(context)) {}
    ~CudaStorage() override;
    CudaStorage(const CudaStorage&) = delete;
    CudaStorage& operator=(const CudaStorage&) = delete;

    Device device() const override { return Device::cuda(m_context->index()); }
    float* data() override { return m_data; }
    std::int64_t capacity() const override { return m_capacity; }
    void resize(std::int64_t elements) override;
    void fill(float value, std::int64_t count) override;
    std::unique_ptr<Storage> clone(std::int64_t count) const override;
    std::unique_ptr<Storage> makeEmpty() const override;
    std::unique_ptr<Storage> view(std::int64_t offset, std::int64_t count,
                                  std::shared_ptr<const void> owner) override;

private:
    std::shared_ptr<CudaContext> m_context;
    float* m_data = nullptr;
    std::int64_t m_capacity = 0;
    std::int64_t m_size = 0; // elements in use; the rest of the capacity is zeroed on growth
    std::shared_ptr<const void> m_owner; // set for a view: the memory is m_owner's, not freed here
};

} // namespace nc::engine::cuda
