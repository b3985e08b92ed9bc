#include "paritycheck.h"

#include "engine/backend.h"
#include "engine/random.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nc::test {

engine::Tensor randomTensor(const engine::Dims& dims, std::uint64_t seed, float lo, float hi) {
    engine::Tensor t(dims);
    for (std::int64_t i = 0; i < t.size(); ++i)
        t[i] = lo + (hi - lo) * engine::uniform01(seed, 7, std::uint64_t(i));
    return t;
}

engine::Tensor host(engine::Backend& backend, const engine::Tensor& t) {
    return core::require(engine::toHost(backend, t));
}

bool ParityCheck::close(const std::string& what, const engine::Tensor& reference,
                        const engine::Tensor& actual, double tolerance) {
    if (reference.dims() != actual.dims()) {
        std::printf("FAIL %s: dims %s vs %s\n", what.c_str(),
                    engine::formatDims(reference.dims()).c_str(),
                    engine::formatDims(actual.dims()).c_str());
        ++m_failures;
        return false;
    }
    double scale = 1.0, worst = 0.0;
    std::int64_t worstAt = 0;
    for (std::int64_t i = 0; i < reference.size(); ++i)
        scale = std::max(scale, double(std::abs(reference[i])));
    for (std::int64_t i = 0; i < reference.size(); ++i) {
        const double error = std::abs(double(reference[i]) - double(actual[i])) / scale;
        if (!(error <= worst)) { // NaN counts as worst
            worst = std::isnan(error) ? INFINITY : error;
            worstAt = i;
        }
    }
    m_worst = std::max(m_worst, worst);
    if (worst <= tolerance)
        return true;
    std::printf("FAIL %s: relative error %.3g at element %lld (cpu %.7g, gpu %.7g)\n", what.c_str(),
                worst, static_cast<long long>(worstAt), double(reference[worstAt]),
                double(actual[worstAt]));
    ++m_failures;
    return false;
}

bool ParityCheck::expect(bool condition, const std::string& what) {
    if (!condition) {
        std::printf("FAIL %s\n", what.c_str());
        ++m_failures;
    }
    return condition;
}

void ParityCheck::note(const std::string& text) {
    std::printf("%s\n", text.c_str());
}

} // namespace nc::test
