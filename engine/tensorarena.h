#pragma once
// One allocation for many long-lived tensors: a model's parameter values, their gradients and
// the optimizer's state. On a GPU they then take one block of device memory instead of
// hundreds, and a weight snapshot is one download. The tensors become views into the block
// (Tensor::view) and work as before; one that is later replaced (a checkpoint load) or
// resized simply leaves the block, and holds() then says to pack again.
//
//   TensorArena arena;
//   std::vector<Tensor*> state = {&w.value, &b.value, &w.grad, &b.grad};
//   if (!arena.holds(state)) arena.pack(backend, state);
//   Result<std::vector<Tensor>> values = arena.downloadFirst(backend, 2);

#include "backend.h"

#include <memory>
#include <span>
#include <vector>

namespace nc::engine {

class TensorArena {
public:
    // Where one tensor lies in the block.
    struct Slice {
        std::int64_t offset = 0;
        Dims dims;
    };

    // Moves every tensor into one new block on the backend's device, in the order given, each
    // on a 256-byte boundary; contents are kept. The tensors pass through the host first, so
    // a block packed before is let go of before the new one is made. On failure (out of
    // memory) the tensors are left on the host, contents kept, and the arena is empty.
    Status pack(Backend& backend, std::span<Tensor* const> tensors);
    // True when `tensors` are the ones packed last and each is still a view at its place.
    bool holds(std::span<Tensor* const> tensors) const;
    // Host copies of the first `count` packed tensors, through one download; call it only
    // while holds() is true.
    Result<std::vector<Tensor>> downloadFirst(Backend& backend, std::size_t count) const;
    // The same in two halves: the part of the block that holds the first `count` tensors (a
    // view, to download) with where each lies in it, and that part's host copy cut back into
    // tensors.
    Tensor prefix(std::size_t count) const;
    std::vector<Slice> layout(std::size_t count) const;
    static std::vector<Tensor> cut(const Tensor& hostPrefix, const std::vector<Slice>& layout);
    // Lets go of the block; it is freed once no tensor views it any more.
    void release();
    // Gives each of the first `count` packed tensors that is still in the block memory of its
    // own (contents kept), then releases the block: the tensors that live on (a model's
    // parameters) then no longer keep the others' memory (the optimizer's state) alive. False
    // when the device had no room for one of them, which then stays a view.
    bool unpack(std::size_t count);
    // Floats in the block, padding included (0 before pack()).
    std::int64_t elements() const { return m_block ? m_block->size() : 0; }

private:
    struct Place {
        Tensor* tensor = nullptr;
        const float* data = nullptr; // null for an empty tensor, which is not packed
        std::int64_t offset = 0;
    };
    std::shared_ptr<Tensor> m_block;
    std::vector<Place> m_places;
};

} // namespace nc::engine
