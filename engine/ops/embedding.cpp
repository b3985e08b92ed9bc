// Embedding: PyTorch's nn.Embedding, weight [vocabulary, units] drawn from N(0, 1).
#include "lowerings.h"

namespace nc::engine {

Status lowerEmbedding(LoweringContext& c) {
    const nc::graph::ParamTensor& weight = c.inference().params.at(0);
    return c.addParameter(weight, "standard_normal", weight.shape[1], weight.shape[1]);
}

} // namespace nc::engine
