#include "tensorarena.h"

#include <algorithm>

namespace nc::engine {

namespace {

constexpr std::int64_t kAlignment = 64; // floats: 256 bytes, for vector loads and cuDNN

std::int64_t alignUp(std::int64_t n) {
    return (n + kAlignment - 1) / kAlignment * kAlignment;
}

} // namespace

Status TensorArena::pack(Backend& backend, std::span<Tensor* const> tensors) {
    std::vector<Place> places;
    std::int64_t total = 0;
    for (Tensor* t : tensors) {
        places.push_back({t, nullptr, total});
        total = alignUp(total + t->size());
    }
    Tensor host({total});
    for (const Place& place : places) {
        if (place.tensor->empty())
            continue;
        Result<Tensor> contents = toHost(backend, *place.tensor);
        if (!contents)
            return contents.status();
        std::copy_n(contents.value().data(), contents.value().size(), host.data() + place.offset);
        *place.tensor = std::move(contents).value(); // out of any block, until the new one
    }
    release(); // an old block goes once the last view of it is gone: never two at once
    auto block = std::make_shared<Tensor>();
    if (backend.device().isCpu()) {
        *block = std::move(host);
    } else {
        *block = backend.newTensor();
        if (Status s = backend.upload(host, *block); !s)
            return s.prefixed("gathering the parameters into one block: ");
    }
    for (Place& place : places) {
        if (place.tensor->empty())
            continue;
        *place.tensor = block->view(place.offset, place.tensor->dims(), block);
        place.data = place.tensor->data();
    }
    m_block = std::move(block);
    m_places = std::move(places);
    return Status::ok();
}

bool TensorArena::holds(std::span<Tensor* const> tensors) const {
    if (!m_block || tensors.size() != m_places.size())
        return false;
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        const Place& place = m_places[i];
        if (tensors[i] != place.tensor)
            return false;
        const bool stillThere = place.data ? place.tensor->data() == place.data &&
                                                 place.tensor->device() == m_block->device()
                                           : place.tensor->empty();
        if (!stillThere)
            return false;
    }
    return true;
}

Tensor TensorArena::prefix(std::size_t count) const {
    count = std::min(count, m_places.size());
    std::int64_t end = 0;
    for (std::size_t i = 0; i < count; ++i)
        end = std::max(end, m_places[i].offset + m_places[i].tensor->size());
    return m_block ? m_block->view(0, {end}, m_block) : Tensor();
}

std::vector<TensorArena::Slice> TensorArena::layout(std::size_t count) const {
    count = std::min(count, m_places.size());
    std::vector<Slice> slices;
    slices.reserve(count);
    for (std::size_t i = 0; i < count; ++i)
        slices.push_back({m_places[i].offset, m_places[i].tensor->dims()});
    return slices;
}

std::vector<Tensor> TensorArena::cut(const Tensor& hostPrefix, const std::vector<Slice>& layout) {
    std::vector<Tensor> out;
    out.reserve(layout.size());
    for (const Slice& slice : layout) {
        Tensor& t = out.emplace_back(slice.dims);
        std::copy_n(hostPrefix.data() + slice.offset, t.size(), t.data());
    }
    return out;
}

Result<std::vector<Tensor>> TensorArena::downloadFirst(Backend& backend, std::size_t count) const {
    const Tensor part = prefix(count);
    Tensor host;
    if (!part.empty())
        if (Status s = backend.download(part, host); !s)
            return s;
    return cut(host, layout(count));
}

bool TensorArena::unpack(std::size_t count) {
    bool all = true;
    for (std::size_t i = 0; i < std::min(count, m_places.size()); ++i) {
        const Place& place = m_places[i];
        if (!place.data || place.tensor->data() != place.data)
            continue;
        Tensor own(*place.tensor); // a copy owns its memory
        if (own.capacity() >= own.size())
            *place.tensor = std::move(own);
        else
            all = false; // the device had no room: it stays a view
    }
    release();
    return all;
}

void TensorArena::release() {
    m_block.reset();
    m_places.clear();
}

} // namespace nc::engine
