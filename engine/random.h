#pragma once
// Counter-based random numbers: a value is a pure function of (seed, stream, index), so
// parallel loops draw the same numbers whatever the thread count, and a resumed run needs no
// saved generator state.

#include <cmath>
#include <cstdint>

// The hash is compiled for the GPU too (dropout.cu), so both backends draw the same numbers.
#ifdef __CUDACC__
#define NC_HOST_DEVICE __host__ __device__
#else
#define NC_HOST_DEVICE
#endif

namespace nc::engine {

NC_HOST_DEVICE inline std::uint64_t mix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

NC_HOST_DEVICE inline std::uint64_t hashKey(std::uint64_t seed, std::uint64_t stream,
                                            std::uint64_t index) {
    return mix64(mix64(mix64(seed) ^ stream) ^ index);
}

// Dropout's stream for a node at a training step.
NC_HOST_DEVICE inline std::uint64_t dropoutStream(std::uint64_t step, std::uint64_t node) {
    return hashKey(step, node, 0x5eed);
}

// Uniform in [0, 1).
NC_HOST_DEVICE inline float uniform01(std::uint64_t seed, std::uint64_t stream,
                                      std::uint64_t index) {
    return float(hashKey(seed, stream, index) >> 40) * (1.0f / 16777216.0f);
}

// A small sequential generator (splitmix64) for shuffles and initialisation.
class SplitMix {
public:
    explicit SplitMix(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next() { return mix64(m_state++); }
    // Uniform in [0, n).
    std::uint64_t below(std::uint64_t n) { return next() % n; }
    double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
    double normal() { // Box-Muller
        double u1 = uniform(), u2 = uniform();
        if (u1 < 1e-300)
            u1 = 1e-300;
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

private:
    std::uint64_t m_state;
};

} // namespace nc::engine
