#pragma once
// A table of work chunks (pointers and element ranges) kept on the device for a fused kernel
// that covers many tensors in one launch: re-sent only when the chunks change, which they do
// only when the tensors' memory moves, so a launch needs no host transfer.

#include "cudacontext.h"

#include <cstring>
#include <vector>

namespace nc::engine::cuda {

template <typename Chunk> class DeviceChunkTable {
public:
    explicit DeviceChunkTable(std::shared_ptr<CudaContext> context)
        : m_context(std::move(context)) {}
    ~DeviceChunkTable() {
        if (m_context)
            m_context->release(m_device);
    }
    DeviceChunkTable(const DeviceChunkTable&) = delete;
    DeviceChunkTable& operator=(const DeviceChunkTable&) = delete;

    // Makes the device table hold `chunks`; its device address.
    Result<const Chunk*> update(std::vector<Chunk> chunks) {
        const std::size_t bytes = chunks.size() * sizeof(Chunk);
        if (chunks.size() == m_host.size() && std::memcmp(chunks.data(), m_host.data(), bytes) == 0)
            return static_cast<const Chunk*>(m_device);
        if (m_capacity < chunks.size()) {
            m_context->release(m_device);
            m_device = static_cast<Chunk*>(m_context->allocate(bytes));
            m_capacity = m_device ? chunks.size() : 0;
            if (!m_device)
                return m_context->takeError();
        }
        if (Status s = m_context->uploadBytes(chunks.data(), m_device, bytes); !s)
            return s;
        m_context->memoryChanged(); // a recorded launch would read the new table
        m_host = std::move(chunks);
        return static_cast<const Chunk*>(m_device);
    }
    std::size_t size() const { return m_host.size(); }

private:
    std::shared_ptr<CudaContext> m_context;
    std::vector<Chunk> m_host; // what the device table holds
    Chunk* m_device = nullptr;
    std::size_t m_capacity = 0;
};

} // namespace nc::engine::cuda
